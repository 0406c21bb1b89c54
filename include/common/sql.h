/*
 * sql.h — the SQL files of sql/, embedded into the binary at build time
 * (scripts/embed-sql.sh). sib_sql_get("source") returns the text of
 * sql/source.sql, or NULL when there is no such file.
 */
#ifndef SIB_COMMON_SQL_H
#define SIB_COMMON_SQL_H

const char *sib_sql_get(const char *name);

#endif
