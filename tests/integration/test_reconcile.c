/*
 * test_reconcile.c — sibatch reconcile after a real run (issue 6 acceptance):
 * exit 0 on a fresh run; then one edited byte of an extract, one deleted
 * extract row (re-gzipped deterministically) and one changed stored count are
 * each reported precisely (which file / scheme / town / column, expected and
 * found) with exit 5; no manifest or no database is exit 1.
 *
 * The data are the hand-made fixture (tests/reference/fixture_rules.sql);
 * run_generated repeats the first check on `sibatch gen` data when gen exists.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testdb.h"
#include "common/json.h"

static char *dsn;
static char *tmp;

static void setup(void)
{
    sibt_scratch_open("integ_reconcile", &dsn, &tmp);
}

static void teardown(void)
{
    sibt_scratch_close(&dsn, &tmp);
}

/* init-db, the fixture (or gen), and a published run into tmp/out. */
static void published_run(int generated)
{
    char *out = NULL;
    int rc = sibt_run(&out, "init-db --dsn '%s'", dsn);
    cr_assert_eq(rc, 0, "init-db: %s", out);
    free(out);
    if (generated) {
        rc = sibt_run(&out, "gen --dsn '%s' --scale 0.02 --seed 5 --as-of 2025-12 --log-level warn", dsn);
        cr_assert_eq(rc, 0, "gen exited %d: %.2000s", rc, out);
        free(out);
    } else {
        char *sql = sibt_read_file("tests/reference/fixture_rules.sql", NULL);
        cr_assert_not_null(sql);
        sibt_exec(dsn, sql);
        free(sql);
    }
    char conf[1024];
    snprintf(conf, sizeof conf, "%s/guard.json", tmp);
    FILE *f = fopen(conf, "w");
    cr_assert_not_null(f);
    fputs("{\"guard_reject_share\": 0.9}\n", f);
    fclose(f);
    rc = sibt_run(&out, "run --dsn '%s' --config '%s' --as-of 2025-12 --out '%s/out' --log-level warn", dsn, conf, tmp);
    cr_assert_eq(rc, 0, "run exited %d: %.2000s", rc, out);
    free(out);
}

/* Runs reconcile on a manifest with --format json; returns the exit code and
 * the parsed report in *doc (caller cJSON_Deletes). */
static int reconcile_json(const char *manifest, cJSON **doc)
{
    char *out = NULL;
    int rc = sibt_run(&out, "reconcile --dsn '%s' --manifest '%s' --format json --log-level warn 2>/dev/null",
                      dsn, manifest);
    *doc = cJSON_Parse(out ? out : "");
    cr_assert_not_null(*doc, "reconcile (exit %d) did not print JSON: %.2000s", rc, out);
    free(out);
    return rc;
}

/* The mismatched items as "check|file|scheme|town|column|expected|found" lines. */
static char *mismatches(const cJSON *doc)
{
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    s[0] = '\0';
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "items")) {
        if (strcmp(sib_json_str(it, "status", ""), "mismatch") != 0)
            continue;
        char line[700];
        int n = snprintf(line, sizeof line, "%s|%s|%s|%s|%s|%s|%s\n", sib_json_str(it, "check", ""),
                         sib_json_str(it, "file", ""), sib_json_str(it, "scheme", ""), sib_json_str(it, "town", ""),
                         sib_json_str(it, "column", ""), sib_json_str(it, "expected", ""),
                         sib_json_str(it, "found", ""));
        while (len + (size_t)n + 1 > cap) {
            cap *= 2;
            s = realloc(s, cap);
        }
        memcpy(s + len, line, (size_t)n + 1);
        len += (size_t)n;
    }
    return s;
}

/* Runs a shell command (printf-style); fails the test unless it exits 0. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    cr_assert_eq(rc, 0, "'%s' failed (%d)", cmd, rc);
}

/* Copies the published run directory (following the symlink) to tmp/copy. */
static void copy_run(char *manifest, size_t cap)
{
    sh("cp -RL '%s/out/2025-12' '%s/copy'", tmp, tmp);
    snprintf(manifest, cap, "%s/copy/manifest.json", tmp);
}

Test(integ_reconcile, fresh_run_matches, .init = setup, .fini = teardown, .timeout = 300)
{
    published_run(0);
    char *out = NULL;
    int rc = sibt_run(&out, "reconcile --dsn '%s' --as-of 2025-12 --dir '%s/out'", dsn, tmp);
    cr_assert_eq(rc, 0, "reconcile exited %d:\n%.4000s", rc, out);
    cr_assert(strstr(out, "result=OK") != NULL, "%s", out);
    cr_assert(strstr(out, "mismatched=0") != NULL, "%s", out);
    /* every kind of check ran */
    const char *kinds[] = { "ok        file ", "ok        total ", "ok        run ", "ok        stored ",
                            "ok        source " };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        cr_expect(strstr(out, kinds[i]) != NULL, "no '%s' line in:\n%.3000s", kinds[i], out);
    free(out);
}

Test(integ_reconcile, edited_byte, .init = setup, .fini = teardown, .timeout = 300)
{
    published_run(0);
    char manifest[1024], path[1100];
    copy_run(manifest, sizeof manifest);
    snprintf(path, sizeof path, "%s/copy/unemployment.csv.gz", tmp);
    size_t len = 0;
    char *data = sibt_read_file(path, &len);
    cr_assert_not_null(data);
    data[len / 2] ^= 0x20;          /* one byte inside the deflate data */
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);

    cJSON *doc = NULL;
    int rc = reconcile_json(manifest, &doc);
    char *mm = mismatches(doc);
    cr_expect_eq(rc, 5, "exit %d, mismatches:\n%s", rc, mm);
    cr_expect(strstr(mm, "file|unemployment.csv.gz|||sha256|") != NULL, "sha256 not reported:\n%s", mm);
    /* only that file is reported among the files; bytes still match */
    cr_expect(strstr(mm, "file|pension.csv.gz") == NULL, "%s", mm);
    cr_expect(strstr(mm, "file|injury.csv.gz") == NULL, "%s", mm);
    cr_expect(strstr(mm, "unemployment.csv.gz|||bytes|") == NULL, "%s", mm);
    free(mm);
    cJSON_Delete(doc);
}

Test(integ_reconcile, deleted_row, .init = setup, .fini = teardown, .timeout = 300)
{
    published_run(0);
    char manifest[1024];
    copy_run(manifest, sizeof manifest);
    /* drop the 2nd data row (3rd line) of pension.csv.gz; gzip -n: no name, no time */
    sh("cd '%s/copy' && gzip -dc pension.csv.gz | sed '3d' > p.csv && gzip -n -c p.csv > pension.csv.gz && rm p.csv",
       tmp);

    cJSON *doc = NULL;
    int rc = reconcile_json(manifest, &doc);
    char *mm = mismatches(doc);
    cr_expect_eq(rc, 5, "exit %d, mismatches:\n%s", rc, mm);
    /* the fixture's 2nd pension row is 350581002 / 110 (see test_reference.c) */
    cr_expect(strstr(mm, "file|pension.csv.gz|||rows|11|10\n") != NULL, "rows not reported:\n%s", mm);
    cr_expect(strstr(mm, "file|pension.csv.gz|||sha256|") != NULL, "%s", mm);
    cr_expect(strstr(mm, "stored|pension.csv.gz|110|350581002|insured_persons|0|(no row)\n") != NULL,
              "the missing row is not reported by key:\n%s", mm);
    cr_expect(strstr(mm, "source|pension.csv.gz|110|350581002|insured_persons|0|(no row)\n") != NULL, "%s", mm);
    /* the manifest's 110 totals no longer match: conflict_persons lost P3 */
    cr_expect(strstr(mm, "total|pension.csv.gz|110||conflict_persons|2|1\n") != NULL, "%s", mm);
    /* nothing about the other rows, schemes or files */
    cr_expect(strstr(mm, "|350581001|") == NULL, "%s", mm);
    cr_expect(strstr(mm, "unemployment.csv.gz") == NULL, "%s", mm);
    cr_expect(strstr(mm, "gzip") == NULL, "re-gzipped file is intact:\n%s", mm);
    free(mm);
    cJSON_Delete(doc);
}

Test(integ_reconcile, changed_stored_count, .init = setup, .fini = teardown, .timeout = 300)
{
    published_run(0);
    /* P2 (lapsed in 110, town 350581001) made contributing in the stored facts */
    sibt_exec(dsn, "UPDATE sibatch.person_scheme s SET lapsed = false, contributing = true "
                   "FROM sibatch.person p WHERE p.person_id = s.person_id "
                   "AND p.person_key = '350581199002020221' AND s.insurance_type = '110'");
    char manifest[1024];
    snprintf(manifest, sizeof manifest, "%s/out/2025-12/manifest.json", tmp);
    cJSON *doc = NULL;
    int rc = reconcile_json(manifest, &doc);
    char *mm = mismatches(doc);
    cr_expect_eq(rc, 5, "exit %d, mismatches:\n%s", rc, mm);
    cr_expect_str_eq(mm,
                     "stored|pension.csv.gz|110|350581001|contributing_persons|2|1\n"
                     "stored|pension.csv.gz|110|350581001|lapsed_persons|0|1\n",
                     "exactly the two stored counts must be reported:\n%s", mm);
    free(mm);
    cJSON_Delete(doc);
}

Test(integ_reconcile, cannot_check, .init = setup, .fini = teardown)
{
    char *out = NULL;
    int rc = sibt_run(&out, "reconcile --dsn '%s' --manifest '%s/none/manifest.json'", dsn, tmp);
    cr_expect_eq(rc, 1, "no manifest: exit %d: %s", rc, out);
    cr_expect(strstr(out, "cannot check") != NULL, "%s", out);
    free(out);
    rc = sibt_run(&out, "reconcile --dsn 'host=127.0.0.1 port=1 dbname=x connect_timeout=2' --as-of 2025-12 --dir '%s'",
                  tmp);
    cr_expect_eq(rc, 1, "no database: exit %d: %s", rc, out);
    free(out);
    rc = sibt_run(&out, "reconcile --dsn '%s' 2>&1", dsn);
    cr_expect_eq(rc, 2, "neither --as-of nor --manifest is a usage error: %d %s", rc, out);
    free(out);
}

Test(integ_reconcile, generated_run_matches, .init = setup, .fini = teardown, .timeout = 900)
{
    published_run(1);
    char *out = NULL;
    int rc = sibt_run(&out, "reconcile --dsn '%s' --as-of 2025-12 --dir '%s/out' --problems-only", dsn, tmp);
    cr_assert_eq(rc, 0, "reconcile exited %d:\n%.4000s", rc, out);
    free(out);
}

/* The DBA views (sql/views.sql) on the fixture's run. */
Test(integ_reconcile, dba_views, .init = setup, .fini = teardown, .timeout = 300)
{
    published_run(0);
    /* P4's 110 (canonical ID) and 170 (lower-case x) rows: why merged */
    char *why = sibt_query_text(dsn, "SELECT reason || '|' || masked_id_number || '|' || other_masked_id_number "
                                     "FROM sibatch.v_merge_reason WHERE enrollment_id = 401 AND other_enrollment_id = 402");
    cr_expect_str_eq(why, "both IDs give the same person key (exact / normalized)|350581********042X|350581********042x");
    free(why);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.v_merge_reason WHERE enrollment_id IN (401, 402)"), 2);
    /* P1's two 110 rows form one cluster; P14's three */
    char *cl = sibt_query_text(dsn, "SELECT string_agg(enrollment_ids::text || ':' || duplicates || ':' || survivor_id, ' ' "
                                    "ORDER BY survivor_id) FROM sibatch.v_duplicate_cluster");
    cr_expect_str_eq(cl, "{101,102}:1:101 {1401,1402,1403}:2:1403");
    free(cl);
    char *cf = sibt_query_text(dsn, "SELECT string_agg(masked_ref || ':' || overlap_months || ':' || refund_due, ' ' "
                                    "ORDER BY masked_ref) FROM sibatch.v_conflict");
    cr_expect_str_eq(cf, "350581********0315:6:0.00 350581********042X:12:1440.00");
    free(cf);
    char *ag = sibt_query_text(dsn, "SELECT string_agg(aging_bucket || '=' || n, ' ' ORDER BY aging_bucket) FROM "
                                    "(SELECT aging_bucket, count(*) n FROM sibatch.v_clearing_open GROUP BY 1) x");
    cr_expect_str_eq(ag, "12-23=1 24+=1 3-5=3 6-11=1 uninsured=3");
    free(ag);
    char *rj = sibt_query_text(dsn, "SELECT rows FROM sibatch.v_reject_summary WHERE source_table = 'contribution' "
                                    "AND reason = 'repeat'");
    cr_expect_str_eq(rj, "4");
    free(rj);
    char *rh = sibt_query_text(dsn, "SELECT as_of || ' ' || status || ' ' || open_targets FROM sibatch.v_run_history");
    cr_expect_str_eq(rh, "2025-12 published 9");
    free(rh);
    char *vp = sibt_query_text(dsn, "SELECT how_resolved || ' ' || enrollments FROM sibatch.v_person "
                                    "WHERE masked_ref = '350581********042X'");
    cr_expect_str_eq(vp, "key (some IDs normalized) 2");
    free(vp);
    /* no view meant for people shows a full 18-character ID */
    cr_expect_eq(sibt_query_long(dsn,
        "SELECT count(*) FROM (SELECT masked_ref AS v FROM sibatch.v_person UNION ALL "
        "SELECT masked_id_number FROM sibatch.v_merge_reason UNION ALL SELECT masked_ref FROM sibatch.v_clearing_open "
        "UNION ALL SELECT masked_ref FROM sibatch.v_conflict) x WHERE v ~ '^[0-9]{17}[0-9Xx]$'"), 0);
}
