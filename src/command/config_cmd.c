/* config_cmd.c — sibatch config --print: the effective configuration. */
#include "command/cli.h"
#include "command/commands.h"

#include <stdio.h>
#include <stdlib.h>

static const char help[] =
    "usage: sibatch config --print [--config FILE]\n\n"
    "Prints the effective configuration (built-in defaults overlaid by FILE) as JSON.\n\n"
    "  --print              print it (the default action)\n"
    SIB_CLI_COMMON_HELP;

int sib_cmd_config(int argc, char **argv)
{
    static const struct option opts[] = {
        { "print", no_argument, NULL, 'p' },
        SIB_CLI_COMMON_OPTIONS,
        { 0 }
    };
    sib_cli cli;
    sib_cli_init(&cli, "config");
    int c;
    while ((c = getopt_long(argc, argv, "ph", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return SIB_EXIT_OK;
        }
        if (c == 'p' || sib_cli_common(&cli, c, optarg))
            continue;
        return sib_cli_bad_option("config", argv);
    }
    if (optind < argc)
        return sib_cli_usage_error("config", "unexpected argument '%s'", argv[optind]);
    int rc = sib_cli_finish(&cli);
    if (rc)
        return rc;
    char *json = sib_config_to_json(&cli.cfg);
    if (!json) {
        fprintf(stderr, "sibatch config: out of memory\n");
        return SIB_EXIT_FAILURE;
    }
    puts(json);
    free(json);
    return SIB_EXIT_OK;
}
