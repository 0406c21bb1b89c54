/*
 * test_reference.c — the nightly run's extracts and clearing lists checked
 * cell by cell against an independent implementation of definitions.md in
 * plain SQL (tests/reference/expected.sql), over the source tables.
 *
 *   hand_fixture_figures   the reference itself on a hand-made data set
 *                          (tests/reference/fixture_rules.sql), one case per
 *                          rule, against figures computed by hand;
 *   run_fixture            `sibatch run` on the same data against the
 *                          reference (pipeline identity, then true identity);
 *   run_generated          `sibatch gen --scale 0.02` + `sibatch run` against
 *                          the reference with pipeline identity, and with the
 *                          generator's true identity on the persons whose
 *                          records all carry a valid ID.
 * The last two are skipped (saying so) while `run` or `gen` do not exist.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testdb.h"
#include "common/json.h"
#include "reconcile/csvread.h"

static char *dsn;
static char *tmp;

static void setup(void)
{
    sibt_scratch_open("integ_reference", &dsn, &tmp);
}

static void teardown(void)
{
    sibt_scratch_close(&dsn, &tmp);
}

/* ----------------------------------------------------------- helpers */

/* 1 when `bin/sibatch --help` lists the command. */
static PGconn *conn_open(void)
{
    PGconn *c = PQconnectdb(dsn);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "connect: %s", PQerrorMessage(c));
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    return c;
}

/* Runs SQL (one or more statements); fails the test on error. */
static void exec_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
        PQclear(r);
        cr_assert_fail("SQL failed: %s\n%.300s", msg, sql);
    }
    PQclear(r);
}

/* Runs the SQL file at path in the session. */
static void exec_file(PGconn *c, const char *path)
{
    char *sql = sibt_read_file(path, NULL);
    cr_assert_not_null(sql, "cannot read %s", path);
    PGresult *r = PQexec(c, sql);
    free(sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
        PQclear(r);
        cr_assert_fail("%s failed: %s", path, msg);
    }
    PQclear(r);
}

static const char pipeline_ident[] =
    "SELECT 'enrollment'::text, l.enrollment_id, p.person_ref FROM sibatch.enrollment_link l "
    "JOIN sibatch.person p ON p.person_id = l.person_id "
    "UNION ALL SELECT 'population', l.pop_id, p.person_ref FROM sibatch.population_link l "
    "JOIN sibatch.person p ON p.person_id = l.person_id";

static const char truth_ident[] =
    "SELECT 'enrollment'::text, ep.enrollment_id, tp.person_key FROM si_truth.enrollment_person ep "
    "JOIN si_truth.person tp ON tp.person_id = ep.person_id "
    "UNION ALL SELECT 'population', pp.pop_id, tp.person_key FROM si_truth.population_person pp "
    "JOIN si_truth.person tp ON tp.person_id = pp.person_id";

static const char fixture_ident[] = "SELECT source, source_id, person_ref FROM public.fixture_ident";

/* (Re)computes the reference for as-of A with the identity of ident_sql. */
static void load_reference(PGconn *c, int as_of, const char *ident_sql)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "DROP TABLE IF EXISTS ref_params, ref_ident; "
             "CREATE TEMP TABLE ref_params AS SELECT %d AS as_of; "
             "CREATE TEMP TABLE ref_ident (source text, source_id bigint, person_ref text); "
             "INSERT INTO ref_ident %s", as_of, ident_sql);
    exec_ok(c, sql);
    exec_file(c, "tests/reference/expected.sql");
}

/* The rows of a query joined as "a,b,c" lines (for hand-computed tables). */
static char *rows_text(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (int i = 0; i < PQntuples(r); i++)
        for (int j = 0; j < PQnfields(r); j++) {
            const char *v = PQgetvalue(r, i, j);
            size_t need = len + strlen(v) + 3;
            if (need > cap) {
                while (need > cap)
                    cap *= 2;
                out = realloc(out, cap);
            }
            len += (size_t)sprintf(out + len, "%s%s", v, j + 1 < PQnfields(r) ? "," : "\n");
        }
    PQclear(r);
    return out;
}

/* Asserts the rows of sql equal want; the message shows both. */
static void expect_rows(PGconn *c, const char *what, const char *sql, const char *want)
{
    char *got = rows_text(c, sql);
    cr_expect_str_eq(got, want, "%s differs from the hand-computed figures:\n--- got\n%s--- want\n%s", what, got, want);
    free(got);
}

/* A difference report that grows (first few differences in full). */
typedef struct diffs {
    char msg[8192];
    size_t len;
    size_t n;
} diffs;

static void diff_add(diffs *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diff_add(diffs *d, const char *fmt, ...)
{
    d->n++;
    if (d->n > 40 || d->len + 2 >= sizeof d->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(d->msg + d->len, sizeof d->msg - d->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        d->len += (size_t)k < sizeof d->msg - d->len ? (size_t)k : sizeof d->msg - d->len - 1;
    if (d->len + 1 < sizeof d->msg) {
        d->msg[d->len++] = '\n';
        d->msg[d->len] = '\0';
    }
}

/* A CSV file read into memory: records of fields. */
typedef struct csvdata {
    char ***rows;
    int *nf;
    size_t n, cap;
} csvdata;

static int csv_collect(char **f, int nf, void *ud, sib_error *err)
{
    (void)err;
    csvdata *d = ud;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->rows = realloc(d->rows, d->cap * sizeof *d->rows);
        d->nf = realloc(d->nf, d->cap * sizeof *d->nf);
    }
    d->rows[d->n] = malloc((size_t)nf * sizeof(char *));
    for (int i = 0; i < nf; i++)
        d->rows[d->n][i] = strdup(f[i]);
    d->nf[d->n++] = nf;
    return SIB_OK;
}

static void csv_free(csvdata *d)
{
    for (size_t i = 0; i < d->n; i++) {
        for (int j = 0; j < d->nf[i]; j++)
            free(d->rows[i][j]);
        free(d->rows[i]);
    }
    free(d->rows);
    free(d->nf);
    memset(d, 0, sizeof *d);
}

/* Reads a gzip CSV file; 0 when it cannot be read. */
static int csv_read(const char *path, csvdata *d)
{
    size_t len = 0;
    char *raw = sibt_read_gz(path, &len);
    if (!raw)
        return 0;
    sib_error err = { 0 };
    sib_csvr *r = sib_csvr_new(csv_collect, d);
    int ok = sib_csvr_feed(r, raw, len, &err) == SIB_OK && sib_csvr_finish(r, &err) == SIB_OK;
    sib_csvr_free(r);
    free(raw);
    return ok;
}

/* Compares the file (header + rows) with the reference rows of sql, whose
 * columns are named and ordered like the file's; differences go to d. */
static void compare_file(PGconn *c, const char *path, const char *label, const char *sql, diffs *d)
{
    csvdata f = { 0 };
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
    int exists = sibt_file_exists(path);
    if (!exists && PQntuples(r) == 0)
        goto done;          /* no file, no reference rows: agree */
    if (!exists || !csv_read(path, &f)) {
        diff_add(d, "%s: %s (reference has %d rows)", label, exists ? "unreadable gzip/CSV" : "missing",
                 PQntuples(r));
        goto done;
    }
    if (f.n == 0) {
        diff_add(d, "%s: no header row", label);
        goto done;
    }
    int nc = PQnfields(r);
    if (f.nf[0] != nc) {
        diff_add(d, "%s: header has %d columns, reference %d", label, f.nf[0], nc);
        goto done;
    }
    for (int j = 0; j < nc; j++)
        if (strcmp(f.rows[0][j], PQfname(r, j)) != 0)
            diff_add(d, "%s: header column %d is '%s', reference '%s'", label, j + 1, f.rows[0][j], PQfname(r, j));
    size_t nrows = f.n - 1;
    if (nrows != (size_t)PQntuples(r))
        diff_add(d, "%s: %zu rows, reference %d", label, nrows, PQntuples(r));
    size_t m = nrows < (size_t)PQntuples(r) ? nrows : (size_t)PQntuples(r);
    for (size_t i = 0; i < m; i++) {
        if (f.nf[i + 1] != nc) {
            diff_add(d, "%s row %zu: %d fields", label, i + 1, f.nf[i + 1]);
            continue;
        }
        for (int j = 0; j < nc; j++)
            if (strcmp(f.rows[i + 1][j], PQgetvalue(r, (int)i, j)) != 0)
                diff_add(d, "%s row %zu (%s %s) column %s: file '%s', reference '%s'", label, i + 1,
                         f.rows[i + 1][nc > 1 ? 1 : 0], nc > 3 ? f.rows[i + 1][3] : "", PQfname(r, j),
                         f.rows[i + 1][j], PQgetvalue(r, (int)i, j));
    }
done:
    PQclear(r);
    csv_free(&f);
}

static const char clearing_cols[] =
    "as_of, town_code, masked_id, name, gender, age, reason, insurance_type, months_unpaid, "
    "last_paid_period, employer_name, employer_credit_code, first_flagged";

/* Every extract and clearing file of the run directory against the reference. */
static void compare_run_dir(PGconn *c, const char *rundir, diffs *d)
{
    char path[1024], sql[1024];
    snprintf(path, sizeof path, "%s/pension.csv.gz", rundir);
    compare_file(c, path, "pension.csv.gz",
                 "SELECT as_of, town_code, town_name, scheme, insured_persons, contributing_persons, lapsed_persons, "
                 "beneficiaries, duplicate_enrollments, conflict_persons, refund_due, contributions_12m "
                 "FROM ref_pension ORDER BY ord", d);
    snprintf(path, sizeof path, "%s/unemployment.csv.gz", rundir);
    compare_file(c, path, "unemployment.csv.gz",
                 "SELECT as_of, town_code, town_name, insured_persons, contributing_persons, lapsed_persons, "
                 "employers, duplicate_enrollments, contributions_12m FROM ref_unemployment ORDER BY ord", d);
    snprintf(path, sizeof path, "%s/injury.csv.gz", rundir);
    compare_file(c, path, "injury.csv.gz",
                 "SELECT as_of, town_code, town_name, risk_class, insured_persons, project_based_persons, "
                 "employers, lapsed_persons, contributions_12m FROM ref_injury ORDER BY ord", d);

    /* clearing: every file the reference expects, and every file on disk */
    PGresult *r = PQexec(c, "SELECT DISTINCT file FROM ref_clearing ORDER BY 1");
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK);
    for (int i = 0; i < PQntuples(r); i++) {
        const char *town = PQgetvalue(r, i, 0);
        char label[64];
        snprintf(label, sizeof label, "clearing/%s.csv.gz", town);
        snprintf(path, sizeof path, "%s/%s", rundir, label);
        snprintf(sql, sizeof sql, "SELECT %s FROM ref_clearing WHERE file = '%s' ORDER BY ord", clearing_cols, town);
        compare_file(c, path, label, sql, d);
    }
    PQclear(r);
    snprintf(path, sizeof path, "%s/clearing", rundir);
    DIR *dir = opendir(path);
    struct dirent *de;
    while (dir && (de = readdir(dir)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 8 || strcmp(de->d_name + n - 7, ".csv.gz") != 0)
            continue;
        char town[64];
        snprintf(town, sizeof town, "%.*s", (int)(n - 7), de->d_name);
        char q[256];
        snprintf(q, sizeof q, "SELECT count(*) FROM ref_clearing WHERE file = '%s'", town);
        PGresult *k = PQexec(c, q);
        int expected_rows = PQresultStatus(k) == PGRES_TUPLES_OK ? atoi(PQgetvalue(k, 0, 0)) : -1;
        PQclear(k);
        if (expected_rows == 0) {   /* a file the reference has no rows for: must be empty */
            char label[96];
            snprintf(label, sizeof label, "clearing/%s", de->d_name);
            snprintf(sql, sizeof sql, "SELECT %s FROM ref_clearing WHERE false", clearing_cols);
            char full[1200];
            snprintf(full, sizeof full, "%s/%s", path, de->d_name);
            compare_file(c, full, label, sql, d);
        }
    }
    if (dir)
        closedir(dir);
}

/* Differences between two queries with the same columns (multisets); the
 * sides are called name_a and name_b in the report. */
static void compare_sets_named(PGconn *c, const char *label, const char *name_a, const char *name_b,
                               const char *a, const char *b, diffs *d)
{
    char sql[4096];
    snprintf(sql, sizeof sql,
             "(SELECT '%s' AS side, * FROM ((%s) EXCEPT ALL (%s)) x) UNION ALL "
             "(SELECT '%s', * FROM ((%s) EXCEPT ALL (%s)) y) ORDER BY 2, 1 LIMIT 30", name_a, a, b, name_b, b, a);
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", label, PQresultErrorMessage(r));
    for (int i = 0; i < PQntuples(r); i++) {
        char row[512];
        size_t len = 0;
        for (int j = 1; j < PQnfields(r) && len < sizeof row - 1; j++)
            len += (size_t)snprintf(row + len, sizeof row - len, "%s%s", j > 1 ? "," : "", PQgetvalue(r, i, j));
        diff_add(d, "%s: only in %s: %s", label, PQgetvalue(r, i, 0), row);
    }
    PQclear(r);
}

/* The same with the sides called reference and sibatch. */
static void compare_sets(PGconn *c, const char *label, const char *a, const char *b, diffs *d)
{
    compare_sets_named(c, label, "reference", "sibatch", a, b, d);
}

/* The manifest's conflict figures against the reference: persons, overlap
 * months (a set of months per person), refund due. */
static void compare_manifest(PGconn *c, const char *rundir, diffs *d)
{
    char path[1024], sql[256];
    snprintf(path, sizeof path, "%s/manifest.json", rundir);
    sib_error err = { 0 };
    cJSON *m = sib_json_load(path, &err);
    cr_assert_not_null(m, "%s", err.msg);
    const cJSON *cf = cJSON_GetObjectItemCaseSensitive(m, "conflicts");
    snprintf(sql, sizeof sql, "SELECT %.0f::bigint, %.0f::bigint, '%s'::numeric(14,2)",
             sib_json_num(cf, "persons", -1), sib_json_num(cf, "overlap_months", -1),
             sib_json_str(cf, "refund_due", "-1"));
    compare_sets(c, "manifest conflicts (persons, overlap months, refund due)",
                 "SELECT count(*), coalesce(sum(overlap_months), 0)::bigint, coalesce(sum(refund_due), 0)::numeric(14,2) "
                 "FROM ref_conflict", sql, d);
    cJSON_Delete(m);
}

/* Rejects, conflicts and targets of the run's tables against the reference. */
static void compare_tables(PGconn *c, diffs *d)
{
    compare_sets(c, "rejects",
                 "SELECT source_table, reason, n FROM ref_rejects",
                 "SELECT source_table, reason, count(*) FROM sibatch.reject WHERE severity = 'reject' "
                 "AND source_table IN ('enrollment', 'contribution', 'population') GROUP BY 1, 2", d);
    compare_sets(c, "conflict months",
                 "SELECT person_ref, month, kind, refund::numeric(14,2) FROM ref_conflict_month",
                 "SELECT p.person_ref, m.month, m.kind, m.refund FROM sibatch.conflict_month m "
                 "JOIN sibatch.person p ON p.person_id = m.person_id", d);
    compare_sets(c, "duplicate clusters (members and survivor)",
                 "SELECT c.person_ref, c.itype, array_agg(c.enrollment_id ORDER BY c.enrollment_id), s.survivor_id "
                 "FROM ref_cl c JOIN ref_cluster s USING (person_ref, itype, cluster_no) WHERE s.size > 1 "
                 "GROUP BY c.person_ref, c.itype, c.cluster_no, s.survivor_id",
                 "SELECT p.person_ref, d.insurance_type, array_agg(d.enrollment_id ORDER BY d.enrollment_id), "
                 "min(d.survivor_id) FROM sibatch.duplicate d JOIN sibatch.person p ON p.person_id = d.person_id "
                 "GROUP BY p.person_ref, d.insurance_type, d.cluster_id", d);
    compare_sets(c, "open lapsed targets",
                 "SELECT person_ref, insurance_type, months_unpaid FROM ref_lapsed",
                 "SELECT person_ref, insurance_type, months_unpaid FROM sibatch.target "
                 "WHERE closed_run IS NULL AND reason = 'lapsed'", d);
    compare_sets(c, "open uninsured targets",
                 "SELECT person_ref FROM ref_uninsured",
                 "SELECT person_ref FROM sibatch.target WHERE closed_run IS NULL AND reason = 'uninsured'", d);
}

/* Runs `sibatch run` into tmp; fails the test unless it exits 0. The hand
 * fixture has many rejects on purpose: the guard is opened wide. `extra`
 * adds configuration keys ("" for none). */
static void run_pipeline_with(const char *as_of, const char *extra)
{
    char *out = NULL, conf[1024];
    snprintf(conf, sizeof conf, "%s/guard.json", tmp);
    FILE *f = fopen(conf, "w");
    cr_assert_not_null(f);
    fprintf(f, "{\"guard_reject_share\": 0.9%s}\n", extra);
    fclose(f);
    int rc = sibt_run(&out, "run --dsn '%s' --config '%s' --as-of %s --out '%s/out' --log-level warn", dsn, conf,
                      as_of, tmp);
    cr_assert_eq(rc, 0, "run exited %d:\n%.3000s", rc, out);
    free(out);
}

static void run_pipeline(const char *as_of)
{
    run_pipeline_with(as_of, "");
}

static void init_db(void)
{
    char *out = NULL;
    int rc = sibt_run(&out, "init-db --dsn '%s'", dsn);
    cr_assert_eq(rc, 0, "init-db exited %d: %s", rc, out);
    free(out);
}

/* ------------------------------------------------------------- tests */

Test(integ_reference, hand_fixture_figures, .init = setup, .fini = teardown)
{
    init_db();
    PGconn *c = conn_open();
    exec_file(c, "tests/reference/fixture_rules.sql");
    load_reference(c, 202512, fixture_ident);

    expect_rows(c, "pension",
                "SELECT as_of, town_code, town_name, scheme, insured_persons, contributing_persons, lapsed_persons, "
                "beneficiaries, duplicate_enrollments, conflict_persons, refund_due, contributions_12m "
                "FROM ref_pension ORDER BY ord",
                /* P1 contributing + P2 lapsed + P7 deceased; dup e102; 14500+9600+14400 */
                "2025-12,350581001,湖滨街道,110,2,1,1,0,1,0,0.00,38500.00\n"
                /* P3's old 110 and 120: employee_institution conflict, not insured */
                "2025-12,350581002,凤里街道,110,0,0,0,0,0,1,0.00,0.00\n"
                "2025-12,350581002,凤里街道,120,0,0,0,0,0,1,0.00,0.00\n"
                /* P3 draws a resident pension */
                "2025-12,350581002,凤里街道,170,1,0,0,1,0,0,0.00,0.00\n"
                /* P4: 110 paid up, 170 lapsed 12 months, 12 overlap months x 120.00 */
                "2025-12,350581100,灵秀镇,110,1,1,0,0,0,1,0.00,14400.00\n"
                "2025-12,350581100,灵秀镇,170,1,0,1,0,0,1,1440.00,0.00\n"
                /* P16 status 3 with a benefit start: beneficiary; P18's benefit start
                 * 202500 is no month: not insured */
                "2025-12,350581103,祥芝镇,170,1,0,0,1,0,0,0.00,0.00\n"
                /* P13's record is the later cluster's survivor, town 350581104 */
                "2025-12,350581104,鸿山镇,120,0,0,0,0,0,0,0.00,0.00\n"
                /* P14: one cluster of three, survivor open status 2, 3 months unpaid;
                 * P19 paid up but dead in their second population row: not insured,
                 * its 12 x 1200.00 still paid (10800 + 14400) */
                "2025-12,350581105,锦尚镇,110,1,0,1,0,2,0,0.00,25200.00\n"
                /* P12: type with NBSP/U+3000 trimmed, started this month */
                "2025-12,350581106,永宁镇,110,1,1,0,0,0,0,0.00,0.00\n"
                /* P17 unresolved, town NULL */
                "2025-12,unknown,未知,110,1,0,1,0,0,0,0.00,0.00\n");
    expect_rows(c, "unemployment",
                "SELECT as_of, town_code, town_name, insured_persons, contributing_persons, lapsed_persons, "
                "employers, duplicate_enrollments, contributions_12m FROM ref_unemployment ORDER BY ord",
                /* P5 via 12-digit town code, never paid since 202001; P15 new after old: 3 months, not 96 */
                "2025-12,350581002,凤里街道,1,0,1,1,0,0.00\n"
                "2025-12,350581100,灵秀镇,1,0,1,0,0,0.00\n");
    expect_rows(c, "injury",
                "SELECT as_of, town_code, town_name, risk_class, insured_persons, project_based_persons, "
                "employers, lapsed_persons, contributions_12m FROM ref_injury ORDER BY ord",
                /* P5 project worker never paid is not lapsed; employer class 9 -> unknown */
                "2025-12,350581002,凤里街道,unknown,1,1,1,0,0.00\n"
                /* P6 town XYZ -> unknown, 3 x 50.00 */
                "2025-12,unknown,未知,3,1,0,1,0,150.00\n");
    expect_rows(c, "lapsed", "SELECT person_ref, insurance_type, months_unpaid FROM ref_lapsed ORDER BY 1, 2",
                "35058119700404042X,170,12\n"
                "350581198302151528,210,3\n"
                "350581198501141410,110,3\n"
                "350581199002020221,110,4\n"
                "350581199205050519,210,72\n"
                "UNRESOLVED-enrollment-1701,110,7\n");
    /* P8 aged 59 (two rows), P13 former 120 member, P5 insured only in 210/410;
     * not P9 (in school), P10 (60), P11 (15), P7 (deceased), pop 90 (unresolved) */
    expect_rows(c, "uninsured", "SELECT person_ref FROM ref_uninsured ORDER BY 1",
                "350581196601010822\n350581197512311329\n350581199205050519\n");
    expect_rows(c, "conflicts", "SELECT person_ref, overlap_months, refund_due FROM ref_conflict ORDER BY 1",
                "350581195503030315,6,0.00\n35058119700404042X,12,1440.00\n");
    expect_rows(c, "rejects", "SELECT source_table, reason, n FROM ref_rejects ORDER BY 1, 2",
                "contribution,future,2\ncontribution,negative,1\ncontribution,orphan,1\n"
                "contribution,rejected_enrollment,1\ncontribution,repeat,4\n"
                "enrollment,identity,1\nenrollment,insurance_type,2\nenrollment,period,2\n"
                "population,identity,1\n");
    expect_rows(c, "out of scope", "SELECT source_table, n FROM ref_out_of_scope ORDER BY 1",
                "contribution,1\nenrollment,1\n");
    expect_rows(c, "clearing",
                "SELECT file, masked_id, name, age, reason, insurance_type, months_unpaid, last_paid_period, "
                "employer_name FROM ref_clearing ORDER BY file, ord",
                "350581001,350581********0221,林二,35,lapsed,110,4,202508,石狮某纺织有限公司\n"
                "350581002,350581********0519,蔡五,33,lapsed,210,72,,'+鞋业工程队\n"
                "350581002,350581********0519,蔡五,33,uninsured,,,,\n"
                "350581100,350581********042X,王四,55,lapsed,170,12,202412,\n"
                "350581100,350581********1528,郑十五,42,lapsed,210,3,201712,\n"
                "350581101,350581********0822,庄八,59,uninsured,,,,\n"
                "350581104,350581********1329,蔡十三,50,uninsured,,,202106,\n"
                "350581105,350581********1410,许十四,40,lapsed,110,3,202509,\n"
                "unknown,UNRESOLVED-enrollment-1701,'=王五,40,lapsed,110,7,,\n");
    PQfinish(c);
}

/* Pipeline identity first (cell by cell), then the fixture's true identity.
 * `extra_sql`: more source rows after the fixture ("" for none; it adds their
 * true identity to public.fixture_ident itself); `extra`: configuration keys
 * for the run. */
static void check_fixture_run_with(const char *extra_sql, const char *extra)
{
    init_db();
    PGconn *c = conn_open();
    exec_file(c, "tests/reference/fixture_rules.sql");
    if (*extra_sql)
        exec_ok(c, extra_sql);
    run_pipeline_with("2025-12", extra);

    diffs d = { 0 };
    char rundir[1024];
    snprintf(rundir, sizeof rundir, "%s/out/2025-12", tmp);
    load_reference(c, 202512, pipeline_ident);
    compare_run_dir(c, rundir, &d);
    compare_manifest(c, rundir, &d);
    compare_tables(c, &d);
    /* every row of the fixture is resolved as the fixture says */
    compare_sets(c, "identity",
                 "SELECT f.* FROM public.fixture_ident f WHERE f.source = 'population' "
                 "OR f.source_id IN (SELECT enrollment_id FROM ref_enr WHERE usable)",
                 pipeline_ident, &d);
    PQfinish(c);
    cr_assert_eq(d.n, 0, "%zu differences between sibatch run and the reference:\n%s", d.n, d.msg);
}

static void check_fixture_run(const char *extra)
{
    check_fixture_run_with("", extra);
}

Test(integ_reference, run_fixture, .init = setup, .fini = teardown, .timeout = 300)
{
    check_fixture_run("");
}

/* One person paying 110, 120 and 170 for the same months: each month is a
 * refund month and an employee-institution month, but one overlap month
 * (§5: a set of months); the refund is the 170 payment, once. The 110
 * record's town and category are padded with U+3000: trimmed, 湖滨街道. */
Test(integ_reference, run_fixture_three_pension_schemes_one_month, .init = setup, .fini = teardown, .timeout = 300)
{
    check_fixture_run_with(
        "INSERT INTO si_src.enrollment (enrollment_id, source_system, id_number, name, gender, birth_date,"
        " insurance_type, unit_id, worker_category, town_code, start_month, end_month, status, benefit_start_month)"
        " VALUES (3101, 'enterprise', '350581198001010131', '冯三一', '1', '1980-01-01', '110', 1, E'employee\\u3000',"
        "         E'\\u3000350581001 ', 202401, NULL, '1', NULL),"
        "        (3102, 'institution', '350581198001010131', '冯三一', '1', '1980-01-01', '120', NULL, 'employee',"
        "         '350581001', 202401, NULL, '1', NULL),"
        "        (3103, 'resident', '350581198001010131', '冯三一', '1', '1980-01-01', '170', NULL, 'resident',"
        "         '350581001', 202401, NULL, '1', NULL);"
        "INSERT INTO si_src.contribution (enrollment_id, period, base, employer_amount, personal_amount, paid_on)"
        " SELECT e, m, 4000, CASE WHEN e = 3103 THEN 30 ELSE 640 END, CASE WHEN e = 3103 THEN 100 ELSE 320 END,"
        "        DATE '2024-03-01' FROM unnest(ARRAY[3101, 3102, 3103]) e, unnest(ARRAY[202401, 202402]) m"
        " UNION ALL SELECT 3101, 202403, 4000, 640, 320, DATE '2024-04-01'"
        " UNION ALL SELECT 3103, 202403, 0, 30, 100, DATE '2024-04-01';"
        "INSERT INTO public.fixture_ident SELECT 'enrollment', enrollment_id, id_number FROM si_src.enrollment"
        " WHERE enrollment_id BETWEEN 3101 AND 3103", "");
}

/* Repeated rows settled by reading their pairs again (nothing remembered
 * while streaming) give the same figures and rejects. */
Test(integ_reference, run_fixture_repeats_read_again, .init = setup, .fini = teardown, .timeout = 300)
{
    check_fixture_run(", \"read_recent_rows\": 0");
}

Test(integ_reference, run_generated, .init = setup, .fini = teardown, .timeout = 900)
{
    init_db();
    char *out = NULL;
    int rc = sibt_run(&out, "gen --dsn '%s' --scale 0.02 --seed 11 --as-of 2025-12 --log-level warn", dsn);
    cr_assert_eq(rc, 0, "gen exited %d:\n%.3000s", rc, out);
    free(out);
    run_pipeline("2025-12");

    PGconn *c = conn_open();
    diffs d = { 0 };
    char rundir[1024];
    snprintf(rundir, sizeof rundir, "%s/out/2025-12", tmp);

    /* 1. true identity, kept for the comparison on clean persons */
    load_reference(c, 202512, truth_ident);
    exec_ok(c, "DROP TABLE IF EXISTS truth_ps, truth_lapsed, truth_uninsured, clean; "
               "CREATE TEMP TABLE truth_ps AS SELECT person_ref, itype, record_id, town_code, insured, lapsed, "
               "beneficiary, contributing, months_unpaid, duplicates, c12 FROM ref_person_scheme; "
               "CREATE TEMP TABLE truth_lapsed AS SELECT * FROM ref_lapsed; "
               "CREATE TEMP TABLE truth_uninsured AS SELECT * FROM ref_uninsured");
    /* persons whose every row carries their key (after §2 normalization) */
    exec_ok(c, "CREATE TEMP TABLE clean AS "
               "WITH n AS (SELECT '[\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029"
               "\\u202F\\u205F\\u3000]'::text AS ws) "
               "SELECT tp.person_key FROM si_truth.person tp WHERE NOT EXISTS ("
               " SELECT 1 FROM si_truth.enrollment_person ep JOIN si_src.enrollment e USING (enrollment_id), n"
               " WHERE ep.person_id = tp.person_id AND upper(regexp_replace(regexp_replace(normalize("
               "  replace(e.id_number, '×', 'X'), NFKC), n.ws, '', 'g'), '^''', '')) IS DISTINCT FROM tp.person_key)"
               " AND NOT EXISTS ("
               " SELECT 1 FROM si_truth.population_person pp JOIN si_src.population p USING (pop_id), n"
               " WHERE pp.person_id = tp.person_id AND upper(regexp_replace(regexp_replace(normalize("
               "  replace(p.id_number, '×', 'X'), NFKC), n.ws, '', 'g'), '^''', '')) IS DISTINCT FROM tp.person_key)");
    long nclean = 0;
    {
        PGresult *r = PQexec(c, "SELECT count(*) FROM clean");
        nclean = atol(PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    cr_assert_gt(nclean, 100, "too few clean persons (%ld) for a meaningful comparison", nclean);

    /* 1b. the reference with true identity against the generator's own answer
     * key (an independent C implementation of the same contract) */
    compare_sets_named(c, "true insured per scheme", "reference", "generator",
                       "SELECT itype, count(*) FILTER (WHERE insured) FROM ref_person_scheme GROUP BY 1",
                       "SELECT scheme, true_insured FROM si_truth.calibration WHERE scheme ~ '^[0-9]+$'", &d);
    compare_sets_named(c, "true lapses", "reference", "generator",
                       "SELECT person_ref, insurance_type, months_unpaid FROM ref_lapsed",
                       "SELECT tp.person_key, l.insurance_type, l.months_unpaid FROM si_truth.expected_lapsed l "
                       "JOIN si_truth.person tp USING (person_id)", &d);
    compare_sets_named(c, "true uninsured", "reference", "generator",
                       "SELECT person_ref FROM ref_uninsured",
                       "SELECT tp.person_key FROM si_truth.expected_uninsured u JOIN si_truth.person tp USING (person_id)",
                       &d);
    compare_sets_named(c, "true conflicts", "reference", "generator",
                       "SELECT person_ref, kind, count(*)::int, sum(refund)::numeric(14,2) FROM ref_conflict_month "
                       "GROUP BY 1, 2",
                       "SELECT tp.person_key, c.kind, c.overlap_months, c.refund_due FROM si_truth.expected_conflict c "
                       "JOIN si_truth.person tp USING (person_id)", &d);

    /* 2. pipeline identity: every cell of every file */
    load_reference(c, 202512, pipeline_ident);
    compare_run_dir(c, rundir, &d);
    compare_manifest(c, rundir, &d);
    compare_tables(c, &d);

    /* 3. true identity and pipeline agree on the clean persons */
    compare_sets(c, "clean persons' facts (truth vs stored)",
                 "SELECT t.person_ref, t.itype, t.town_code, t.insured, t.lapsed, t.beneficiary, t.months_unpaid, "
                 "t.duplicates, t.c12::numeric(14,2) FROM truth_ps t JOIN clean k ON k.person_key = t.person_ref",
                 "SELECT p.person_key, s.insurance_type, s.town_code, s.insured, s.lapsed, s.beneficiary, "
                 "s.months_unpaid, s.duplicates, s.contributions_12m FROM sibatch.person_scheme s "
                 "JOIN sibatch.person p ON p.person_id = s.person_id JOIN clean k ON k.person_key = p.person_key", &d);
    compare_sets(c, "clean persons' lapses (truth vs pipeline identity)",
                 "SELECT l.* FROM truth_lapsed l JOIN clean k ON k.person_key = l.person_ref",
                 "SELECT l.* FROM ref_lapsed l JOIN clean k ON k.person_key = l.person_ref", &d);
    compare_sets(c, "clean persons' uninsured (truth vs pipeline identity)",
                 "SELECT u.* FROM truth_uninsured u JOIN clean k ON k.person_key = u.person_ref",
                 "SELECT u.* FROM ref_uninsured u JOIN clean k ON k.person_key = u.person_ref", &d);
    PQfinish(c);
    cr_assert_eq(d.n, 0, "%zu differences (clean persons: %ld):\n%s", d.n, nclean, d.msg);
}
