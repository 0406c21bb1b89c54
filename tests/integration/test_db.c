/*
 * test_db.c — sib_db_copy_out against the real cluster. A COPY out is read in
 * batches (a socket low-water mark, src/common/db.c): every row must arrive,
 * also through pauses of the server and a last piece shorter than the mark,
 * and the connection must answer a short query afterwards (a mark left set
 * would make that wait forever: the tests have a timeout).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testdb.h"
#include "common/db.h"

static char *dsn;
static sib_db *db;

static void setup(void)
{
    dsn = sibt_db_create("integ_db");
    sib_error err = { 0 };
    db = sib_db_connect(dsn, "sibatch test", &err);
    cr_assert_not_null(db, "connect: %s", err.msg);
}

static void teardown(void)
{
    sib_db_free(db);
    db = NULL;
    sibt_db_drop(dsn);
    dsn = NULL;
}

typedef struct tally {
    long rows;
    long long sum;          /* of the first field */
    long stop_at;           /* fail on this row (0: never) */
    int bad;                /* a row that is not "<n>\t<text>" */
} tally;

static int count_row(char *line, size_t len, void *ud, sib_error *err)
{
    tally *t = ud;
    char *f[3];
    t->rows++;
    if (t->stop_at && t->rows == t->stop_at)
        return sib_error_set(err, "stop at row %ld", t->rows);
    if (strlen(line) != len || sib_copy_split(line, f, 3) != 2)
        t->bad++;
    else
        t->sum += atoll(f[0]);
    return SIB_OK;
}

/* The connection still answers (the low-water mark is back to 1). */
static void expect_short_query(void)
{
    sib_error err = { 0 };
    char v[16];
    cr_assert_eq(sib_db_query_value(db, "SELECT 6 * 7", 0, NULL, v, sizeof v, &err), SIB_OK, "%s", err.msg);
    cr_expect_str_eq(v, "42");
}

static void copy_and_expect(const char *sql, long rows)
{
    tally t = { 0 };
    sib_error err = { 0 };
    cr_assert_eq(sib_db_copy_out(db, sql, count_row, &t, &err), SIB_OK, "%s", err.msg);
    cr_expect_eq(t.rows, rows);
    cr_expect_eq(t.sum, (long long)rows * (rows + 1) / 2);
    cr_expect_eq(t.bad, 0);
    expect_short_query();
}

Test(integ_db, copy_out_reads_megabytes_then_answers_a_short_query, .init = setup, .fini = teardown,
     .timeout = 60)
{
    /* about 15 MB, many times the low-water mark */
    copy_and_expect("COPY (SELECT g, repeat('x', 40) FROM generate_series(1, 300000) g) TO STDOUT", 300000);
}

Test(integ_db, copy_out_reads_a_copy_shorter_than_the_mark, .init = setup, .fini = teardown, .timeout = 60)
{
    copy_and_expect("COPY (SELECT g, 'a' FROM generate_series(1, 3) g) TO STDOUT", 3);
    copy_and_expect("COPY (SELECT g, 'a' FROM generate_series(1, 0) g) TO STDOUT", 0);
}

Test(integ_db, copy_out_waits_through_pauses_of_the_server, .init = setup, .fini = teardown, .timeout = 60)
{
    /* the server stops for 0.2 s three times with rows on the way */
    copy_and_expect("COPY (SELECT g, CASE WHEN g % 40000 = 0 THEN pg_sleep(0.2)::text ELSE 'b' END "
                    "FROM generate_series(1, 120001) g) TO STDOUT", 120001);
}

Test(integ_db, copy_out_stopped_by_its_row_function_leaves_the_connection_usable, .init = setup,
     .fini = teardown, .timeout = 60)
{
    tally t = { .stop_at = 1000 };
    sib_error err = { 0 };
    cr_assert_eq(sib_db_copy_out(db, "COPY (SELECT g, 'c' FROM generate_series(1, 2000000) g) TO STDOUT",
                                 count_row, &t, &err), SIB_ERR);
    cr_expect(strstr(err.msg, "stop at row 1000") != NULL, "%s", err.msg);
    expect_short_query();
}

Test(integ_db, copy_out_reports_a_server_error_mid_stream, .init = setup, .fini = teardown, .timeout = 60)
{
    tally t = { 0 };
    sib_error err = { 0 };
    cr_assert_eq(sib_db_copy_out(db, "COPY (SELECT g, (1 / (100000 - g))::text FROM generate_series(1, 200000) g) "
                                 "TO STDOUT", count_row, &t, &err), SIB_ERR);
    cr_expect(strstr(err.msg, "division by zero") != NULL, "%s", err.msg);
    cr_expect_lt(t.rows, 100000);
    expect_short_query();
}
