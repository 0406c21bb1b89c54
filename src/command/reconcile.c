/* reconcile.c — sibatch reconcile: check a published run's files against
 * the manifest and the database (src/reconcile/reconcile.c does the work). */
#include "command/cli.h"
#include "command/commands.h"
#include "common/db.h"
#include "common/log.h"
#include "reconcile/reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: sibatch reconcile [--as-of YYYY-MM | --manifest PATH] [--dir DIR] [--format text|json]\n"
    "                         [--problems-only] [--dsn DSN]\n\n"
    "Proves that a published run's files say what the database says:\n"
    "  file    every file of the manifest exists, bytes, SHA-256 and rows match, gzip intact;\n"
    "  total   the extract rows add up to the manifest's totals per scheme;\n"
    "  run     the manifest's run is the latest published run of its month (sibatch.run);\n"
    "  stored  insured, contributing, lapsed persons and contributions_12m per scheme and town,\n"
    "          added up from sibatch.person_scheme, equal the extract rows;\n"
    "  source  the same recounted from si_src (sql/reconcile.sql) equal the extract rows.\n"
    "Prints one line per check (status, check, file, scheme, town, column, expected, found).\n\n"
    "  --as-of YYYY-MM      check DIR/YYYY-MM/manifest.json\n"
    "  --manifest PATH      check this manifest (the files are beside it)\n"
    "  --dir DIR            where the runs are published (default ./out)\n"
    "  --format FORMAT      text (default) or json\n"
    "  --problems-only      list only mismatched and skipped checks (and the summary)\n"
    SIB_CLI_COMMON_HELP
    "\nExit status: 0 everything matches, 5 a mismatch, 1 cannot check (no manifest, no\n"
    "database), 2 usage.\n";

enum { OPT_AS_OF = 1, OPT_MANIFEST, OPT_DIR, OPT_FORMAT, OPT_PROBLEMS };

int sib_cmd_reconcile(int argc, char **argv)
{
    static const struct option opts[] = {
        { "as-of", required_argument, NULL, OPT_AS_OF },
        { "manifest", required_argument, NULL, OPT_MANIFEST },
        { "dir", required_argument, NULL, OPT_DIR },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "problems-only", no_argument, NULL, OPT_PROBLEMS },
        SIB_CLI_COMMON_OPTIONS,
        { 0 }
    };
    sib_cli cli;
    sib_cli_init(&cli, "reconcile");
    const char *as_of_arg = NULL, *manifest = NULL, *dir = "out", *format = "text";
    int problems_only = 0, c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(help, stdout);
            return SIB_EXIT_OK;
        case OPT_AS_OF: as_of_arg = optarg; break;
        case OPT_MANIFEST: manifest = optarg; break;
        case OPT_DIR: dir = optarg; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_PROBLEMS: problems_only = 1; break;
        default:
            if (!sib_cli_common(&cli, c, optarg))
                return sib_cli_bad_option("reconcile", argv);
        }
    }
    if (optind < argc)
        return sib_cli_usage_error("reconcile", "unexpected argument '%s'", argv[optind]);
    if (!!as_of_arg == !!manifest)
        return sib_cli_usage_error("reconcile", "give exactly one of --as-of YYYY-MM and --manifest PATH");
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return sib_cli_usage_error("reconcile", "--format must be text or json");
    char path[1024];
    if (as_of_arg) {
        int m;
        if (sib_cli_parse_month(as_of_arg, &m) != SIB_OK)
            return sib_cli_usage_error("reconcile", "--as-of wants YYYY-MM, not '%s'", as_of_arg);
        snprintf(path, sizeof path, "%s/%04d-%02d/manifest.json", dir, m / 100, m % 100);
    } else {
        snprintf(path, sizeof path, "%s", manifest);
    }
    int rc = sib_cli_finish(&cli);
    if (rc)
        return rc;

    sib_error err = { 0 };
    sib_recon *r = sib_recon_new();
    sib_db *db = NULL;
    if (!r) {
        sib_error_set(&err, "out of memory");
        goto fail;
    }
    db = sib_db_connect(cli.dsn, "sibatch reconcile", &err);
    if (!db)
        goto fail;
    /* One snapshot for every recount: the run cannot publish between them. */
    if (sib_db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &err) != SIB_OK)
        goto fail;
    if (sib_recon_run(r, db, path, &cli.cfg, &err) != SIB_OK)
        goto fail;
    sib_db_exec(db, "COMMIT", &err);
    if (strcmp(format, "json") == 0) {
        char *js = sib_recon_to_json(r, problems_only);
        if (!js) {
            sib_error_set(&err, "out of memory");
            goto fail;
        }
        puts(js);
        free(js);
    } else {
        sib_recon_print_text(r, stdout, problems_only);
    }
    sib_log_info("reconcile", "manifest=%s checks=%zu mismatched=%zu skipped=%zu", path, sib_recon_count(r),
                 sib_recon_mismatches(r), sib_recon_skipped(r));
    rc = sib_recon_mismatches(r) ? SIB_EXIT_MISMATCH : SIB_EXIT_OK;
    sib_db_free(db);
    sib_recon_free(r);
    return rc;
fail:
    fprintf(stderr, "sibatch reconcile: cannot check: %s\n", err.msg);
    sib_db_free(db);
    sib_recon_free(r);
    return SIB_EXIT_FAILURE;
}
