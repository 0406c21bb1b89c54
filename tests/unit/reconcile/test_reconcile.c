/* Unit tests of reconcile's number handling and report output. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile/reconcile.h"

Test(unit_reconcile, parse_numbers)
{
    long long v;
    int money;
    cr_assert_eq(sib_recon_parse_number("12", &v, &money), SIB_OK);
    cr_assert_eq(v, 12);
    cr_assert_eq(money, 0);
    cr_assert_eq(sib_recon_parse_number("1234.50", &v, &money), SIB_OK);
    cr_assert_eq(v, 123450);
    cr_assert_eq(money, 1);
    cr_assert_eq(sib_recon_parse_number("0.5", &v, &money), SIB_OK);
    cr_assert_eq(v, 50);
    cr_assert_eq(sib_recon_parse_number("-0.10", &v, &money), SIB_OK);
    cr_assert_eq(v, -10);
    cr_assert_eq(sib_recon_parse_number("1.005", &v, &money), SIB_ERR);
    cr_assert_eq(sib_recon_parse_number("1.000", &v, &money), SIB_OK);
    cr_assert_eq(v, 100);
    cr_assert_eq(sib_recon_parse_number("", &v, &money), SIB_ERR);
    cr_assert_eq(sib_recon_parse_number("12a", &v, &money), SIB_ERR);
    cr_assert_eq(sib_recon_parse_number("1.", &v, &money), SIB_ERR);
    cr_assert_eq(sib_recon_parse_number("'-1", &v, &money), SIB_ERR);
}

Test(unit_reconcile, format_numbers)
{
    char b[32];
    sib_recon_format_number(123450, 1, b, sizeof b);
    cr_assert_str_eq(b, "1234.50");
    sib_recon_format_number(5, 1, b, sizeof b);
    cr_assert_str_eq(b, "0.05");
    sib_recon_format_number(-10, 1, b, sizeof b);
    cr_assert_str_eq(b, "-0.10");
    sib_recon_format_number(42, 0, b, sizeof b);
    cr_assert_str_eq(b, "42");
}

Test(unit_reconcile, items_counts_and_json)
{
    sib_recon *r = sib_recon_new();
    cr_assert_eq(sib_recon_add(r, "file", "pension.csv.gz", "", "", "rows", "30", "30", SIB_RECON_MATCH), SIB_OK);
    cr_assert_eq(sib_recon_add(r, "stored", "pension.csv.gz", "110", "350581001", "lapsed_persons", "7", "8",
                               SIB_RECON_MISMATCH), SIB_OK);
    cr_assert_eq(sib_recon_add(r, "source", "si_src", "", "", "run_id", "3", "held 4", SIB_RECON_SKIPPED), SIB_OK);
    cr_assert_eq(sib_recon_count(r), 3);
    cr_assert_eq(sib_recon_mismatches(r), 1);
    cr_assert_eq(sib_recon_skipped(r), 1);
    cr_assert_str_eq(sib_recon_item_at(r, 1)->town, "350581001");
    cr_assert_null(sib_recon_item_at(r, 3));
    char *js = sib_recon_to_json(r, 1);
    cr_assert_not_null(js);
    cr_assert(strstr(js, "\"result\":\t\"mismatch\"") != NULL, "%s", js);
    cr_assert(strstr(js, "lapsed_persons") != NULL);
    cr_assert(strstr(js, "\"rows\"") == NULL, "problems_only leaves matched items out: %s", js);
    free(js);
    sib_recon_free(r);
    sib_recon_free(NULL);
}
