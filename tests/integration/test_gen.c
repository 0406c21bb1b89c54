/*
 * test_gen.c — sibatch gen against the private cluster: the same arguments
 * give identical tables (checksums of every si_src and si_truth table), every
 * fault kind is injected and recorded, every person key is a valid GB 11643
 * number, and at scale 1 the distinct true insured persons per scheme,
 * computed here by independent SQL over si_src and the true identities
 * (definitions.md §1 and §4), are within 0.5 % of the city's figures.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/fault.h"
#include "../support/testdb.h"

static char *dsn;

static void setup(void) { dsn = sibt_db_create("integ_gen"); }
static void teardown(void) { sibt_db_drop(dsn); dsn = NULL; }

static void gen(const char *args)
{
    char *out = NULL;
    int rc = sibt_run(&out, "gen --dsn '%s' %s 2>&1", dsn, args);
    cr_assert_eq(rc, 0, "gen %s exited %d: %s", args, rc, out);
    free(out);
}

/* md5 of every table's rows in a fixed order (malloc'd). */
static char *checksums(void)
{
    return sibt_query_text(dsn,
        "SELECT string_agg(t || '=' || h, ' ' ORDER BY t) FROM ("
        " SELECT 'employer' t, md5(string_agg(x::text, E'\\n' ORDER BY x.unit_id)) h FROM si_src.employer x UNION ALL"
        " SELECT 'enrollment', md5(string_agg(x::text, E'\\n' ORDER BY x.enrollment_id)) FROM si_src.enrollment x UNION ALL"
        " SELECT 'contribution', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_src.contribution x UNION ALL"
        " SELECT 'population', md5(string_agg(x::text, E'\\n' ORDER BY x.pop_id)) FROM si_src.population x UNION ALL"
        " SELECT 'person', md5(string_agg(x::text, E'\\n' ORDER BY x.person_id)) FROM si_truth.person x UNION ALL"
        " SELECT 'enrollment_person', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.enrollment_person x UNION ALL"
        " SELECT 'population_person', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.population_person x UNION ALL"
        " SELECT 'fault', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.fault x UNION ALL"
        " SELECT 'calibration', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.calibration x UNION ALL"
        " SELECT 'lapsed', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.expected_lapsed x UNION ALL"
        " SELECT 'uninsured', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.expected_uninsured x UNION ALL"
        " SELECT 'conflict', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.expected_conflict x UNION ALL"
        " SELECT 'pairs', md5(string_agg(x::text, E'\\n' ORDER BY x::text)) FROM si_truth.expected_duplicate_pair x) s");
}

Test(integ_gen, same_seed_same_tables, .init = setup, .fini = teardown)
{
    gen("--seed 7 --scale 0.02 --as-of 2020-12");
    char *a = checksums();
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_src.contribution"), 10000);
    gen("--seed 7 --scale 0.02 --as-of 2020-12");
    char *b = checksums();
    cr_assert_str_eq(a, b, "two runs with seed 7 differ");
    gen("--seed 8 --scale 0.02 --as-of 2020-12");
    char *c = checksums();
    cr_assert_str_neq(a, c, "seed 8 gave the same tables as seed 7");
    free(a);
    free(b);
    free(c);
}

Test(integ_gen, every_fault_kind_recorded, .init = setup, .fini = teardown)
{
    gen("--seed 3 --scale 0.02 --as-of 2020-12");
    for (int k = 0; k < SIB_F_COUNT; k++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM si_truth.fault WHERE kind = '%s'", sib_gen_fault_name(k));
        cr_expect_gt(sibt_query_long(dsn, sql), 0, "fault kind %s not injected", sib_gen_fault_name(k));
    }
    /* The recorded faults are really in the data. */
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_src.enrollment e JOIN si_truth.fault f"
                                      " ON f.table_name = 'enrollment' AND f.row_key = e.enrollment_id::text"
                                      " WHERE f.kind = 'id_missing' AND e.id_number IS NULL"), 0);
    cr_assert_eq(sibt_query_long(dsn, "SELECT count(*) FROM si_truth.fault f WHERE f.kind = 'orphan_contribution'"
                                      " AND EXISTS (SELECT 1 FROM si_src.enrollment e"
                                      "  WHERE e.enrollment_id::text = split_part(f.row_key, ':', 1))"), 0);
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_src.enrollment WHERE insurance_type IN ('310', '510')"), 0);
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_src.enrollment WHERE length(name) = 2000"), 0);
    /* --faults-off: no fault at all. */
    gen("--seed 3 --scale 0.01 --as-of 2020-12 --faults-off");
    cr_assert_eq(sibt_query_long(dsn, "SELECT count(*) FROM si_truth.fault"), 0);
}

Test(integ_gen, keys_valid_and_truth_complete, .init = setup, .fini = teardown)
{
    gen("--seed 5 --scale 0.02 --as-of 2020-12 --months 24");
    /* GB 11643 check over every person key, computed in SQL. */
    cr_assert_eq(sibt_query_long(dsn,
        "SELECT count(*) FROM si_truth.person p WHERE person_key !~ '^[0-9]{17}[0-9X]$' OR "
        " substr('10X98765432', (SELECT sum(substr(p.person_key, i, 1)::int * (((2 ^ (18 - i))::bigint) % 11))"
        "   FROM generate_series(1, 17) i)::int % 11 + 1, 1) <> substr(person_key, 18, 1)"), 0);
    cr_assert_eq(sibt_query_long(dsn, "SELECT count(*) FROM si_src.enrollment e"
                                      " LEFT JOIN si_truth.enrollment_person t USING (enrollment_id) WHERE t.person_id IS NULL"), 0);
    cr_assert_eq(sibt_query_long(dsn, "SELECT count(*) FROM si_src.population e"
                                      " LEFT JOIN si_truth.population_person t USING (pop_id) WHERE t.person_id IS NULL"), 0);
    /* History: 24 months back from 2020-12, nothing older. */
    cr_assert_eq(sibt_query_long(dsn, "SELECT min(period) FROM si_src.contribution WHERE enrollment_id < 9000000000"), 201901);
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_truth.expected_lapsed"), 0);
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_truth.expected_uninsured"), 0);
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_truth.expected_conflict WHERE kind = 'refund' AND refund_due > 0"), 0);
    cr_assert_gt(sibt_query_long(dsn, "SELECT count(*) FROM si_truth.expected_duplicate_pair"), 0);
    /* Expected lapsed persons really have an open enrollment in that scheme. */
    cr_assert_eq(sibt_query_long(dsn,
        "SELECT count(*) FROM si_truth.expected_lapsed l WHERE NOT EXISTS ("
        " SELECT 1 FROM si_src.enrollment e JOIN si_truth.enrollment_person t USING (enrollment_id)"
        " WHERE t.person_id = l.person_id AND e.insurance_type = l.insurance_type"
        "   AND e.status IN ('1', '2') AND (e.end_month IS NULL OR e.end_month >= 202012))"), 0);
}

/* Distinct true insured persons per scheme (definitions.md §1, §4), by SQL of
 * its own over si_src and the true identities of si_truth. */
static const char calib_sql[] =
    "WITH usable AS ("
    " SELECT ep.person_id, btrim(en.insurance_type) AS t, en.end_month, en.status,"
    "        en.benefit_start_month AS b, en.worker_category AS cat"
    " FROM si_src.enrollment en JOIN si_truth.enrollment_person ep USING (enrollment_id)"
    " WHERE btrim(en.insurance_type) IN ('110', '120', '170', '210', '410')"
    "   AND en.start_month %% 100 BETWEEN 1 AND 12 AND en.start_month <= 202012"
    "   AND (en.end_month IS NULL OR (en.end_month %% 100 BETWEEN 1 AND 12 AND en.end_month >= en.start_month))"
    "   AND NOT (coalesce(btrim(en.id_number), '') = '' AND coalesce(btrim(en.name), '') = '')),"
    " dead AS (SELECT DISTINCT pp.person_id FROM si_truth.population_person pp"
    "   JOIN si_src.population po USING (pop_id) WHERE po.deceased_on <= date '2020-12-31'),"
    " ins AS (SELECT u.person_id, u.t,"
    "   bool_or(u.t IN ('110', '120', '170') AND u.b <= 202012) AS ben,"
    "   bool_and(u.cat = 'project') AS proj, bool_and(u.cat = 'land_expropriated') AS land"
    "   FROM usable u WHERE u.person_id NOT IN (SELECT person_id FROM dead) GROUP BY 1, 2"
    "   HAVING bool_or((u.end_month IS NULL OR u.end_month >= 202012) AND btrim(u.status) IN ('1', '2'))"
    "       OR bool_or(u.t IN ('110', '120', '170') AND u.b <= 202012))"
    " SELECT %s FROM ins";

static void within(const char *what, const char *expr, long target)
{
    char sql[2600];
    snprintf(sql, sizeof sql, calib_sql, expr);
    long got = sibt_query_long(dsn, sql);
    double dev = (double)(got - target) / (double)target;
    cr_expect(dev <= 0.005 && dev >= -0.005, "%s: %ld true insured persons, target %ld (%.2f %%)",
              what, got, target, dev * 100);
}

Test(integ_gen, calibration_scale1, .init = setup, .fini = teardown, .timeout = 900)
{
    gen("--seed 7 --scale 1 --as-of 2020-12");
    within("110", "count(*) FILTER (WHERE t = '110')", 106712);
    within("120", "count(*) FILTER (WHERE t = '120')", 10894);
    within("170", "count(*) FILTER (WHERE t = '170')", 190394);
    within("170 beneficiaries", "count(*) FILTER (WHERE t = '170' AND ben)", 48855);
    within("210", "count(*) FILTER (WHERE t = '210')", 55328);
    within("410", "count(*) FILTER (WHERE t = '410')", 94093);
    within("410 project", "count(*) FILTER (WHERE t = '410' AND proj)", 8969);
    within("land", "count(DISTINCT person_id) FILTER (WHERE t IN ('110', '170') AND land)", 23307);
    /* And the generator's own count agrees with this SQL. */
    cr_expect_eq(sibt_query_long(dsn, "SELECT true_insured FROM si_truth.calibration WHERE scheme = '110'"), 106712);
}
