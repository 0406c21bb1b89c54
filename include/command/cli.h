/*
 * cli.h — what every command shares: the connection string, the
 * configuration file and the log options, parsed with getopt_long.
 *
 * A command lists SIB_CLI_COMMON_OPTIONS in its long-options table, passes
 * every option it does not know itself to sib_cli_common(), and calls
 * sib_cli_finish() once parsing is done (loads --config, sets up logging).
 */
#ifndef SIB_COMMAND_CLI_H
#define SIB_COMMAND_CLI_H

#include <getopt.h>

#include "common/config.h"

typedef struct sib_cli {
    const char *command;        /* "run", "gen", ... */
    const char *dsn;            /* --dsn, or NULL for PG* variables */
    const char *config_path;    /* --config, or NULL */
    const char *log_level;      /* --log-level, overrides the file */
    const char *log_format;     /* --log-format */
    sib_config cfg;             /* the effective configuration */
} sib_cli;

enum { SIB_OPT_DSN = 1000, SIB_OPT_CONFIG, SIB_OPT_LOG_LEVEL, SIB_OPT_LOG_FORMAT, SIB_OPT_HELP };

#define SIB_CLI_COMMON_OPTIONS \
    { "dsn", required_argument, NULL, SIB_OPT_DSN }, \
    { "config", required_argument, NULL, SIB_OPT_CONFIG }, \
    { "log-level", required_argument, NULL, SIB_OPT_LOG_LEVEL }, \
    { "log-format", required_argument, NULL, SIB_OPT_LOG_FORMAT }, \
    { "help", no_argument, NULL, 'h' }

#define SIB_CLI_COMMON_HELP \
    "  --dsn DSN            connection string or URI (default: PG* variables, service file)\n" \
    "  --config FILE        JSON configuration (see sibatch config --print)\n" \
    "  --log-level LEVEL    debug, info, warn or error (default info)\n" \
    "  --log-format FORMAT  kv (key=value lines) or json (JSON lines)\n" \
    "  -h, --help           this help\n"

/* Initialises cli with defaults for command. */
void sib_cli_init(sib_cli *cli, const char *command);
/* Handles a common option; returns 1 if handled, 0 if not one of them. */
int sib_cli_common(sib_cli *cli, int opt, const char *arg);
/* Loads the configuration file and sets up logging; on failure prints the
 * error and returns the exit code to use (2 for usage, 1 otherwise), else 0. */
int sib_cli_finish(sib_cli *cli);
/* Prints "sibatch CMD: msg" and a hint to stderr; returns SIB_EXIT_USAGE. */
int sib_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The usage error for getopt_long's '?': names the offending option. */
int sib_cli_bad_option(const char *command, char **argv);
/* Parses YYYY-MM (or YYYYMM) into a YYYYMM integer; SIB_ERR when invalid. */
int sib_cli_parse_month(const char *s, int *yyyymm);

#endif
