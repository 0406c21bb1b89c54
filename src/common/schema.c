/* schema.c — create or upgrade the schemas (include/common/schema.h). */
#include "common/schema.h"

#include <stdlib.h>

int sib_schema_init(sib_db *db, sib_error *err)
{
    if (sib_db_exec(db, "BEGIN; SELECT pg_advisory_xact_lock(350581, 0)", err) != SIB_OK ||
        sib_db_exec_file(db, "source", err) != SIB_OK ||
        sib_db_exec_file(db, "sibatch", err) != SIB_OK ||
        sib_db_exec_file(db, "views", err) != SIB_OK ||
        sib_db_exec(db, "COMMIT", err) != SIB_OK) {
        sib_error prev = *err;
        sib_db_exec(db, "ROLLBACK", NULL);
        *err = prev;
        return sib_error_prefix(err, "schema");
    }
    return SIB_OK;
}

int sib_schema_version(sib_db *db, sib_error *err)
{
    char v[16];
    if (sib_db_query_value(db, "SELECT CASE WHEN to_regclass('sibatch.schema_version') IS NULL THEN 0 "
                               "ELSE (SELECT coalesce(max(version), 0) FROM sibatch.schema_version) END",
                           0, NULL, v, sizeof v, err) != SIB_OK)
        return -1;
    return atoi(v);
}
