/*
 * Unit tests of resolve/credit: GB 32100-2015 check character.
 */
#include <criterion/criterion.h>

#include "resolve/credit.h"

Test(unit_credit, standard_example)
{
    const char *why = "x";
    cr_assert_eq(sib_credit_validate("91350100M000100Y43", &why), 1);
    cr_assert_null(why);
    cr_assert_eq(sib_credit_validate("91350100M000100Y4Z", &why), 0);
    cr_assert_str_eq(why, "character");        /* Z is not in the alphabet */
    cr_assert_eq(sib_credit_validate("91350100M000100Y44", &why), 0);
    cr_assert_str_eq(why, "check");
}

Test(unit_credit, hand_computed)
{
    /* 92350581000000001?: values 9 2 3 5 0 5 8 1 0 0 0 0 0 0 0 0 1, weights
     * 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
     * 9 + 6 + 27 + 135 + 0 + 130 + 128 + 17 + 28 = 480; 480 mod 31 = 15;
     * 31 - 15 = 16 -> alphabet[16] = 'G'. */
    cr_assert_eq(sib_credit_check_char("92350581000000001"), 'G');
    cr_assert_eq(sib_credit_validate("92350581000000001G", NULL), 1);
    /* 00000000000000000?: sum 0 -> 31 - 0 = 31, written as 0. */
    cr_assert_eq(sib_credit_check_char("00000000000000000"), '0');
    /* 12350500426650307?: 1 + 6 + 27 + 135 + 0 + 130 + 0 + 0 + 80 + 58 + 150
     * + 78 + 40 + 0 + 30 + 0 + 196 = 931; 931 mod 31 = 1; 31 - 1 = 30 -> 'Y'. */
    cr_assert_eq(sib_credit_check_char("12350500426650307"), 'Y');
    cr_assert_eq(sib_credit_validate("12350500426650307Y", NULL), 1);
}

Test(unit_credit, trimmed_then_checked_as_written)
{
    const char *why = NULL;
    cr_assert_eq(sib_credit_validate(" 91350100M000100Y43\xe3\x80\x80", NULL), 1);   /* U+3000 trimmed */
    cr_assert_eq(sib_credit_validate("91350100m000100y43", &why), 0);      /* lower case: not the alphabet */
    cr_assert_str_eq(why, "character");
    cr_assert_eq(sib_credit_validate("\xef\xbc\x99" "1350100M000100Y43", &why), 0); /* full-width 9 */
    cr_assert_str_eq(why, "character");
    cr_assert_eq(sib_credit_validate("91350100 M000100Y43", &why), 0);     /* inner space: 19 characters */
    cr_assert_str_eq(why, "length");
}

Test(unit_credit, reasons)
{
    const char *why = NULL;
    cr_assert_eq(sib_credit_validate(NULL, &why), 0);
    cr_assert_str_eq(why, "missing");
    cr_assert_eq(sib_credit_validate("  ", &why), 0);
    cr_assert_str_eq(why, "missing");
    cr_assert_eq(sib_credit_validate("91350100M000100Y4", &why), 0);
    cr_assert_str_eq(why, "length");
    cr_assert_eq(sib_credit_validate("91350100I000100Y43", &why), 0);
    cr_assert_str_eq(why, "character");
    cr_assert_eq(sib_credit_validate("91350100M000100Y4\xe4\xb8\x80", &why), 0);
    cr_assert_str_eq(why, "character");
}
