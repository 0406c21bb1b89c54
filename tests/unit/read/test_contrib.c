/* Unit tests: read/contrib — parsing a contribution row. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "common/month.h"
#include "read/contrib.h"

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

Test(unit_contrib, parses_contribution_rows)
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
    /* other shapes take the general path, with the same meaning; a date BC
     * is before every day */
    f = contrib("12\t202301\t12.345\t.5\t1e5\t2023-01-15 BC", 0);
    cr_assert_eq(f.base, 1234);         /* two decimals kept */
    cr_assert_eq(f.employer, 50);
    cr_assert_eq(f.personal, 100);
    cr_assert_eq(f.paid_on, SIB_DATE_BEFORE_ALL);
    f = contrib("12\t202301\t1\t2\t3\tinfinity", 0);
    cr_assert_eq(f.paid_on, SIB_DATE_AFTER_ALL);
    f = contrib("1234567890123456789\t20230\\x\t1\t2\t3\t2023-01-15", 0);
    cr_assert(!f.period_ok, "not an integer");
    /* not six columns */
    contrib("1\t202301\t1\t2\t3", -1);
    contrib("1\t202301\t1\t2\t3\t2023-01-15\tx", -1);
}
