/*
 * Unit tests of resolve/match: comparators, weights, evidence, EM.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "resolve/match.h"

static const sib_match_field fields[] = {
    {.name = "name", .kind = SIB_CMP_STRING},
    {.name = "dob", .kind = SIB_CMP_DATE},
    {.name = "id", .kind = SIB_CMP_IDNUM},
    {.name = "sex", .kind = SIB_CMP_EXACT},
};

Test(unit_match, comparators)
{
    sib_error err;
    sib_match_model *m = sib_match_model_new(fields, 4, &err);
    cr_assert_not_null(m);
    cr_assert_eq(sib_match_compare(m, 0, "JOHN", "JOHN", NULL), 1);
    cr_assert_eq(sib_match_compare(m, 0, "MARTHA", "MARHTA", NULL), 2);
    cr_assert_eq(sib_match_compare(m, 0, "JOHN", "XAVIER", NULL), 4);
    cr_assert_eq(sib_match_compare(m, 0, NULL, "JOHN", NULL), 0);
    cr_assert_eq(sib_match_compare(m, 0, "", "JOHN", NULL), 0);
    cr_assert_eq(sib_match_compare(m, 1, "19800101", "19800101", NULL), 1);
    cr_assert_eq(sib_match_compare(m, 1, "19800101", "19800110", NULL), 2);   /* transposition */
    cr_assert_eq(sib_match_compare(m, 1, "19800312", "19801203", NULL), 3);   /* day<->month */
    cr_assert_eq(sib_match_compare(m, 1, "19800312", "19800328", NULL), 4);   /* day differs */
    cr_assert_eq(sib_match_compare(m, 1, "19800312", "19751120", NULL), 5);
    cr_assert_eq(sib_match_compare(m, 2, "1234567", "1234567", NULL), 1);
    cr_assert_eq(sib_match_compare(m, 2, "1234567", "1243567", NULL), 2);
    cr_assert_eq(sib_match_compare(m, 2, "1234567", "1239567", NULL), 2);
    cr_assert_eq(sib_match_compare(m, 2, "1234567", "1239560", NULL), 3);
    cr_assert_eq(sib_match_compare(m, 2, "1234567", "7654321", NULL), 4);
    cr_assert_eq(sib_match_compare(m, 3, "1", "2", NULL), 2);
    sib_match_model_free(m);
}

Test(unit_match, weights_and_evidence)
{
    sib_error err;
    sib_match_model *m = sib_match_model_new(fields, 4, &err);
    cr_assert_not_null(m);
    sib_match_set(m, 3, 1, 0.9, 0.45);
    sib_match_set(m, 3, 2, 0.1, 0.55);
    cr_assert_float_eq(sib_match_level_weight(m, 3, 1), 1.0, 1e-9);
    uint8_t lv[4] = {0, 0, 0, 1};
    cr_assert_float_eq(sib_match_weight(m, lv), 1.0, 1e-9);
    lv[3] = 2;
    cr_assert_float_eq(sib_match_weight(m, lv), log2(0.1 / 0.55), 1e-9);
    uint8_t lv2[4] = {1, 0, 2, 2};
    uint32_t ev = sib_match_evidence(m, lv2);
    cr_assert_eq(ev, 1u | (2u << 6) | (2u << 9));
    char buf[128];
    cr_assert_str_eq(sib_match_evidence_text(m, ev, buf, sizeof buf), "name=exact,id=one_edit,sex=different");
    sib_match_model_free(m);
}

/* EM recovers m and u of a synthetic mixture: 20% matches agreeing on each
 * of 3 exact fields with p 0.9, non-matches with p 0.1 (independent). */
Test(unit_match, em_recovers_parameters)
{
    static const sib_match_field f3[] = {
        {.name = "a", .kind = SIB_CMP_EXACT}, {.name = "b", .kind = SIB_CMP_EXACT}, {.name = "c", .kind = SIB_CMP_EXACT},
    };
    sib_error err;
    sib_match_model *m = sib_match_model_new(f3, 3, &err);
    cr_assert_not_null(m);
    size_t n = 20000;
    uint8_t *lv = malloc(n * 3);
    unsigned s = 12345;
    for (size_t i = 0; i < n; i++) {
        int match = i % 5 == 0;
        for (int f = 0; f < 3; f++) {
            s = s * 1103515245u + 12345u;
            double r = ((s >> 8) & 0xFFFF) / 65536.0;
            lv[i * 3 + f] = (uint8_t)((match ? r < 0.9 : r < 0.1) ? 1 : 2);
        }
    }
    int rounds = sib_match_em(m, lv, n, 0.1, 500, &err);
    cr_assert_gt(rounds, 0);
    cr_assert_float_eq(sib_match_lambda(m), 0.2, 0.02);
    for (int f = 0; f < 3; f++) {
        double mm, uu;
        sib_match_get(m, (size_t)f, 1, &mm, &uu);
        cr_assert_float_eq(mm, 0.9, 0.03, "field %d m %f", f, mm);
        cr_assert_float_eq(uu, 0.1, 0.03, "field %d u %f", f, uu);
    }
    /* threshold for posterior 0.5 = log2((1-l)/l) */
    cr_assert_float_eq(sib_match_threshold_for(m, 0.5), log2((1 - sib_match_lambda(m)) / sib_match_lambda(m)), 1e-9);
    cr_assert_float_eq(sib_match_posterior(m, sib_match_threshold_for(m, 0.5)), 0.5, 1e-9);
    free(lv);
    sib_match_model_free(m);
}

Test(unit_match, bad_model)
{
    sib_error err;
    cr_assert_null(sib_match_model_new(fields, 0, &err));
    sib_match_field bad = {.name = "x", .kind = (sib_cmp_kind)99};
    cr_assert_null(sib_match_model_new(&bad, 1, &err));
}
