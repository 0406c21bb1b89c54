/* Unit tests: dedup/dedup — clusters, survivors, records, insured/lapsed
 * (definitions.md §3–§4), on hand-built enrollments. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "common/month.h"
#include "dedup/dedup.h"

#define A 202512

static sib_source src;
static sib_enrollment enr[16];
static sib_months paid[16];
static sib_config cfg;

static void setup(void)
{
    memset(&src, 0, sizeof src);
    memset(enr, 0, sizeof enr);
    memset(paid, 0, sizeof paid);
    sib_config_defaults(&cfg);
    src.as_of = A;
    src.enr = enr;
    src.paid = paid;
}

/* An enrollment of person p in scheme s; paid months [from, to] (0 = never). */
static sib_enrollment *add(int p, int s, int start, int end, int status, int paid_from, int paid_to)
{
    sib_enrollment *e = &enr[src.nenr];
    e->id = 100 + (int64_t)src.nenr;
    src.nenr++;
    e->person = p;
    e->scheme = (int8_t)s;
    e->start = start;
    e->end = end;
    e->status = (uint8_t)status;
    e->state = SIB_ROW_USABLE;
    e->town_code = "350581001";
    e->worker_category = "employee";
    if (paid_from)
        for (int m = sib_month_index(paid_from); m <= sib_month_index(paid_to); m++) {
            sib_months_add(&paid[src.nenr - 1], sib_month_index(A), m);
            e->last_paid = sib_month_from_index(m);
        }
    return e;
}

static sib_dedup *run(const uint8_t *deceased)
{
    sib_dedup *d = NULL;
    sib_error err = { 0 };
    cr_assert_eq(sib_dedup_run(&src, 4, deceased, &cfg, &d, &err), SIB_OK, "%s", err.msg);
    return d;
}

static void teardown(void)
{
    for (size_t i = 0; i < src.nenr; i++)
        sib_months_clear(&paid[i]);
}

TestSuite(unit_dedup, .init = setup, .fini = teardown);

Test(unit_dedup, overlapping_rows_form_one_cluster)
{
    add(0, SIB_S110, 201801, 202012, 3, 201801, 202012);   /* overlaps the next */
    add(0, SIB_S110, 202006, 0, 1, 202006, 202512);
    add(0, SIB_S110, 202101, 202106, 3, 0, 0);              /* inside the open one */
    add(0, SIB_S110, 201001, 201012, 3, 201001, 201012);   /* apart */
    sib_dedup *d = run(NULL);
    cr_assert_eq(d->nps, 1);
    cr_assert_eq(d->ps[0].clusters, 2);
    cr_assert_eq(d->ps[0].duplicates, 2);
    cr_assert_eq(d->survivor[0], 1, "the open status-1 row survives");
    cr_assert_eq(d->survivor[2], 1);
    cr_assert_eq(d->survivor[3], 3);
    cr_assert_eq(d->ps[0].record, 1);
    cr_assert(d->ps[0].insured);
    cr_assert_not(d->ps[0].lapsed);
    sib_dedup_free(d);
}

Test(unit_dedup, survivor_ranking)
{
    /* none open: latest paid period wins over status */
    sib_enrollment *a = add(0, SIB_S210, 202001, 202306, 1, 202001, 202206);
    sib_enrollment *b = add(0, SIB_S210, 202002, 202306, 3, 202001, 202305);
    cr_assert_lt(sib_dedup_survivor_cmp(b, a, A), 0);
    /* same paid: status 1 over 2 */
    a->status = 2;
    b->status = 1;
    b->last_paid = a->last_paid;
    cr_assert_lt(sib_dedup_survivor_cmp(b, a, A), 0);
    /* same status: earliest start, then lowest id */
    b->status = 2;
    cr_assert_lt(sib_dedup_survivor_cmp(a, b, A), 0);
    b->start = a->start;
    cr_assert_lt(sib_dedup_survivor_cmp(a, b, A), 0);
}

Test(unit_dedup, lapse_threshold_boundary)
{
    add(0, SIB_S110, 202001, 0, 1, 202001, 202509);        /* unpaid 3 = threshold */
    add(1, SIB_S110, 202001, 0, 1, 202001, 202510);        /* unpaid 2 */
    sib_dedup *d = run(NULL);
    cr_assert_eq(d->ps[0].months_unpaid, 3);
    cr_assert(d->ps[0].lapsed);
    cr_assert_not(d->ps[0].contributing);
    cr_assert_eq(d->ps[1].months_unpaid, 2);
    cr_assert_not(d->ps[1].lapsed);
    cr_assert(d->ps[1].contributing);
    sib_dedup_free(d);
}

Test(unit_dedup, never_paid_owes_from_start)
{
    add(0, SIB_S410, 202510, 0, 1, 0, 0);
    add(1, SIB_S410, 202511, 0, 1, 0, 0);
    sib_dedup *d = run(NULL);
    cr_assert_eq(d->ps[0].months_unpaid, 3, "A - S + 1");
    cr_assert(d->ps[0].lapsed);
    cr_assert_eq(d->ps[1].months_unpaid, 2);
    cr_assert_not(d->ps[1].lapsed);
    sib_dedup_free(d);
}

Test(unit_dedup, new_enrollment_after_old_paid_one)
{
    add(0, SIB_S110, 201501, 201812, 3, 201501, 201812);
    add(0, SIB_S110, 202511, 0, 1, 0, 0);
    sib_dedup *d = run(NULL);
    cr_assert_eq(d->ps[0].record, 1);
    cr_assert_eq(d->ps[0].months_unpaid, 2, "max(P, S-1) with S = 202511");
    cr_assert_not(d->ps[0].lapsed);
    sib_dedup_free(d);
}

Test(unit_dedup, resident_pension_pays_yearly)
{
    add(0, SIB_S170, 201501, 0, 1, 202401, 202412);        /* unpaid 12 */
    add(1, SIB_S170, 201501, 0, 1, 202402, 202501);        /* unpaid 11 */
    sib_dedup *d = run(NULL);
    cr_assert(d->ps[0].lapsed);
    cr_assert_not(d->ps[1].lapsed);
    sib_dedup_free(d);
}

Test(unit_dedup, pension_drawn_under_any_status)
{
    sib_enrollment *e = add(0, SIB_S170, 201001, 201912, 3, 201001, 201912);
    e->benefit_start = 202001;
    sib_enrollment *f = add(1, SIB_S410, 201001, 201912, 3, 201001, 201912);
    f->benefit_start = 202001;                              /* ignored for 410 */
    sib_dedup *d = run(NULL);
    cr_assert(d->ps[0].insured);
    cr_assert(d->ps[0].beneficiary);
    cr_assert_not(d->ps[0].lapsed);
    cr_assert_not(d->ps[1].insured);
    cr_assert_not(d->ps[1].beneficiary);
    sib_dedup_free(d);
}

Test(unit_dedup, project_workers_never_lapse)
{
    sib_enrollment *e = add(0, SIB_S410, 202001, 0, 1, 202001, 202001);
    e->worker_category = " project ";
    sib_dedup *d = run(NULL);
    cr_assert(d->ps[0].insured);
    cr_assert(d->ps[0].project);
    cr_assert_not(d->ps[0].lapsed);
    cr_assert(d->ps[0].contributing);
    sib_dedup_free(d);
}

Test(unit_dedup, deceased_are_insured_nowhere)
{
    add(0, SIB_S110, 202001, 0, 1, 202001, 202501);
    uint8_t dead[4] = { 1, 0, 0, 0 };
    sib_dedup *d = run(dead);
    cr_assert_not(d->ps[0].insured);
    cr_assert_not(d->ps[0].lapsed);
    sib_dedup_free(d);
}

Test(unit_dedup, record_without_open_row_is_latest_paid_cluster)
{
    add(0, SIB_S210, 201001, 201212, 3, 201001, 201212);
    add(0, SIB_S210, 201501, 201712, 3, 201501, 201706);
    add(0, SIB_S210, 201901, 201912, 2, 0, 0);
    sib_dedup *d = run(NULL);
    cr_assert_eq(d->ps[0].clusters, 3);
    cr_assert_eq(d->ps[0].duplicates, 0);
    cr_assert_eq(d->ps[0].record, 1, "latest paid month wins over latest start");
    cr_assert_not(d->ps[0].insured, "status 2 but closed at A");
    sib_dedup_free(d);
}

Test(unit_dedup, town_rule_and_12_digit_codes)
{
    sib_enrollment *e = add(0, SIB_S110, 202001, 0, 1, 202001, 202512);
    e->town_code = "350581102000";
    sib_enrollment *f = add(1, SIB_S110, 202001, 0, 1, 202001, 202512);
    f->town_code = "350581999";
    sib_dedup *d = run(NULL);
    cr_assert_str_eq(d->ps[0].town, "350581102");
    cr_assert_str_eq(d->ps[1].town, "unknown");
    sib_dedup_free(d);
}

Test(unit_dedup, paid_months_kept_only_where_schemes_can_conflict)
{
    add(0, SIB_S110, 202001, 0, 1, 202401, 202412);
    add(0, SIB_S170, 202001, 0, 1, 202406, 202512);
    add(0, SIB_S170, 201801, 201912, 3, 201801, 201812);   /* a second 170 row: its months join the union */
    add(1, SIB_S170, 202001, 0, 1, 202401, 202512);         /* resident pension only: cannot conflict */
    add(2, SIB_S110, 202001, 0, 1, 202401, 202412);         /* 110 with 120: can conflict */
    add(2, SIB_S120, 202001, 0, 1, 202406, 202412);
    sib_dedup *d = run(NULL);
    cr_assert_eq(d->nps, 5);
    const int a = sib_month_index(A);
    const sib_months *p110 = sib_dedup_paid(d, 0), *p170 = sib_dedup_paid(d, 1), *other = sib_dedup_paid(d, 2);
    cr_assert(sib_months_has(p110, a, sib_month_index(202412)));
    cr_assert_not(sib_months_has(p110, a, sib_month_index(202501)));
    cr_assert(sib_months_has(p170, a, sib_month_index(202512)));
    cr_assert(sib_months_has(p170, a, sib_month_index(201801)), "union over the scheme's rows");
    cr_assert_not(sib_months_has(other, a, sib_month_index(202406)), "not kept for one pension scheme");
    cr_assert(sib_months_has(sib_dedup_paid(d, 4), a, sib_month_index(202406)), "kept for 110 with 120");
    cr_assert_eq(d->npaid, 4);
    sib_dedup_drop_paid(d);
    cr_assert_not(sib_months_has(sib_dedup_paid(d, 1), a, sib_month_index(202512)), "dropped");
    sib_dedup_free(d);
}

/* Rows of several persons in any order come out grouped by (person, scheme),
 * each group ordered by start month (the counting sort on person). */
Test(unit_dedup, rows_grouped_by_person_and_scheme)
{
    add(2, SIB_S170, 201901, 0, 1, 201901, 202512);
    add(0, SIB_S210, 202001, 0, 1, 202001, 202512);
    add(1, SIB_S110, 202301, 0, 1, 202301, 202512);
    add(0, SIB_S110, 201501, 201812, 3, 201501, 201812);
    add(0, SIB_S110, 201901, 0, 1, 201901, 202512);
    add(2, SIB_S110, 200501, 200912, 3, 200501, 200912);
    sib_dedup *d = run(NULL);
    int want[][2] = { {0, SIB_S110}, {0, SIB_S210}, {1, SIB_S110}, {2, SIB_S110}, {2, SIB_S170} };
    cr_assert_eq(d->nps, 5);
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(d->ps[i].person, want[i][0], "ps %zu", i);
        cr_assert_eq(d->ps[i].scheme, want[i][1], "ps %zu", i);
    }
    cr_assert_eq(d->ps[0].clusters, 2, "person 0's two 110 rows do not overlap");
    cr_assert_eq(d->ps[0].record, 4, "the open one");
    cr_assert_neq(d->cluster[3], d->cluster[4]);
    sib_dedup_free(d);
}

Test(unit_dedup, person_out_of_range_is_an_error)
{
    add(0, SIB_S110, 202001, 0, 1, 202001, 202512);
    add(7, SIB_S110, 202001, 0, 1, 202001, 202512);
    sib_dedup *d = NULL;
    sib_error err = { 0 };
    cr_assert_eq(sib_dedup_run(&src, 4, NULL, &cfg, &d, &err), SIB_ERR);
    cr_assert_null(d);
    cr_assert(strstr(err.msg, "person 7 of 4") != NULL, "%s", err.msg);
}

/* Dedup splits the person-schemes over threads at person boundaries: any
 * number of threads gives the same person-schemes, clusters (numbered in
 * row order) and survivors as one. */
Test(unit_dedup, threads_give_the_same_result)
{
    enum { N = 600, P = 97 };
    static sib_enrollment rows[N];
    static sib_months none[N];
    sib_source s;
    memset(&s, 0, sizeof s);
    memset(rows, 0, sizeof rows);
    s.as_of = A;
    s.enr = rows;
    s.paid = none;
    s.nenr = N;
    unsigned x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        sib_enrollment *e = &rows[i];
        e->id = 1000 + i;
        e->person = (int32_t)((x >> 8) % P);
        e->scheme = (int8_t)((x >> 4) % 3 == 0 ? SIB_S170 : SIB_S110);
        e->start = 201001 + (int)((x >> 12) % 15) * 100;
        e->end = (x >> 20) % 3 == 0 ? 0 : e->start + 300;
        e->status = (uint8_t)(1 + (x >> 22) % 3);
        e->last_paid = (x >> 24) % 2 ? e->start + 200 : 0;
        e->state = (x >> 26) % 17 == 0 ? SIB_ROW_REJECTED : SIB_ROW_USABLE;
        e->town_code = "350581001";
        e->worker_category = "employee";
    }
    sib_config c;
    sib_config_defaults(&c);
    sib_dedup *one = NULL;
    sib_error err = { 0 };
    c.threads = 1;
    cr_assert_eq(sib_dedup_run(&s, P, NULL, &c, &one, &err), SIB_OK, "%s", err.msg);
    cr_assert_gt(one->nduplicates, 0);
    for (int t = 2; t <= SIB_PAR_MAX; t += 3) {
        sib_dedup *d = NULL;
        c.threads = t;
        cr_assert_eq(sib_dedup_run(&s, P, NULL, &c, &d, &err), SIB_OK, "%s", err.msg);
        cr_assert_eq(d->nps, one->nps, "threads %d", t);
        cr_assert_eq(d->nclusters, one->nclusters, "threads %d", t);
        cr_assert_eq(d->nduplicates, one->nduplicates, "threads %d", t);
        cr_assert_eq(memcmp(d->ps, one->ps, one->nps * sizeof *one->ps), 0, "threads %d", t);
        cr_assert_eq(memcmp(d->cluster, one->cluster, N * sizeof *one->cluster), 0, "threads %d", t);
        cr_assert_eq(memcmp(d->survivor, one->survivor, N * sizeof *one->survivor), 0, "threads %d", t);
        sib_dedup_free(d);
    }
    sib_dedup_free(one);
}
