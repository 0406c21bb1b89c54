/* Unit tests: common/month — month arithmetic, dates, Unicode trimming. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/month.h"

Test(unit_month, diff_and_index)
{
    cr_assert_eq(sib_month_diff(202512, 202509), 3);
    cr_assert_eq(sib_month_diff(202601, 202512), 1);
    cr_assert_eq(sib_month_diff(202501, 202412), 1);
    cr_assert_eq(sib_month_from_index(sib_month_index(202412) + 1), 202501);
}

Test(unit_month, validity)
{
    cr_assert(sib_month_valid(202512));
    cr_assert_not(sib_month_valid(202513));
    cr_assert_not(sib_month_valid(202500));
    cr_assert_not(sib_month_valid(2025));
    cr_assert(sib_date_valid(20240229));
    cr_assert_not(sib_date_valid(20230229));
    cr_assert_not(sib_date_valid(19000229));
    cr_assert(sib_date_valid(20000229));
    cr_assert_eq(sib_month_last_day(202402), 20240229);
    cr_assert_eq(sib_month_last_day(202512), 20251231);
}

Test(unit_month, age_in_completed_years)
{
    cr_assert_eq(sib_age_years(19651231, 20251231), 60);
    cr_assert_eq(sib_age_years(19660101, 20251231), 59);
    cr_assert_eq(sib_age_years(20091231, 20251231), 16);
    cr_assert_eq(sib_age_years(20100101, 20251231), 15);
}

Test(unit_month, parse_and_format)
{
    cr_assert_eq(sib_date_parse("2025-02-28"), 20250228);
    cr_assert_eq(sib_date_parse(NULL), 0);
    cr_assert_eq(sib_date_parse("junk"), 0);
    cr_assert_eq(sib_date_parse("2025-02-30"), 0, "no such day");
    cr_assert_eq(sib_date_parse("0999-12-31"), 9991231, "years before 1000 are days too");
    cr_assert_eq(sib_date_parse("2024-2-29"), 0);
    /* PostgreSQL's dates outside years 1..9999 keep their order */
    cr_assert_eq(sib_date_parse("-infinity"), SIB_DATE_BEFORE_ALL);
    cr_assert_eq(sib_date_parse("2024-02-29 BC"), SIB_DATE_BEFORE_ALL);
    cr_assert_eq(sib_date_parse("infinity"), SIB_DATE_AFTER_ALL);
    cr_assert_eq(sib_date_parse("10000-01-01"), SIB_DATE_AFTER_ALL);
    cr_assert_eq(sib_date_parse("10000-01-01 BC"), SIB_DATE_BEFORE_ALL);
    cr_assert_eq(sib_date_parse("infinity BC"), 0);
    cr_assert(SIB_DATE_BEFORE_ALL < sib_date_parse("0001-01-01"));
    cr_assert(SIB_DATE_AFTER_ALL > sib_date_parse("9999-12-31"));
    cr_assert_not(sib_date_valid(SIB_DATE_BEFORE_ALL));
    cr_assert_not(sib_date_valid(SIB_DATE_AFTER_ALL));
    char buf[8];
    sib_month_format(202503, buf);
    cr_assert_str_eq(buf, "2025-03");
}

Test(unit_month, trims_every_unicode_space)
{
    size_t n;
    const char *t = sib_trim_ws(" \t110\xe3\x80\x80", &n);     /* U+3000 */
    cr_assert_eq(n, 3);
    cr_assert_eq(memcmp(t, "110", 3), 0);
    cr_assert(sib_trim_eq("\xc2\xa0" "170 ", "170"));          /* NBSP */
    cr_assert(sib_trim_eq("\xe2\x80\x83" "210\xe2\x80\xaf", "210")); /* em space, NNBSP */
    cr_assert_not(sib_trim_eq("1 10", "110"));
    cr_assert(sib_blank(NULL));
    cr_assert(sib_blank(" \xe3\x80\x80 "));
    cr_assert_not(sib_blank(" x "));
}

Test(unit_month, counts_utf8_code_points)
{
    cr_expect_eq(sib_utf8_count("", 0), 0);
    cr_expect_eq(sib_utf8_count("abc", 3), 3);
    cr_expect_eq(sib_utf8_count("王小明", strlen("王小明")), 3);
    cr_expect_eq(sib_utf8_count("\xef\xbc\x99" "1", 4), 2);      /* full-width 9, then 1 */
    cr_expect_eq(sib_utf8_count("王小明", 3), 1);                 /* only the bytes given */
}
