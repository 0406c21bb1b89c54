/*
 * schema.h — creating and upgrading the database objects sibatch needs:
 * the source contract (sql/source.sql, only what is missing), sibatch's own
 * schema (sql/sibatch.sql) and the DBA views (sql/views.sql), in one
 * transaction serialized by an advisory lock. Idempotent.
 */
#ifndef SIB_COMMON_SCHEMA_H
#define SIB_COMMON_SCHEMA_H

#include "common/db.h"

/* The version the last upgrade of sql/sibatch.sql records. */
#define SIB_SCHEMA_VERSION 4

int sib_schema_init(sib_db *db, sib_error *err);
/* The version of schema sibatch in the database (0 when it is missing), -1
 * on error. */
int sib_schema_version(sib_db *db, sib_error *err);

#endif
