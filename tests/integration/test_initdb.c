/*
 * test_initdb.c — sibatch init-db on a fresh database creates the schemas
 * si_src and sibatch; a second run is harmless: same schema version, same
 * tables, and the rows of si_src untouched.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testdb.h"

static char *dsn;

static void setup(void)
{
    dsn = sibt_db_create("integ_initdb");
}

static void teardown(void)
{
    sibt_db_drop(dsn);
    dsn = NULL;
}

/* Runs init-db on the test database; fails the test unless it exits 0. */
static void init_db(void)
{
    char *out = NULL;
    int rc = sibt_run(&out, "init-db --dsn '%s'", dsn);
    cr_assert_eq(rc, 0, "init-db exited %d: %s", rc, out);
    free(out);
}

static const char count_tables[] =
    "SELECT count(*) FROM information_schema.tables "
    "WHERE table_schema IN ('si_src', 'sibatch')";

Test(integ_initdb, creates_schemas, .init = setup, .fini = teardown)
{
    cr_assert_eq(sibt_query_long(dsn, "SELECT count(*) FROM pg_namespace "
                                      "WHERE nspname IN ('si_src', 'sibatch')"), 0);
    init_db();
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM pg_namespace "
                                      "WHERE nspname IN ('si_src', 'sibatch')"), 2);
    /* The source contract's four tables. */
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM information_schema.tables "
                                      "WHERE table_schema = 'si_src' AND table_name IN "
                                      "('employer', 'enrollment', 'contribution', 'population')"), 4);
    cr_expect_geq(sibt_query_long(dsn, "SELECT max(version) FROM sibatch.schema_version"), 1);
}

Test(integ_initdb, twice_is_harmless, .init = setup, .fini = teardown)
{
    init_db();
    long version = sibt_query_long(dsn, "SELECT max(version) FROM sibatch.schema_version");
    long versions = sibt_query_long(dsn, "SELECT count(*) FROM sibatch.schema_version");
    long tables = sibt_query_long(dsn, count_tables);
    sibt_exec(dsn, "INSERT INTO si_src.employer (unit_id, credit_code, name, industry_code, "
                   "injury_risk_class, town_code) VALUES (4242, '91350581MA2Y000000', "
                   "'石狮市测试服装有限公司', 'C1810', 2, '350581001')");

    init_db();

    cr_expect_eq(sibt_query_long(dsn, "SELECT max(version) FROM sibatch.schema_version"), version);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.schema_version"), versions);
    cr_expect_eq(sibt_query_long(dsn, count_tables), tables);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM si_src.employer"), 1);
    char *row = sibt_query_text(dsn, "SELECT concat_ws('|', unit_id, credit_code, name, "
                                     "industry_code, injury_risk_class, town_code) "
                                     "FROM si_src.employer");
    cr_expect_str_eq(row, "4242|91350581MA2Y000000|石狮市测试服装有限公司|C1810|2|350581001");
    free(row);
}

Test(integ_initdb, concurrent_runs_do_not_fail, .init = setup, .fini = teardown)
{
    /* Two init-db at once on a fresh database: the advisory lock serializes them. */
    const char *bin = getenv("SIBATCH_BIN");
    char *qbin = sibt_shell_quote(bin && *bin ? bin : "./bin/sibatch");
    cr_assert_not_null(qbin);
    char *out = NULL;
    int rc = sibt_run(&out, "init-db --dsn '%s' & %s init-db --dsn '%s'; r2=$?; wait $!; r1=$?; "
                            "exit $((r1 + r2))", dsn, qbin, dsn);
    free(qbin);
    cr_expect_eq(rc, 0, "concurrent init-db: exit %d: %s", rc, out);
    free(out);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.schema_version"), 4);
}

static const char key_collation[] =
    "SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation"
    " WHERE a.attrelid = 'sibatch.person'::regclass AND a.attname = 'person_key'";

Test(integ_initdb, upgrades_a_version_1_schema, .init = setup, .fini = teardown)
{
    init_db();
    char *coll = sibt_query_text(dsn, key_collation);
    cr_expect_str_eq(coll, "C");
    free(coll);
    /* back to version 1: person_key in the database's collation */
    sibt_exec(dsn, "DROP VIEW sibatch.v_person, sibatch.v_merge_reason, sibatch.v_duplicate_cluster, sibatch.v_conflict;"
                   " ALTER TABLE sibatch.person ALTER COLUMN person_key TYPE text COLLATE \"default\";"
                   " DELETE FROM sibatch.schema_version WHERE version = 2;"
                   " INSERT INTO sibatch.person VALUES (1, 7, '11010519491231002X', '11010519491231002X')");

    init_db();

    coll = sibt_query_text(dsn, key_collation);
    cr_expect_str_eq(coll, "C");
    free(coll);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.schema_version WHERE version = 2"), 1);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM pg_views WHERE schemaname = 'sibatch'"
                                      " AND viewname IN ('v_person', 'v_merge_reason', 'v_duplicate_cluster', 'v_conflict')"), 4);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.v_person WHERE masked_ref = '110105********002X'"), 1);
}

static const char cluster_columns[] =
    "SELECT count(*) FROM pg_attribute WHERE attrelid = 'sibatch.enrollment_link'::regclass"
    " AND attname IN ('cluster_id', 'survivor_id', 'is_record') AND NOT attisdropped";

/* Back to version 2: the clusters in three columns of enrollment_link, no
 * target_prior (version 4). */
static void downgrade_to_version_2(void)
{
    sibt_exec(dsn, "DROP VIEW sibatch.v_merge_reason, sibatch.v_duplicate_cluster;"
                   " DROP TABLE sibatch.duplicate, sibatch.target_prior;"
                   " DELETE FROM sibatch.schema_version WHERE version = 4;"
                   " ALTER TABLE sibatch.enrollment_link ADD COLUMN cluster_id integer,"
                   "   ADD COLUMN survivor_id bigint, ADD COLUMN is_record boolean NOT NULL DEFAULT false;"
                   " DELETE FROM sibatch.schema_version WHERE version = 3;"
                   " INSERT INTO sibatch.enrollment_link VALUES (1, 101, 0, true, 'exact', 'valid', NULL, NULL, 0, 101, true)");
    cr_assert_eq(sibt_query_long(dsn, cluster_columns), 3);
}

static void expect_version_4(void)
{
    cr_expect_eq(sibt_query_long(dsn, cluster_columns), 0);
    cr_expect_eq(sibt_query_long(dsn, "SELECT max(version) FROM sibatch.schema_version"), 4);
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.target_prior"), 0, "version 4's table");
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM pg_views WHERE schemaname = 'sibatch'"
                                      " AND viewname IN ('v_merge_reason', 'v_duplicate_cluster')"), 2);
}

Test(integ_initdb, upgrades_a_version_2_schema, .init = setup, .fini = teardown)
{
    init_db();
    cr_expect_eq(sibt_query_long(dsn, cluster_columns), 0);
    downgrade_to_version_2();

    init_db();

    expect_version_4();
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.enrollment_link WHERE enrollment_id = 101"
                                      " AND link_kind = 'exact'"), 1, "the links are kept");
    cr_expect_eq(sibt_query_long(dsn, "SELECT count(*) FROM sibatch.duplicate"), 0);
}

/* A run finding an older schema upgrades it itself; a dry run (which
 * writes nothing) refuses and names the versions. */
Test(integ_initdb, run_upgrades_an_older_schema, .init = setup, .fini = teardown)
{
    init_db();
    downgrade_to_version_2();
    char *out = NULL, dir[] = "/tmp/sibatch-initdb-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));

    int rc = sibt_run(&out, "run --dsn '%s' --as-of 2025-12 --out '%s' --dry-run 2>&1", dsn, dir);
    cr_expect_eq(rc, 1, "dry run on version 2: exit %d: %s", rc, out);
    cr_expect(strstr(out, "schema sibatch is at version 2, this sibatch needs 4") != NULL, "%s", out);
    free(out);
    cr_expect_eq(sibt_query_long(dsn, cluster_columns), 3, "the dry run changed nothing");

    rc = sibt_run(&out, "run --dsn '%s' --as-of 2025-12 --out '%s' 2>&1", dsn, dir);
    cr_expect_eq(rc, 0, "run on version 2: exit %d: %s", rc, out);
    free(out);
    expect_version_4();
    sibt_sh(&out, "rm -rf '%s'", dir);
    free(out);
}
