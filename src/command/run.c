/* run.c — sibatch run: the nightly job's command line, signals and exit code. */
#include "command/cli.h"
#include "command/commands.h"
#include "common/log.h"
#include "run/run.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: sibatch run --as-of YYYY-MM [--out DIR] [--config FILE] [--dry-run] [--force]\n\n"
    "The nightly job: reads si_src in one snapshot, resolves persons, folds duplicate\n"
    "enrollments, finds cross-scheme conflicts, updates the clearing campaign, and\n"
    "publishes DIR/YYYY-MM/ (pension.csv.gz, unemployment.csv.gz, injury.csv.gz,\n"
    "clearing/<town>.csv.gz, manifest.json) together with sibatch's tables — all or nothing.\n\n"
    "  --as-of YYYY-MM      the month the figures describe (required)\n"
    "  --out DIR            output directory (default ./out)\n"
    "  --dry-run            compute everything, print the summary, write nothing\n"
    "  --force              allow an as-of month before the last published run\n"
    SIB_CLI_COMMON_HELP
    "\nExit codes: 0 published, 1 failure, 2 usage or refused month, 3 another run holds\n"
    "the lock, 4 data-quality guard tripped, 130/143 interrupted by SIGINT/SIGTERM.\n";

/* The one piece of process state outside the configuration: set by the
 * signal handler, polled by the run at safe points. Holds the exit code. */
static volatile sig_atomic_t stop_code;

static void on_signal(int sig)
{
    stop_code = sig == SIGINT ? SIB_EXIT_SIGINT : SIB_EXIT_SIGTERM;
}

int sib_cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "as-of", required_argument, NULL, 'a' },
        { "out", required_argument, NULL, 'o' },
        { "dry-run", no_argument, NULL, 'n' },
        { "force", no_argument, NULL, 'f' },
        SIB_CLI_COMMON_OPTIONS,
        { 0 }
    };
    sib_cli cli;
    sib_cli_init(&cli, "run");
    sib_run_opts o = { .out_dir = "out" };
    const char *as_of = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "a:o:nfh", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(help, stdout); return SIB_EXIT_OK;
        case 'a': as_of = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'n': o.dry_run = 1; break;
        case 'f': o.force = 1; break;
        default:
            if (!sib_cli_common(&cli, c, optarg))
                return sib_cli_bad_option("run", argv);
        }
    }
    if (optind < argc)
        return sib_cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
    if (!as_of)
        return sib_cli_usage_error("run", "--as-of YYYY-MM is required");
    if (sib_cli_parse_month(as_of, &o.as_of) != SIB_OK)
        return sib_cli_usage_error("run", "--as-of '%s' is not a month (YYYY-MM)", as_of);
    int rc = sib_cli_finish(&cli);
    if (rc)
        return rc;
    o.dsn = cli.dsn;
    o.cfg = &cli.cfg;
    o.stop = &stop_code;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    sib_error err = { 0 };
    if (sib_run_nightly(&o, &err) != SIB_OK) {
        sib_log_error("run", "status=%s error=\"%s\"",
                      err.code == SIB_EXIT_GUARD ? "guard" : stop_code ? "aborted" : "failed", err.msg);
        fprintf(stderr, "sibatch run: %s\n", err.msg);
        return err.code ? err.code : SIB_EXIT_FAILURE;
    }
    return SIB_EXIT_OK;
}
