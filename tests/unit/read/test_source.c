/* Unit tests: read/source — cents, contribution rows, paid-month sets. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/month.h"
#include "read/source.h"

Test(unit_source, parses_cents)
{
    cr_assert_eq(sib_parse_cents("123.45"), 12345);
    cr_assert_eq(sib_parse_cents("-0.50"), -50);
    cr_assert_eq(sib_parse_cents("7"), 700);
    cr_assert_eq(sib_parse_cents("7.5"), 750);
    cr_assert_eq(sib_parse_cents(NULL), 0);
}

/* sib_contrib_parse on one line (copied: it parses in place). */
static sib_contrib_fields contrib(const char *text, int want_rc)
{
    char line[256];
    sib_contrib_fields f;
    memset(&f, 0x5a, sizeof f);
    snprintf(line, sizeof line, "%s", text);
    cr_assert_eq(sib_contrib_parse(line, &f), want_rc, "%s", text);
    return f;
}

Test(unit_source, parses_contribution_rows)
{
    /* the usual shape: one pass */
    sib_contrib_fields f = contrib("4000001\t202301\t5000.00\t800.00\t400.00\t2023-01-15", 0);
    cr_assert(f.id_ok && f.period_ok);
    cr_assert_eq(f.enrollment_id, 4000001);
    cr_assert_eq(f.period, 202301);
    cr_assert_eq(f.base, 500000);
    cr_assert_eq(f.employer, 80000);
    cr_assert_eq(f.personal, 40000);
    cr_assert_eq(f.paid_on, 20230115);
    /* NULLs, negatives, one decimal, no decimals */
    f = contrib("\\N\t\\N\t-5.5\t\\N\t7\t\\N", 0);
    cr_assert(!f.id_ok && !f.period_ok);
    cr_assert_eq(f.base, -550);
    cr_assert_eq(f.employer, 0);
    cr_assert_eq(f.personal, 700);
    cr_assert_eq(f.paid_on, 0);
    /* a date that does not exist, a period that is not a month (the rules judge it) */
    f = contrib("12\t202513\t0.00\t0.00\t0.00\t2023-02-30", 0);
    cr_assert_eq(f.period, 202513);
    cr_assert_eq(f.paid_on, 0);
    /* other shapes take the general path, with the same meaning */
    f = contrib("12\t202301\t12.345\t.5\t1e5\t2023-01-15 BC", 0);
    cr_assert_eq(f.base, 1234);         /* two decimals kept */
    cr_assert_eq(f.employer, 50);
    cr_assert_eq(f.personal, 100);
    cr_assert_eq(f.paid_on, 20230115);
    f = contrib("1234567890123456789\t20230\\x\t1\t2\t3\t2023-01-15", 0);
    cr_assert(!f.period_ok, "not an integer");
    /* not six columns */
    contrib("1\t202301\t1\t2\t3", -1);
    contrib("1\t202301\t1\t2\t3\t2023-01-15\tx", -1);
}

static int hits[8], nhits;

static void collect(int idx, void *ud)
{
    (void)ud;
    hits[nhits++] = sib_month_from_index(idx);
}

Test(unit_source, months_window_and_old)
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

Test(unit_source, long_history_grows_and_stays_sorted)
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
