/*
 * test_cli.c — the command line contract of bin/sibatch: help, version,
 * usage errors (exit 2, one line on stderr), connection failures (exit 1,
 * a clear message, never the password).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testdb.h"

/* The stdout of a run is what is left with 2>/dev/null; its stderr what is
 * left with >/dev/null. */

Test(integ_cli, help_exits_0_on_stdout)
{
    char *out = NULL, *err = NULL;
    int rc = sibt_run(&out, "--help 2>/dev/null");
    int rc2 = sibt_run(&err, "--help >/dev/null");
    cr_expect_eq(rc, 0, "sibatch --help exited %d", rc);
    cr_expect_eq(rc2, 0);
    cr_expect(strstr(out, "usage: sibatch") != NULL, "no usage line on stdout: [%s]", out);
    cr_expect(strstr(out, "init-db") != NULL, "the command list lacks init-db: [%s]", out);
    cr_expect_str_empty(err, "--help wrote to stderr: [%s]", err);
    free(out);
    free(err);
}

Test(integ_cli, command_help_exits_0_on_stdout)
{
    char *out = NULL, *err = NULL;
    int rc = sibt_run(&out, "init-db --help 2>/dev/null");
    sibt_run(&err, "init-db --help >/dev/null");
    cr_expect_eq(rc, 0, "sibatch init-db --help exited %d", rc);
    cr_expect(strstr(out, "usage: sibatch init-db") != NULL, "[%s]", out);
    cr_expect(strstr(out, "--dsn") != NULL, "the common options are missing: [%s]", out);
    cr_expect_str_empty(err, "[%s]", err);
    free(out);
    free(err);
}

Test(integ_cli, version)
{
    char *out = NULL;
    int rc = sibt_run(&out, "--version 2>/dev/null");
    cr_expect_eq(rc, 0, "sibatch --version exited %d", rc);
    cr_expect_str_eq(out, "sibatch " SIB_VERSION "\n");
    free(out);
}

/* A usage error: exit 2, nothing on stdout, exactly one line on stderr that
 * contains `needle`. */
static void expect_usage_error(const char *args, const char *needle)
{
    char *out = NULL, *err = NULL;
    int rc = sibt_run(&out, "%s 2>/dev/null", args);
    int rc2 = sibt_run(&err, "%s >/dev/null", args);
    cr_expect_eq(rc, 2, "sibatch %s exited %d, not 2", args, rc);
    cr_expect_eq(rc2, 2);
    cr_expect_str_empty(out, "sibatch %s wrote to stdout: [%s]", args, out);
    cr_expect_eq(sibt_count_lines(err), 1, "sibatch %s: not one line on stderr: [%s]", args, err);
    cr_expect(strstr(err, needle) != NULL, "sibatch %s: [%s] does not mention '%s'", args, err,
              needle);
    free(out);
    free(err);
}

Test(integ_cli, unknown_command_exits_2)
{
    expect_usage_error("frobnicate", "frobnicate");
}

Test(integ_cli, missing_command_exits_2)
{
    expect_usage_error("", "command");
}

Test(integ_cli, unknown_option_exits_2)
{
    expect_usage_error("init-db --frobnicate", "option");
}

Test(integ_cli, unexpected_argument_exits_2)
{
    expect_usage_error("init-db extra", "extra");
}

/* Connection to a port where nothing listens: exit 1, a message that says it
 * could not connect, and never the password of the DSN. */
static void expect_connect_failure(const char *dsn)
{
    char *out = NULL;
    char *q = sibt_shell_quote(dsn);
    cr_assert_not_null(q);
    int rc = sibt_run(&out, "init-db --log-level debug --dsn %s", q);
    free(q);
    cr_expect_eq(rc, 1, "exit %d, not 1: [%s]", rc, out);
    cr_expect(strstr(out, "connect") != NULL, "no clear message: [%s]", out);
    cr_expect(strstr(out, "Sekr3tPw") == NULL, "the password was printed: [%s]", out);
    free(out);
}

Test(integ_cli, connection_failure_keyword_dsn)
{
    expect_connect_failure("host=127.0.0.1 port=1 user=nobody password=Sekr3tPw dbname=x "
                           "connect_timeout=5");
}

Test(integ_cli, connection_failure_uri_dsn)
{
    expect_connect_failure("postgresql://nobody:Sekr3tPw@127.0.0.1:1/x?connect_timeout=5");
}

Test(integ_cli, connection_failure_password_from_env)
{
    /* Each test runs in its own process: the variables die with it. */
    setenv("PGHOST", "127.0.0.1", 1);
    setenv("PGPORT", "1", 1);
    setenv("PGPASSWORD", "Sekr3tPw", 1);
    setenv("PGCONNECT_TIMEOUT", "5", 1);
    char *out = NULL;
    int rc = sibt_run(&out, "init-db --log-level debug");
    cr_expect_eq(rc, 1, "exit %d, not 1: [%s]", rc, out);
    cr_expect(strstr(out, "connect") != NULL, "no clear message: [%s]", out);
    cr_expect(strstr(out, "Sekr3tPw") == NULL, "the password was printed: [%s]", out);
    free(out);
}
