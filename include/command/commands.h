/*
 * commands.h — one entry point per sub-command. Each parses its own options
 * (argv[0] is the command name) and returns the process exit code
 * (enum sib_exit in common/error.h).
 */
#ifndef SIB_COMMAND_COMMANDS_H
#define SIB_COMMAND_COMMANDS_H

int sib_cmd_init_db(int argc, char **argv);
int sib_cmd_gen(int argc, char **argv);
int sib_cmd_config(int argc, char **argv);
int sib_cmd_report(int argc, char **argv);
int sib_cmd_run(int argc, char **argv);
int sib_cmd_reconcile(int argc, char **argv);

#endif
