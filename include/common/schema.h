/*
 * schema.h — creating and upgrading the database objects sibatch needs:
 * the source contract (sql/source.sql, only what is missing), sibatch's own
 * schema (sql/sibatch.sql) and the DBA views (sql/views.sql), in one
 * transaction serialized by an advisory lock. Idempotent.
 */
#ifndef SIB_COMMON_SCHEMA_H
#define SIB_COMMON_SCHEMA_H

#include "common/db.h"

int sib_schema_init(sib_db *db, sib_error *err);
/* 1 when schema sibatch exists (sibatch.run is there), 0 when not, -1 on error. */
int sib_schema_present(sib_db *db, sib_error *err);

#endif
