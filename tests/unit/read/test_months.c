/* Unit tests: read/months — paid-month sets. */
#include <criterion/criterion.h>

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
