/* init_db.c — sibatch init-db: create or upgrade the schemas, idempotently. */
#include "command/cli.h"
#include "command/commands.h"
#include "common/db.h"
#include "common/log.h"
#include "common/schema.h"

#include <stdio.h>

static const char help[] =
    "usage: sibatch init-db [--dsn DSN]\n\n"
    "Creates what is missing of the source contract (schema si_src, sql/source.sql)\n"
    "and creates or upgrades sibatch's own schema (schema sibatch, sql/sibatch.sql,\n"
    "with the DBA views of sql/views.sql). Running it twice is harmless; it never\n"
    "touches the rows of si_src.\n\n"
    SIB_CLI_COMMON_HELP;

int sib_cmd_init_db(int argc, char **argv)
{
    static const struct option opts[] = { SIB_CLI_COMMON_OPTIONS, { 0 } };
    sib_cli cli;
    sib_cli_init(&cli, "init-db");
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return SIB_EXIT_OK;
        }
        if (!sib_cli_common(&cli, c, optarg))
            return sib_cli_bad_option("init-db", argv);
    }
    if (optind < argc)
        return sib_cli_usage_error("init-db", "unexpected argument '%s'", argv[optind]);
    int rc = sib_cli_finish(&cli);
    if (rc)
        return rc;

    sib_error err = { 0 };
    sib_db *db = sib_db_connect(cli.dsn, "sibatch init-db", &err);
    if (!db)
        goto fail;
    if (sib_schema_init(db, &err) != SIB_OK)
        goto fail;
    char ver[32];
    if (sib_db_query_value(db, "SELECT max(version) FROM sibatch.schema_version", 0, NULL,
                           ver, sizeof ver, &err) != SIB_OK)
        goto fail;
    sib_log_info("init-db", "schema=sibatch version=%s", ver);
    sib_db_free(db);
    return SIB_EXIT_OK;
fail:
    fprintf(stderr, "sibatch init-db: %s\n", err.msg);
    sib_db_free(db);
    return SIB_EXIT_FAILURE;
}
