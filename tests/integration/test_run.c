/* Integration tests: sibatch run against the private PostgreSQL — publication,
 * byte-identical reruns, the lock, the guard, dry runs, refused months, and
 * runs stopped by SIGTERM, SIGKILL or a lost database (issue 5). Data: the
 * hand-made fixture tests/reference/fixture_rules.sql (as-of 2025-12). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/fixture.h"
#include "../support/testdb.h"
#include "common/json.h"

static sibt_fixture fx;

static void setup(void)
{
    sibt_fixture_setup(&fx, "integ_run");
}

static void teardown(void)
{
    char log[1024];
    snprintf(log, sizeof log, "%s.failpoint.log", fx.out);
    unlink(log);        /* start_paused's */
    sibt_fixture_teardown(&fx);
}

TestSuite(integ_run, .init = setup, .fini = teardown, .timeout = 120);

static int run(char **o, const char *extra)
{
    return sibt_run(o, "run --dsn '%s' --as-of 2025-12 --out '%s' --config '%s' %s 2>&1", fx.dsn, fx.out, fx.cfg, extra);
}

static pid_t start_paused(const char *point);
static int wait_exit(pid_t pid);

static char *sha_all(void)
{
    char *o = NULL;
    cr_assert_eq(sibt_sh(&o, "cd '%s/2025-12' && sha256sum *.gz clearing/*.gz", fx.out), 0, "%s", o);
    return o;
}

/* The manifest without its documented volatile fields. */
static char *stable_manifest(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/2025-12/manifest.json", fx.out);
    sib_error err = { 0 };
    cJSON *m = sib_json_load(path, &err);
    cr_assert_not_null(m, "%s", err.msg);
    cJSON_DeleteItemFromObject(m, "run_id");
    cJSON_DeleteItemFromObject(m, "started_at");
    cJSON_DeleteItemFromObject(m, "finished_at");
    cJSON_DeleteItemFromObject(m, "snapshot");
    char *s = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    return s;
}

Test(integ_run, publishes_and_reruns_byte_identical)
{
    char *o = NULL;
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    char link[1024];
    snprintf(link, sizeof link, "%s/2025-12/manifest.json", fx.out);
    cr_assert(sibt_file_exists(link));
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'published'"), 1);
    char *a = sha_all(), *ma = stable_manifest();
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    char *b = sha_all(), *mb = stable_manifest();
    cr_assert_str_eq(a, b, "a rerun gives the same bytes");
    cr_assert_str_eq(ma, mb, "a rerun's manifest differs only in volatile fields");
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'superseded'"), 1);
    /* gzip -t and the manifest's checksums */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s/2025-12' && gzip -t *.gz clearing/*.gz", fx.out);
    cr_assert_eq(system(cmd), 0);
    free(a);
    free(b);
    free(ma);
    free(mb);
}

Test(integ_run, second_concurrent_run_exits_3)
{
    /* a first run holds the lock, paused while it reads */
    char *o = NULL;
    pid_t first = start_paused("after_read");
    long holder = sibt_query_long(fx.dsn, "SELECT run_id FROM sibatch.run WHERE status = 'running'");
    int rc = run(&o, "");
    cr_assert_eq(rc, 3, "exit %d: %s", rc, o);
    char want[64];
    snprintf(want, sizeof want, "another run holds the lock: run %ld (pid ", holder);
    cr_assert(strstr(o, want), "names the holder (%s): %s", want, o);
    cr_assert(strstr(o, "as-of 202512) since 20"), "says since when: %s", o);
    free(o);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run"), 1, "the refused run registers nothing");
    kill(first, SIGTERM);
    cr_assert_eq(wait_exit(first), 143);
    cr_assert_eq(run(&o, ""), 0, "after the holder is gone: %s", o);
    free(o);
}

Test(integ_run, guard_exits_4_and_publishes_nothing)
{
    char *o = NULL;
    int rc = sibt_run(&o, "run --dsn '%s' --as-of 2025-12 --out '%s' 2>&1", fx.dsn, fx.out);
    cr_assert_eq(rc, 4, "exit %d: %s", rc, o);
    cr_assert(strstr(o, "insurance_type=2"), "counts by reason: %s", o);
    free(o);
    char path[1024];
    snprintf(path, sizeof path, "%s/2025-12", fx.out);
    cr_assert_not(sibt_file_exists(path));
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'guard'"), 1);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target"), 0);
}

static char *db_state(void)
{
    return sibt_query_text(fx.dsn,
        "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
        " SELECT 'run:' || run_id || status || coalesce(finished_at::text, '') AS x FROM sibatch.run"
        " UNION ALL SELECT 'target:' || t::text FROM sibatch.target t"
        " UNION ALL SELECT 'count:' || c::text FROM sibatch.run_count c"
        " UNION ALL SELECT 'ps:' || count(*) FROM sibatch.person_scheme) s");
}

static char *tree(void)
{
    char *o = NULL;
    cr_assert_eq(sibt_sh(&o, "cd '%s' && find . -printf '%%p %%s %%T@\\n' | sort", fx.out), 0, "%s", o);
    return o;
}

Test(integ_run, dry_run_writes_nothing)
{
    char *o = NULL;
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    char *s1 = db_state(), *t1 = tree();
    cr_assert_eq(run(&o, "--dry-run"), 0, "%s", o);
    cr_assert(strstr(o, "\"totals\""), "the summary is printed: %s", o);
    free(o);
    char *s2 = db_state(), *t2 = tree();
    cr_assert_str_eq(s1, s2, "database untouched");
    cr_assert_str_eq(t1, t2, "output folder untouched");
    free(s1);
    free(s2);
    free(t1);
    free(t2);
}

Test(integ_run, earlier_month_refused_unless_forced)
{
    char *o = NULL;
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    int rc = sibt_run(&o, "run --dsn '%s' --as-of 2025-11 --out '%s' --config '%s' 2>&1", fx.dsn, fx.out, fx.cfg);
    cr_assert_eq(rc, 2, "exit %d: %s", rc, o);
    cr_assert(strstr(o, "before the last published run"), "%s", o);
    free(o);
    rc = sibt_run(&o, "run --dsn '%s' --as-of 2025-11 --out '%s' --config '%s' --force 2>&1", fx.dsn, fx.out, fx.cfg);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, o);
    free(o);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'published'"), 1);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT max(as_of) FROM sibatch.run WHERE status = 'published'"), 202511);
}

/* Starts a run in the background with a failpoint; returns its pid. */
/* Starts a run that sleeps 10 s at the named failpoint and returns once it
 * is there: its log (stderr, kept in a file beside the output directory)
 * shows the failpoint line. Polling the run table instead raced: a run of
 * the small fixture can pass from 'running' to 'published' between two
 * polls. */
static pid_t start_paused(const char *point)
{
    char log[1024], want[128];
    snprintf(log, sizeof log, "%s.failpoint.log", fx.out);
    snprintf(want, sizeof want, "failpoint=%s ", point);
    unlink(log);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        char fp[128], as[] = "2025-12";
        snprintf(fp, sizeof fp, "%s:10000", point);
        setenv("SIB_FAILPOINT", fp, 1);
        const char *bin = getenv("SIBATCH_BIN") ? getenv("SIBATCH_BIN") : "./bin/sibatch";
        if (!freopen(log, "w", stderr))
            _exit(126);
        execl(bin, bin, "run", "--dsn", fx.dsn, "--as-of", as, "--out", fx.out, "--config", fx.cfg, (char *)NULL);
        _exit(127);
    }
    int there = 0;
    for (int i = 0; i < 600 && !there; i++) {
        usleep(100000);
        char *text = NULL;
        there = sibt_sh(&text, "cat '%s'", log) == 0 && strstr(text, want) != NULL;
        free(text);
    }
    cr_assert(there, "the run did not reach failpoint %s within 60 s (log %s)", point, log);
    return pid;
}

static int wait_exit(pid_t pid)
{
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Every row of the current tables (the latest published run's detail). */
static char *current_tables(void)
{
    return sibt_query_text(fx.dsn,
        "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
        " SELECT 'p' || t::text AS x FROM sibatch.person t"
        " UNION ALL SELECT 'e' || t::text FROM sibatch.enrollment_link t"
        " UNION ALL SELECT 'l' || t::text FROM sibatch.population_link t"
        " UNION ALL SELECT 'd' || t::text FROM sibatch.duplicate t"
        " UNION ALL SELECT 's' || t::text FROM sibatch.person_scheme t"
        " UNION ALL SELECT 'c' || t::text FROM sibatch.conflict_month t"
        " UNION ALL SELECT 'v' || t::text FROM sibatch.review t"
        " UNION ALL SELECT 'r' || t::text FROM sibatch.reject t) s");
}

/* before: sha_all() and current_tables() of the published state. */
static void assert_previous_intact(const char *before, const char *tables)
{
    char *now = sha_all();
    cr_assert_str_eq(before, now, "the previous published files are intact");
    free(now);
    /* the persons and links are stored during the read: rolled back too */
    now = current_tables();
    cr_assert_str_eq(tables, now, "the previous run's tables are intact");
    free(now);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "find '%s' -name '*.tmp' -o -name '.tmp-*' | grep -q .", fx.out);
    cr_assert_neq(system(cmd), 0, "no temporary file left");
}

Test(integ_run, sigterm_rolls_back)
{
    const char *points[] = { "after_read", "after_store", "before_commit" };
    char *o = NULL;
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    char *before = sha_all(), *tables = current_tables();
    for (int i = 0; i < 3; i++) {
        pid_t pid = start_paused(points[i]);
        kill(pid, SIGTERM);
        cr_assert_eq(wait_exit(pid), 143, "at %s", points[i]);
        assert_previous_intact(before, tables);
        cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'aborted'"), i + 1);
        cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'published'"), 1);
    }
    free(before);
    free(tables);
    cr_assert_eq(run(&o, ""), 0, "a following run succeeds: %s", o);
    free(o);
}

Test(integ_run, sigkill_leaves_previous_state)
{
    char *o = NULL;
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    char *before = sha_all(), *tables = current_tables();
    pid_t pid = start_paused("after_store");
    kill(pid, SIGKILL);
    cr_assert_eq(wait_exit(pid), 128 + SIGKILL);
    char *now = sha_all();
    cr_assert_str_eq(before, now);
    free(now);
    now = current_tables();
    cr_assert_str_eq(tables, now, "the previous run's tables are intact");
    free(now);
    free(before);
    free(tables);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'running'"), 1,
                 "the killed run is visibly incomplete");
    cr_assert_eq(run(&o, ""), 0, "a following run succeeds: %s", o);
    free(o);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'running'"), 0);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'failed'"), 1);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "find '%s' -name '.tmp-*' | grep -q .", fx.out);
    cr_assert_neq(system(cmd), 0, "the dead run's staging directory was cleaned up");
}

Test(integ_run, killed_after_commit_is_repaired)
{
    char *o = NULL;
    pid_t pid = start_paused("after_commit");
    kill(pid, SIGKILL);
    wait_exit(pid);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'published'"), 1);
    char path[1024];
    snprintf(path, sizeof path, "%s/2025-12", fx.out);
    cr_assert_not(sibt_file_exists(path), "committed but not yet linked");
    /* the next run repairs the link before doing its own work */
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    cr_assert(strstr(o, "repaired=2025-12"), "%s", o);
    free(o);
    cr_assert(sibt_file_exists(path));
}

Test(integ_run, database_lost_mid_run_exits_1)
{
    char *o = NULL;
    cr_assert_eq(run(&o, ""), 0, "%s", o);
    free(o);
    char *before = sha_all(), *tables = current_tables();
    pid_t pid = start_paused("after_store");
    char *dbname = sibt_query_text(fx.dsn, "SELECT current_database()");
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '%s' "
             "AND application_name LIKE 'sibatch run%%'", dbname);
    cr_assert_geq(sibt_query_long(fx.dsn, sql), 1);
    free(dbname);
    kill(pid, SIGCONT);
    int rc = wait_exit(pid);
    cr_assert_eq(rc, 1, "exit %d", rc);
    assert_previous_intact(before, tables);
    free(before);
    free(tables);
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.run WHERE status = 'published'"), 1);
}
