/* Unit tests: read/months — paid-month sets. */
#include <criterion/criterion.h>
#include <pthread.h>

#include "common/month.h"
#include "read/months.h"

static int hits[8], nhits;

static void collect(int idx, void *ud)
{
    (void)ud;
    hits[nhits++] = sib_month_from_index(idx);
}

Test(unit_months, months_window_and_old)
{
    int a = sib_month_index(202512);
    sib_months x = { 0 }, y = { 0 };
    cr_assert_eq(sib_months_add(&x, a, sib_month_index(202512)), 1);
    cr_assert_eq(sib_months_add(&x, a, sib_month_index(202512)), 0, "a second row for a month is a repeat");
    cr_assert_eq(sib_months_add(&x, a, sib_month_index(199001)), 1, "older than the window");
    cr_assert_eq(sib_months_add(&x, a, sib_month_index(202601)), 0, "after A: never paid");
    cr_assert(sib_months_has(&x, a, sib_month_index(199001)));
    cr_assert_not(sib_months_has(&x, a, sib_month_index(199002)));
    sib_months_add(&y, a, sib_month_index(199001));
    sib_months_add(&y, a, sib_month_index(202512));
    sib_months_add(&y, a, sib_month_index(202511));
    nhits = 0;
    sib_months_intersect(&x, &y, a, collect, NULL);
    cr_assert_eq(nhits, 2);
    cr_assert_eq(hits[0], 202512);
    cr_assert_eq(hits[1], 199001);
    sib_months u = { 0 };
    sib_months_union(&u, &x);
    sib_months_union(&u, &y);
    cr_assert(sib_months_has(&u, a, sib_month_index(202511)));
    sib_months_clear(&x);
    sib_months_clear(&y);
    sib_months_clear(&u);
}

static int nseen;

static void count(int idx, void *ud)
{
    (void)idx;
    (void)ud;
    nseen++;
}

Test(unit_months, long_history_grows_and_stays_sorted)
{
    const int a = sib_month_index(202512);
    sib_months x = { 0 }, y = { 0 };
    /* 40 months older than the window, added out of order: the list grows past its first capacity */
    for (int k = 0; k < 40; k++) {
        int m = a - 200 - (k * 17) % 40;
        cr_assert_eq(sib_months_add(&x, a, m), 1, "month %d once", m);
    }
    cr_assert_eq(sib_months_add(&x, a, a - 200), 0, "already there");
    for (int k = 0; k < 40; k++)
        cr_assert(sib_months_has(&x, a, a - 200 - k));
    cr_assert_not(sib_months_has(&x, a, a - 240));
    cr_assert_not(sib_months_has(&y, a, a - 200), "an empty set has no old months");
    for (int k = 0; k < 40; k += 2)
        sib_months_add(&y, a, a - 200 - k);
    nseen = 0;
    sib_months_intersect(&x, &y, a, count, NULL);
    cr_assert_eq(nseen, 20);
    sib_months_clear(&x);
    sib_months_clear(&y);
    cr_assert_null(x.old);
}

Test(unit_months, latest_month_of_the_window_and_of_the_old_months)
{
    int a = sib_month_index(202512);
    sib_months x = { 0 };
    cr_assert_eq(sib_months_latest(&x, a), -1, "empty");
    sib_months_add(&x, a, sib_month_index(199001));
    cr_assert_eq(sib_month_from_index(sib_months_latest(&x, a)), 199001, "only an old month");
    sib_months_add(&x, a, sib_month_index(201901));     /* second word of the window */
    cr_assert_eq(sib_month_from_index(sib_months_latest(&x, a)), 201901);
    sib_months_add(&x, a, sib_month_index(202503));
    sib_months_add(&x, a, sib_month_index(202411));
    cr_assert_eq(sib_month_from_index(sib_months_latest(&x, a)), 202503);
    sib_months_clear(&x);
}

/* Two threads add the same months (window and old) to shared sets: every
 * month is new to exactly one of them, and the sets hold every month. */
typedef struct adder {
    sib_months *sets;
    int nsets, as_of, fresh;
    pthread_mutex_t *lock;
} adder;

static void *add_all(void *ud)
{
    adder *d = ud;
    for (int s = 0; s < d->nsets; s++)
        for (int k = 0; k < 200; k++)
            d->fresh += sib_months_add_shared(&d->sets[s], d->as_of, d->as_of - k, d->lock);
    return NULL;
}

Test(unit_months, shared_adds_count_every_month_once)
{
    enum { NSETS = 2000 };
    static sib_months sets[NSETS];
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    int a = sib_month_index(202512);
    adder d[2] = { { sets, NSETS, a, 0, &lock }, { sets, NSETS, a, 0, &lock } };
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, add_all, &d[1]), 0);
    add_all(&d[0]);
    pthread_join(t, NULL);
    cr_assert_eq(d[0].fresh + d[1].fresh, NSETS * 200, "%d + %d", d[0].fresh, d[1].fresh);
    for (int s = 0; s < NSETS; s++) {
        cr_assert_eq(sib_months_latest(&sets[s], a), a);
        cr_assert(sib_months_has(&sets[s], a, a - 199), "an old month");
        cr_assert(sib_months_has(&sets[s], a, a - 127), "the window's last month");
        sib_months_clear(&sets[s]);
    }
}
