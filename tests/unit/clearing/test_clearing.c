/* Unit tests: clearing/clearing — who is flagged (definitions.md §4, §6). */
#include <criterion/criterion.h>
#include <string.h>

#include "clearing/clearing.h"
#include "common/month.h"

#define A 202512

static sib_source src;
static sib_enrollment enr[4];
static sib_population pop[8];
static sib_config cfg;
static const char *refs[8] = { "P0", "P1", "P2", "P3", "P4", "P5", "P6", "UNRESOLVED-population-8" };
static const char *keys[8] = { "P0", "P1", "P2", "P3", "P4", "P5", "P6", NULL };
static int32_t ppop[8];
static uint8_t pdead[8];
static int32_t pbirth[8];
static sib_persons persons = { 8, refs, keys, ppop, pdead, pbirth };

static void person(int p, int birth, int deceased, int in_school)
{
    memset(&pop[p], 0, sizeof pop[p]);
    pop[p].id = p + 1;
    pop[p].town_code = "350581105";
    pop[p].in_school = (uint8_t)in_school;
    ppop[p] = p;
    pdead[p] = (uint8_t)deceased;
    pbirth[p] = birth;
}

static void setup(void)
{
    memset(&src, 0, sizeof src);
    memset(enr, 0, sizeof enr);
    sib_config_defaults(&cfg);
    src.as_of = A;
    src.enr = enr;
    src.pop = pop;
    src.npop = 8;
    person(0, 19900615, 0, 0);      /* uninsured */
    person(1, 20091231, 0, 0);      /* 16 at the end of A: target */
    person(2, 20100101, 0, 0);      /* 15: too young */
    person(3, 19660101, 0, 0);      /* 59: target */
    person(4, 19651231, 0, 0);      /* 60: too old */
    person(5, 19900101, 1, 0);      /* deceased */
    person(6, 20050101, 0, 1);      /* in school */
    person(7, 19900101, 0, 0);      /* unresolved population row */
    /* person 0 becomes insured in 170 in one test */
}

TestSuite(unit_clearing, .init = setup);

static sib_flags *flag(sib_dedup *d)
{
    sib_flags *f = NULL;
    sib_error err = { 0 };
    cr_assert_eq(sib_clearing_flag(&src, d, &persons, &cfg, &f, &err), SIB_OK, "%s", err.msg);
    return f;
}

static int flagged(const sib_flags *f, int p)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].person == p && f->v[i].reason == SIB_REASON_UNINSURED)
            return 1;
    return 0;
}

Test(unit_clearing, uninsured_age_band_and_exclusions)
{
    sib_dedup d = { 0 };
    sib_flags *f = flag(&d);
    cr_assert(flagged(f, 0));
    cr_assert(flagged(f, 1), "16 is in the band");
    cr_assert_not(flagged(f, 2), "15 is not");
    cr_assert(flagged(f, 3), "59 is in the band");
    cr_assert_not(flagged(f, 4), "60 is not");
    cr_assert_not(flagged(f, 5), "deceased");
    cr_assert_not(flagged(f, 6), "in school");
    cr_assert_not(flagged(f, 7), "unresolved rows are for review, not targets");
    cr_assert_eq(f->unresolved_population, 1);
    cr_assert_eq(f->uninsured, 3);
    cr_assert_str_eq(f->v[0].town, "350581105");
    sib_flags_free(f);
}

Test(unit_clearing, insured_in_pension_is_not_a_target_but_210_is_not_enough)
{
    sib_ps ps[2];
    memset(ps, 0, sizeof ps);
    ps[0].person = 0;
    ps[0].scheme = SIB_S170;
    ps[0].insured = 1;
    ps[1].person = 1;
    ps[1].scheme = SIB_S210;
    ps[1].insured = 1;
    sib_dedup d = { .ps = ps, .nps = 2 };
    sib_flags *f = flag(&d);
    cr_assert_not(flagged(f, 0));
    cr_assert(flagged(f, 1), "unemployment insurance is not pension");
    sib_flags_free(f);
}

Test(unit_clearing, lapsed_targets_carry_their_scheme)
{
    sib_ps ps[1];
    memset(ps, 0, sizeof ps);
    ps[0].person = 3;
    ps[0].scheme = SIB_S110;
    ps[0].insured = ps[0].lapsed = 1;
    ps[0].months_unpaid = 7;
    ps[0].last_paid = 202505;
    strcpy(ps[0].town, "350581002");
    sib_dedup d = { .ps = ps, .nps = 1 };
    sib_flags *f = flag(&d);
    cr_assert_eq(f->lapsed, 1);
    cr_assert_eq(f->v[0].scheme, SIB_S110);
    cr_assert_eq(f->v[0].months_unpaid, 7);
    cr_assert_str_eq(f->v[0].town, "350581002");
    cr_assert_not(flagged(f, 3), "insured in 110: not uninsured");
    sib_flags_free(f);
}

static const char *bucket(int months)
{
    return sib_clearing_bucket_name(sib_clearing_bucket_index(months));
}

Test(unit_clearing, aging_buckets)
{
    cr_assert_str_eq(bucket(3), "3-5");
    cr_assert_str_eq(bucket(5), "3-5");
    cr_assert_str_eq(bucket(6), "6-11");
    cr_assert_str_eq(bucket(11), "6-11");
    cr_assert_str_eq(bucket(12), "12-23");
    cr_assert_str_eq(bucket(23), "12-23");
    cr_assert_str_eq(bucket(24), "24+");
    cr_assert_str_eq(bucket(2), "<3", "only under a lapse threshold below 3");
    cr_assert_str_eq(bucket(0), "<3");
    cr_assert_str_eq(sib_clearing_bucket_name(SIB_AGING_BUCKETS), "");
    cr_assert_str_eq(sib_clearing_bucket_name(-1), "");
}
