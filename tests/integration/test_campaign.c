/* Integration tests: the clearing campaign across nightly runs (issue 4):
 * run as-of M, add payments, an enrollment and a death, run M+1, check
 * exactly who closed how and who opened, the counts and the outreach lists;
 * rerun M+1 and check nothing changed. Data: tests/reference/fixture_rules.sql. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/fixture.h"
#include "../support/testdb.h"
#include "common/json.h"

static sibt_fixture fx;

static void setup(void)
{
    sibt_fixture_setup(&fx, "integ_campaign");
}

static void teardown(void)
{
    sibt_fixture_teardown(&fx);
}

TestSuite(integ_campaign, .init = setup, .fini = teardown, .timeout = 120);

static void run(const char *month)
{
    char *o = NULL;
    int rc = sibt_run(&o, "run --dsn '%s' --as-of %s --out '%s' --config '%s' 2>&1", fx.dsn, month, fx.out, fx.cfg);
    cr_assert_eq(rc, 0, "run %s exited %d: %s", month, rc, o);
    free(o);
}

/* "opened_as_of|closed_as_of|resolution|months_unpaid" of the one target. */
static char *target(const char *ref, const char *reason, const char *type)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT opened_as_of || '|' || coalesce(closed_as_of::text, '') || '|' || coalesce(resolution, '')"
             " || '|' || coalesce(months_unpaid::text, '') FROM sibatch.target"
             " WHERE person_ref = '%s' AND reason = '%s' AND insurance_type = '%s'"
             " ORDER BY target_id DESC LIMIT 1", ref, reason, type);
    return sibt_query_text(fx.dsn, sql);
}

static void expect(const char *ref, const char *reason, const char *type, const char *want)
{
    char *got = target(ref, reason, type);
    cr_assert_str_eq(got, want, "%s %s %s", ref, reason, type);
    free(got);
}

static char *state(void)
{
    return sibt_query_text(fx.dsn,
        "SELECT string_agg(person_ref || ',' || reason || ',' || insurance_type || ',' || town_code || ','"
        " || opened_as_of || ',' || coalesce(closed_as_of::text, '-') || ',' || coalesce(resolution, '-')"
        " || ',' || coalesce(months_unpaid::text, '-'), ';' ORDER BY person_ref, reason, insurance_type, opened_as_of)"
        " FROM sibatch.target");
}

Test(integ_campaign, three_months)
{
    run("2025-11");
    expect("350581199002020221", "lapsed", "110", "202511|||3");     /* P2: paid to 202508 */
    expect("350581199205050519", "lapsed", "210", "202511|||71");    /* P5: never paid since 202001 */
    expect("350581197512311329", "uninsured", "", "202511|||");      /* P13 */
    expect("350581196601010822", "uninsured", "", "202511|||");      /* P8 */
    expect("350581196512311017", "uninsured", "", "202511|||");      /* P10: 59 at the end of November */
    cr_assert_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target WHERE person_ref = '350581198501141410'"), 0,
                 "P14 owes 2 months at 2025-11: not yet lapsed");

    /* What happens in December: P2 pays the arrears, P13 enrolls in 170, P8
     * dies, P5 (uninsured: 210 only) starts drawing a 170 pension. */
    sibt_exec(fx.dsn,
        "INSERT INTO si_src.contribution SELECT 201, p, 5000, 800, 400, '2025-12-20'"
        "  FROM unnest(ARRAY[202509, 202510, 202511, 202512]) p;"
        "INSERT INTO si_src.enrollment (enrollment_id, source_system, id_number, name, gender, birth_date,"
        "  insurance_type, worker_category, town_code, start_month, status)"
        "  VALUES (1303, 'resident', '350581197512311329', '蔡十三', '2', '1975-12-31', '170', 'resident',"
        "  '350581104', 202512, '1');"
        "INSERT INTO si_src.enrollment (enrollment_id, source_system, id_number, name, gender, birth_date,"
        "  insurance_type, worker_category, town_code, start_month, status, benefit_start_month)"
        "  VALUES (503, 'resident', '350581199205050519', '蔡五', '1', '1992-05-05', '170', 'resident',"
        "  '350581002', 202001, '3', 202512);"
        "UPDATE si_src.population SET deceased_on = '2025-12-10' WHERE pop_id = 8;");
    long opened_before = sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target");
    run("2025-12");
    expect("350581199002020221", "lapsed", "110", "202511|202512|paid|3");
    expect("350581197512311329", "uninsured", "", "202511|202512|enrolled|");
    expect("350581196601010822", "uninsured", "", "202511|202512|excluded|");    /* died */
    expect("350581196512311017", "uninsured", "", "202511|202512|excluded|");    /* P10 turned 60 */
    expect("350581199205050519", "uninsured", "", "202511|202512|excluded|");    /* P5 draws a pension */
    expect("350581199205050519", "lapsed", "210", "202511|||72");     /* refreshed */
    expect("350581198501141410", "lapsed", "110", "202512|||3");      /* P14 opens */
    long run2 = sibt_query_long(fx.dsn, "SELECT max(run_id) FROM sibatch.run WHERE status = 'published'");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT sum(closed_paid) * 100 + sum(closed_enrolled) * 10 + sum(closed_excluded)"
                              " FROM sibatch.run_count WHERE run_id = %ld", run2);
    cr_assert_eq(sibt_query_long(fx.dsn, sql), 113, "one closed as paid, one enrolled, three excluded");
    snprintf(sql, sizeof sql, "SELECT sum(opened) FROM sibatch.run_count WHERE run_id = %ld", run2);
    long opened = sibt_query_long(fx.dsn, sql);
    cr_assert_eq(opened, sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target") - opened_before);
    snprintf(sql, sizeof sql, "SELECT sum(open_targets) FROM sibatch.run_count WHERE run_id = %ld", run2);
    cr_assert_eq(sibt_query_long(fx.dsn, sql), sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target WHERE closed_run IS NULL"));

    /* the outreach lists carry first_flagged from the campaign state */
    char path[1024];
    snprintf(path, sizeof path, "%s/2025-12/clearing/350581105.csv.gz", fx.out);
    char *list = sibt_read_gz(path, NULL);
    cr_assert_not_null(list);
    cr_assert(strstr(list, "2025-12,350581105,350581********1410,许十四,1,40,lapsed,110,3,202509,,,2025-12\n"), "%s", list);
    free(list);
    snprintf(path, sizeof path, "%s/2025-12/clearing/350581002.csv.gz", fx.out);
    list = sibt_read_gz(path, NULL);
    cr_assert(strstr(list, ",lapsed,210,72,,鞋业工程队") || strstr(list, ",lapsed,210,72,,'+鞋业工程队"), "%s", list);
    cr_assert(strstr(list, ",2025-11\n"), "first flagged in November: %s", list);
    free(list);

    /* the same month again changes nothing */
    char *s1 = state();
    run("2025-12");
    char *s2 = state();
    cr_assert_str_eq(s1, s2);
    free(s1);
    free(s2);
}

/* "town_code|months_unpaid|last_as_of|resolution" of P5's lapsed 210 target. */
static char *p5_target(void)
{
    return sibt_query_text(fx.dsn,
        "SELECT town_code || '|' || months_unpaid || '|' || last_as_of || '|' || coalesce(resolution, '')"
        " FROM sibatch.target WHERE person_ref = '350581199205050519' AND reason = 'lapsed'"
        " AND insurance_type = '210' ORDER BY target_id DESC LIMIT 1");
}

static void expect_p5(const char *want, const char *when)
{
    char *got = p5_target();
    cr_assert_str_eq(got, want, "%s", when);
    free(got);
}

/* Redoing a month gives the state of running it once on the same data: the
 * targets the replaced run refreshed get their earlier values back. */
Test(integ_campaign, redoing_a_month_undoes_its_refreshes)
{
    run("2025-11");
    expect_p5("350581002|71|202511|", "November flags P5 (210, never paid) in 350581002");
    sibt_exec(fx.dsn, "UPDATE si_src.enrollment SET town_code = '350581105' WHERE enrollment_id = 501");
    run("2025-12");
    expect_p5("350581105|72|202512|", "December refreshes it: moved town, one month more");

    /* a late payment for December arrives, and December is run again */
    sibt_exec(fx.dsn, "INSERT INTO si_src.contribution VALUES (501, 202512, 3000, 30, 15, '2025-12-28')");
    run("2025-12");
    expect_p5("350581002|71|202511|paid", "closed as paid, as November last flagged it");
    long superseded = sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target_prior p JOIN sibatch.run r"
                                              " ON r.run_id = p.run_id WHERE r.status <> 'published'");
    cr_assert_eq(superseded, 0, "the replaced run's prior values went with it");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT closed_paid FROM sibatch.run_count WHERE town_code = '350581002'"
                              " AND insurance_type = '210' AND run_id = (SELECT max(run_id) FROM sibatch.run)");
    cr_assert_eq(sibt_query_long(fx.dsn, sql), 1, "the closure counts in the town it was flagged in");

    /* November and December run once each on the same data, in a second
     * database: the same targets */
    char *redone = NULL, *straight = NULL, *o = NULL;
    const char *cols = "SELECT string_agg(concat_ws(',', person_ref, reason, insurance_type, town_code, opened_as_of,"
                       " last_as_of, months_unpaid, last_paid, closed_as_of, resolution), ';'"
                       " ORDER BY person_ref, reason, insurance_type, opened_as_of) FROM sibatch.target";
    redone = sibt_query_text(fx.dsn, cols);
    sibt_fixture fx2;
    sibt_fixture_setup(&fx2, "integ_campaign_straight");
    cr_assert_eq(sibt_run(&o, "run --dsn '%s' --as-of 2025-11 --out '%s' --config '%s' 2>&1", fx2.dsn, fx2.out,
                          fx2.cfg), 0, "%s", o);
    free(o);
    o = NULL;
    sibt_exec(fx2.dsn, "UPDATE si_src.enrollment SET town_code = '350581105' WHERE enrollment_id = 501;"
                       "INSERT INTO si_src.contribution VALUES (501, 202512, 3000, 30, 15, '2025-12-28')");
    cr_assert_eq(sibt_run(&o, "run --dsn '%s' --as-of 2025-12 --out '%s' --config '%s' 2>&1", fx2.dsn, fx2.out,
                          fx2.cfg), 0, "%s", o);
    free(o);
    straight = sibt_query_text(fx2.dsn, cols);
    sibt_fixture_teardown(&fx2);
    cr_assert_str_eq(redone, straight);
    free(redone);
    free(straight);
}

/* A lapse threshold below 3 (110: 2 months) flags P14, who owes 2 months at
 * 2025-11: the manifest counts the target under "<3", not under "3-5". */
Test(integ_campaign, aging_below_three_months)
{
    FILE *fp = fopen(fx.cfg, "w");
    cr_assert_not_null(fp);
    fputs("{\"guard_reject_share\": 1.0, \"lapse_threshold_months\": {\"110\": 2}}\n", fp);
    fclose(fp);
    run("2025-11");
    expect("350581198501141410", "lapsed", "110", "202511|||2");
    char path[1024];
    snprintf(path, sizeof path, "%s/2025-11/manifest.json", fx.out);
    sib_error err = { 0 };
    cJSON *m = sib_json_load(path, &err);
    cr_assert_not_null(m, "%s", err.msg);
    const cJSON *clearing = cJSON_GetObjectItemCaseSensitive(m, "clearing");
    const cJSON *aging = cJSON_GetObjectItemCaseSensitive(clearing, "aging");
    const cJSON *town = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(clearing, "by_town"),
                                                         "350581105");
    cr_assert_eq(sib_json_num(aging, "<3", -1), 1);
    cr_assert_eq(sib_json_num(town, "<3", -1), 1);
    cr_assert_eq(sib_json_num(town, "3-5", -1), 0);
    double lapsed = sib_json_num(cJSON_GetObjectItemCaseSensitive(clearing, "by_reason"), "lapsed", -1), sum = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, aging)
        sum += b->valuedouble;
    cr_assert_eq(sum, lapsed, "the buckets add up to the lapsed targets");
    cJSON_Delete(m);
}
