/* cli.c — options every command shares (include/command/cli.h). */
#include "command/cli.h"
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sib_cli_init(sib_cli *cli, const char *command)
{
    memset(cli, 0, sizeof *cli);
    cli->command = command;
    sib_config_defaults(&cli->cfg);
    optind = 0;             /* getopt_long restarts with each command */
    opterr = 0;             /* the command prints the one-line usage error itself */
}

int sib_cli_common(sib_cli *cli, int opt, const char *arg)
{
    switch (opt) {
    case SIB_OPT_DSN: cli->dsn = arg; return 1;
    case SIB_OPT_CONFIG: cli->config_path = arg; return 1;
    case SIB_OPT_LOG_LEVEL: cli->log_level = arg; return 1;
    case SIB_OPT_LOG_FORMAT: cli->log_format = arg; return 1;
    default: return 0;
    }
}

int sib_cli_finish(sib_cli *cli)
{
    sib_error err = { 0 };
    if (cli->config_path && sib_config_load(&cli->cfg, cli->config_path, &err) != SIB_OK) {
        fprintf(stderr, "sibatch %s: configuration: %s\n", cli->command, err.msg);
        return SIB_EXIT_USAGE;
    }
    if (cli->log_level)
        snprintf(cli->cfg.log_level, sizeof cli->cfg.log_level, "%s", cli->log_level);
    if (cli->log_format)
        snprintf(cli->cfg.log_format, sizeof cli->cfg.log_format, "%s", cli->log_format);
    enum sib_log_level lv;
    enum sib_log_format lf;
    if (sib_log_parse_level(cli->cfg.log_level, &lv) != SIB_OK)
        return sib_cli_usage_error(cli->command, "unknown log level '%s'", cli->cfg.log_level);
    if (sib_log_parse_format(cli->cfg.log_format, &lf) != SIB_OK)
        return sib_cli_usage_error(cli->command, "unknown log format '%s'", cli->cfg.log_format);
    sib_log_setup(lv, lf);
    return 0;
}

int sib_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sibatch %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try 'sibatch %s --help')\n", command);
    return SIB_EXIT_USAGE;
}

int sib_cli_parse_month(const char *s, int *yyyymm)
{
    int y, m;
    char tail;
    if (sscanf(s, "%4d-%2d%c", &y, &m, &tail) == 2 && strlen(s) == 7) {
        /* YYYY-MM */
    } else if (strlen(s) == 6 && strspn(s, "0123456789") == 6) {
        y = atoi(s) / 100;
        m = atoi(s) % 100;
    } else {
        return SIB_ERR;
    }
    if (y < 1900 || y > 2999 || m < 1 || m > 12)
        return SIB_ERR;
    *yyyymm = y * 100 + m;
    return SIB_OK;
}

int sib_cli_bad_option(const char *command, char **argv)
{
    const char *opt = optind > 0 ? argv[optind - 1] : "";
    if (optopt && optopt != '?' && (optind <= 0 || strncmp(opt, "--", 2) != 0))
        return sib_cli_usage_error(command, "unknown option or missing argument '-%c'", optopt);
    return sib_cli_usage_error(command, "unknown option or missing argument '%s'", opt);
}
