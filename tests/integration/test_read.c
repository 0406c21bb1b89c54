/*
 * test_read.c — the contribution read (src/read/contrib.c) against the real
 * cluster: read by the main stream alone, and with a helper stream that takes
 * chunks from the table's far end (one page a chunk, so that many repeated
 * pairs have rows in both streams), the enrollments' aggregates, the counts
 * and the rejected rows must be the same.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../support/testdb.h"
#include "read/contrib.h"
#include "read/rejlog.h"
#include "read/source.h"

static char *dsn;

static void setup(void)
{
    dsn = sibt_db_create("integ_read");
    char *o = NULL;
    cr_assert_eq(sibt_run(&o, "init-db --dsn '%s' 2>&1", dsn), 0, "%s", o);
    free(o);
    cr_assert_eq(sibt_run(&o, "gen --dsn '%s' --scale 0.01 --seed 12 --as-of 2025-12 2>&1", dsn), 0, "%s", o);
    free(o);
    /* more repeated rows than the generator makes, some far from their first */
    sibt_exec(dsn, "INSERT INTO si_src.contribution SELECT * FROM si_src.contribution TABLESAMPLE BERNOULLI (2) REPEATABLE (7)");
}

static void teardown(void)
{
    sibt_db_drop(dsn);
    dsn = NULL;
}

typedef struct helper {
    sib_contrib_read *r;
    int rc;
    sib_error err;
} helper;

static void *help_main(void *ud)
{
    helper *h = ud;
    h->rc = sib_contrib_read_help(h->r, dsn, &h->err);
    return NULL;
}

static long nrej;
static long long rej_sum;

static int tally_reject(const sib_contrib_reject *r, void *ud, sib_error *err)
{
    (void)ud;
    (void)err;
    nrej++;
    rej_sum += r->enrollment_id * 31 + r->period * 7 + r->reason + r->amount;
    return SIB_OK;
}

/* Reads the source with the given options (a helper thread when streams is
 * 2); *db and the source are the caller's to free. */
static sib_source *read_all(sib_db **db, const sib_read_opts *o, long *helper_chunks)
{
    sib_error err = { 0 };
    *db = sib_db_connect(dsn, "sibatch test", &err);
    cr_assert_not_null(*db, "%s", err.msg);
    sib_source *src = sib_source_open(*db, 202512, NULL, &err);
    cr_assert_not_null(src, "%s", err.msg);
    sib_contrib_read *r = sib_contrib_read_new(src, *db, o, NULL, &err);
    cr_assert_not_null(r, "%s", err.msg);
    helper h = { r, SIB_OK, { 0 } };
    pthread_t t;
    if (o->streams == 2)
        cr_assert_eq(pthread_create(&t, NULL, help_main, &h), 0);
    int rc = sib_contrib_read_run(r, &err);
    if (o->streams == 2)
        pthread_join(t, NULL);
    cr_assert_eq(rc, SIB_OK, "%s", err.msg);
    cr_assert_eq(h.rc, SIB_OK, "%s", h.err.msg);
    *helper_chunks = sib_contrib_read_helper_chunks(r);
    sib_contrib_read_free(r);
    return src;
}

static void same_read(long recent_rows)
{
    sib_db *db1, *db2;
    long hc1, hc2;
    sib_source *a = read_all(&db1, &(sib_read_opts){ 1, recent_rows, 0 }, &hc1);
    sib_source *b = read_all(&db2, &(sib_read_opts){ 2, recent_rows, 1 }, &hc2);
    cr_assert_eq(hc1, 0);
    cr_assert_gt(hc2, 10, "the helper read %ld chunks", hc2);
    cr_assert_eq(a->nenr, b->nenr);
    cr_assert_gt(a->contrib_rows, 10000);
    cr_assert_eq(a->contrib_rows, b->contrib_rows);
    cr_assert_eq(a->contrib_kept, b->contrib_kept);
    cr_assert_eq(a->contrib_not_started, b->contrib_not_started);
    cr_assert_eq(a->contrib_out_of_scope, b->contrib_out_of_scope);
    cr_assert_gt(a->rejects[SIB_TABLE_CONTRIBUTION][SIB_REJ_REPEAT], 1000);
    for (int k = 0; k < SIB_REJ_COUNT; k++)
        cr_assert_eq(a->rejects[SIB_TABLE_CONTRIBUTION][k], b->rejects[SIB_TABLE_CONTRIBUTION][k], "reason %d", k);
    long paid = 0;
    for (size_t i = 0; i < a->nenr; i++) {
        cr_assert_eq(a->enr[i].last_paid, b->enr[i].last_paid, "enrollment %lld", (long long)a->enr[i].id);
        cr_assert_eq(a->enr[i].sum12, b->enr[i].sum12, "enrollment %lld", (long long)a->enr[i].id);
        cr_assert_eq(memcmp(a->paid[i].win, b->paid[i].win, sizeof a->paid[i].win), 0);
        paid += a->enr[i].last_paid != 0;
    }
    cr_assert_gt(paid, 1000);
    long n[2];
    long long sum[2];
    for (int k = 0; k < 2; k++) {
        nrej = 0;
        rej_sum = 0;
        sib_error err = { 0 };
        cr_assert_eq(sib_rejlog_each((k ? b : a)->crej, tally_reject, NULL, &err), SIB_OK, "%s", err.msg);
        n[k] = nrej;
        sum[k] = rej_sum;
    }
    cr_assert_eq(n[0], n[1]);
    cr_assert_eq(sum[0], sum[1], "the same rejected rows");
    sib_source_free(a);
    sib_source_free(b);
    sib_db_free(db1);
    sib_db_free(db2);
}

Test(integ_read, a_helper_stream_reads_the_same, .init = setup, .fini = teardown, .timeout = 300)
{
    same_read(4096);
}

Test(integ_read, a_helper_stream_reads_the_same_when_every_repeat_is_read_again, .init = setup, .fini = teardown,
     .timeout = 300)
{
    same_read(0);
}
