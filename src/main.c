/*
 * main.c — sibatch: parse the command name and dispatch. Nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "command/commands.h"
#include "common/error.h"

typedef struct sib_command {
    const char *name;
    int (*action)(int argc, char **argv);
    const char *summary;
} sib_command;

static const sib_command commands[] = {
    { .name = "init-db", .action = sib_cmd_init_db, .summary = "create or upgrade the sibatch schema (idempotent)" },
    { .name = "gen", .action = sib_cmd_gen, .summary = "generate a Shishi-calibrated si_src with its ground truth (si_truth)" },
    { .name = "run", .action = sib_cmd_run, .summary = "the nightly job: resolve, dedup, clearing, extracts, manifest" },
    { .name = "config", .action = sib_cmd_config, .summary = "print the effective configuration" },
    { .name = "report", .action = sib_cmd_report, .summary = "the managers' summary page (summary.html, summary.txt) of a run" },
    { .name = "reconcile", .action = sib_cmd_reconcile, .summary = "check a run's files against its manifest and the database" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: sibatch COMMAND [OPTIONS]\n\n"
               "The nightly batch processor of the Shishi social insurance centre (石狮市社会保险中心).\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'sibatch COMMAND --help' for a command's options; --version for the version.\n"
               "Exit codes: 0 ok, 1 failure, 2 usage, 3 locked, 4 data-quality guard, 5 reconcile mismatch.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "sibatch: missing command (try 'sibatch --help')\n");
        return SIB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return SIB_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("sibatch %s\n", SIB_VERSION);
        return SIB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].action(argc - 1, argv + 1);
    fprintf(stderr, "sibatch: unknown command '%s' (try 'sibatch --help')\n", argv[1]);
    return SIB_EXIT_USAGE;
}
