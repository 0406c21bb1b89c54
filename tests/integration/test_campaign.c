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

    /* What happens in December: P2 pays the arrears, P13 enrolls in 170, P8 dies. */
    sibt_exec(fx.dsn,
        "INSERT INTO si_src.contribution SELECT 201, p, 5000, 800, 400, '2025-12-20'"
        "  FROM unnest(ARRAY[202509, 202510, 202511, 202512]) p;"
        "INSERT INTO si_src.enrollment (enrollment_id, source_system, id_number, name, gender, birth_date,"
        "  insurance_type, worker_category, town_code, start_month, status)"
        "  VALUES (1303, 'resident', '350581197512311329', '蔡十三', '2', '1975-12-31', '170', 'resident',"
        "  '350581104', 202512, '1');"
        "UPDATE si_src.population SET deceased_on = '2025-12-10' WHERE pop_id = 8;");
    long opened_before = sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target");
    run("2025-12");
    expect("350581199002020221", "lapsed", "110", "202511|202512|paid|3");
    expect("350581197512311329", "uninsured", "", "202511|202512|enrolled|");
    expect("350581196601010822", "uninsured", "", "202511|202512|excluded|");    /* died */
    expect("350581196512311017", "uninsured", "", "202511|202512|excluded|");    /* P10 turned 60 */
    expect("350581199205050519", "lapsed", "210", "202511|||72");     /* refreshed */
    expect("350581198501141410", "lapsed", "110", "202512|||3");      /* P14 opens */
    long run2 = sibt_query_long(fx.dsn, "SELECT max(run_id) FROM sibatch.run WHERE status = 'published'");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT sum(closed_paid) * 100 + sum(closed_enrolled) * 10 + sum(closed_excluded)"
                              " FROM sibatch.run_count WHERE run_id = %ld", run2);
    cr_assert_eq(sibt_query_long(fx.dsn, sql), 112, "one closed as paid, one enrolled, two excluded");
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
