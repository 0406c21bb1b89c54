/*
 * test_gen.c — the generator's building blocks: PRNG determinism, GB 11643
 * IDs and GB 32100 credit codes (checked against this file's own check-digit
 * code and the standards' worked examples), the ID and name damage, and the
 * answer-key rules of gen/truth.h on small hand-made cases.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "gen/fault.h"
#include "gen/ids.h"
#include "gen/names.h"
#include "gen/rng.h"
#include "gen/truth.h"

/* Independent GB 11643 check: weights 2^(18-i) mod 11, computed here. */
static int id_ok(const char *s)
{
    if (strlen(s) != 18)
        return 0;
    int sum = 0, w = 1;
    for (int i = 16; i >= 0; i--) {
        w = w * 2 % 11;
        if (s[i] < '0' || s[i] > '9')
            return 0;
        sum += (s[i] - '0') * w;
    }
    return "10X98765432"[sum % 11] == s[17];
}

/* Independent GB 32100 check: weights 3^(i-1) mod 31. */
static int credit_ok(const char *s)
{
    static const char a[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    if (strlen(s) != 18)
        return 0;
    int sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        const char *p = strchr(a, s[i]);
        if (!p || !s[i])
            return 0;
        sum += (int)(p - a) * w;
        w = w * 3 % 31;
    }
    int c = (31 - sum % 31) % 31;
    return a[c] == s[17];
}

Test(unit_gen, rng_same_stream_same_numbers)
{
    sib_rng a, b, c;
    sib_rng_init(&a, 7, 1, 42);
    sib_rng_init(&b, 7, 1, 42);
    sib_rng_init(&c, 7, 1, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = sib_rng_next(&a), y = sib_rng_next(&b), z = sib_rng_next(&c);
        cr_assert_eq(x, y, "draw %d differs for the same stream", i);
        differ += x != z;
    }
    cr_assert_gt(differ, 990, "neighbouring streams should be unrelated (%d of 1000 differ)", differ);
}

Test(unit_gen, rng_known_values_and_ranges)
{
    /* splitmix64 from 0: published first output. */
    uint64_t x = 0;
    cr_assert_eq(sib_rng_splitmix(&x), 0xe220a8397b1dcdafULL);
    sib_rng r;
    sib_rng_init(&r, 1, 2, 3);
    int hist[6] = { 0 };
    for (int i = 0; i < 60000; i++) {
        long v = sib_rng_range(&r, 10, 15);
        cr_assert(v >= 10 && v <= 15, "range gave %ld", v);
        hist[v - 10]++;
        double u = sib_rng_unit(&r);
        cr_assert(u >= 0 && u < 1);
    }
    for (int i = 0; i < 6; i++)
        cr_assert(hist[i] > 9400 && hist[i] < 10600, "value %d drawn %d times of 60000", i + 10, hist[i]);
}

Test(unit_gen, id_vectors_and_generated_ids_valid)
{
    cr_assert_eq(sib_gen_id_check("11010519491231002"), 'X');
    cr_assert_eq(sib_gen_id_check("44052418800101001"), '4');
    cr_assert_eq(sib_gen_id_check("34052419800101001"), 'X');
    sib_rng r;
    sib_rng_init(&r, 9, 9, 9);
    for (int i = 0; i < 5000; i++) {
        char id[19];
        int seq = (int)sib_rng_below(&r, 1000);
        sib_gen_id_make(i % 2 ? "350581" : "510722", 19500101 + (int)sib_rng_below(&r, 50) * 10000, seq, id);
        cr_assert(id_ok(id), "generated ID %s fails the independent check", id);
        cr_assert(sib_gen_id_valid(id));
        cr_assert_eq((id[16] - '0') % 2, seq % 2, "sequence parity lost in %s", id);
    }
    char bad[19] = "11010519491231002X";
    bad[17] = '1';
    cr_assert_not(sib_gen_id_valid(bad));
}

Test(unit_gen, legacy15_round_trip)
{
    char out[16];
    cr_assert_eq(sib_gen_id_legacy15("34052419800101001X", out), 0);
    cr_assert_str_eq(out, "340524800101001");
    cr_assert_neq(sib_gen_id_legacy15("35058120010101001X", out), 0, "2001 births have no legacy number");
}

Test(unit_gen, credit_codes_valid)
{
    cr_assert(sib_gen_credit_valid("91350100M000100Y43"), "the standard's worked example");
    cr_assert_not(sib_gen_credit_valid("91350100M000100Y4Z"));
    cr_assert_eq(sib_gen_credit_value('I'), -1);
    sib_rng r;
    sib_rng_init(&r, 5, 5, 5);
    for (int i = 0; i < 5000; i++) {
        char c[19];
        sib_gen_credit_make(&r, "91350581", c);
        cr_assert(credit_ok(c), "generated credit code %s fails the independent check", c);
        cr_assert_eq(strncmp(c, "91350581", 8), 0);
    }
}

/* Applies an ID fault kind to key; asserts it applies. */
static void mutate(int kind, const char *key, char *out, int *is_null)
{
    sib_rng r;
    sib_rng_init(&r, 3, (uint64_t)kind, 1);
    char d[64];
    cr_assert_eq(sib_gen_id_mutate(kind, key, &r, out, 64, is_null, d, sizeof d), 0, "%s refused", sib_gen_fault_name(kind));
}

Test(unit_gen, id_faults_break_or_disguise)
{
    const char *key = "35058119870315106X";
    cr_assert(id_ok(key));
    char out[64];
    int nul;
    mutate(SIB_F_ID_LOWERCASE_X, key, out, &nul);
    cr_assert(strcmp(out, "35058119870315106x") == 0 || strcmp(out, "35058119870315106\xc3\x97") == 0, "got %s", out);
    mutate(SIB_F_ID_FULLWIDTH, key, out, &nul);
    cr_assert_str_eq(out, "３５０５８１１９８７０３１５１０６Ｘ");
    mutate(SIB_F_ID_LEGACY15, key, out, &nul);
    cr_assert_str_eq(out, "350581870315106");
    mutate(SIB_F_ID_MISSING, key, out, &nul);
    cr_assert_eq(nul, 1);
    mutate(SIB_F_ID_INNER_SPACE, key, out, &nul);
    cr_assert_gt(strlen(out), 18);
    /* Removing the white space gives the key back. */
    char back[64];
    size_t n = 0;
    for (size_t i = 0; out[i];) {
        if (out[i] == ' ') { i++; continue; }
        if ((unsigned char)out[i] == 0xC2 && (unsigned char)out[i + 1] == 0xA0) { i += 2; continue; }
        if ((unsigned char)out[i] == 0xE3 && (unsigned char)out[i + 1] == 0x80 && (unsigned char)out[i + 2] == 0x80) { i += 3; continue; }
        back[n++] = out[i++];
    }
    back[n] = 0;
    cr_assert_str_eq(back, key);
    /* Typos and transpositions always break the check, over many draws. */
    for (uint64_t i = 0; i < 2000; i++) {
        sib_rng r;
        sib_rng_init(&r, 11, 11, i);
        char d[64];
        cr_assert_eq(sib_gen_id_mutate(SIB_F_ID_TYPO, key, &r, out, 64, &nul, d, sizeof d), 0);
        cr_assert_eq(strlen(out), 18);
        cr_assert_not(id_ok(out), "typo %s still valid", out);
        cr_assert_eq(sib_gen_id_mutate(SIB_F_ID_TRANSPOSITION, key, &r, out, 64, &nul, d, sizeof d), 0);
        cr_assert_not(id_ok(out), "transposition %s still valid", out);
        cr_assert_neq(strcmp(out, key), 0);
    }
    sib_rng r;
    sib_rng_init(&r, 1, 1, 1);
    char d[64];
    cr_assert_neq(sib_gen_id_mutate(SIB_F_ID_LOWERCASE_X, "350581198703151234", &r, out, 64, &nul, d, sizeof d), 0,
                  "lowercase_x does not apply to a key without X");
}

Test(unit_gen, name_faults)
{
    sib_rng r;
    sib_rng_init(&r, 1, 2, 3);
    static char out[6400];
    char d[64];
    cr_assert_eq(sib_gen_name_mutate(SIB_F_NAME_SPACE, "蔡明辉", &r, out, sizeof out, d, sizeof d), 0);
    cr_assert(strcmp(out, "蔡 明辉") == 0 || strcmp(out, "蔡明 辉") == 0 ||
              strcmp(out, "蔡\u3000明辉") == 0 || strcmp(out, "蔡明\u3000辉") == 0, "got %s", out);
    cr_assert_eq(sib_gen_name_mutate(SIB_F_NAME_TYPO, "蔡明辉", &r, out, sizeof out, d, sizeof d), 0);
    cr_assert_eq(strlen(out), strlen("蔡明辉"));
    cr_assert_eq(strncmp(out, "蔡", 3), 0, "the surname stays");
    cr_assert_neq(strcmp(out, "蔡明辉"), 0);
    cr_assert_neq(sib_gen_name_mutate(SIB_F_NAME_FULLWIDTH, "蔡明辉", &r, out, sizeof out, d, sizeof d), 0);
    cr_assert_eq(sib_gen_name_mutate(SIB_F_NAME_FULLWIDTH, "LE THI MAI", &r, out, sizeof out, d, sizeof d), 0);
    cr_assert_str_eq(out, "ＬＥ ＴＨＩ ＭＡＩ");
    int seen_long = 0;
    for (uint64_t i = 0; i < 200; i++) {
        sib_rng_init(&r, 4, 4, i);
        cr_assert_eq(sib_gen_name_mutate(SIB_F_HOSTILE_NAME, "林芳", &r, out, sizeof out, d, sizeof d), 0);
        cr_assert(strpbrk(out, ",\"\n=+-@") || strlen(out) == 6000, "not hostile: %.40s", out);
        seen_long |= strlen(out) == 6000;   /* 2,000 three-byte characters */
    }
    cr_assert(seen_long, "the 2,000-character variant never drawn in 200 tries");
}

Test(unit_gen, fault_names_round_trip)
{
    for (int k = 0; k < SIB_F_COUNT; k++) {
        const char *n = sib_gen_fault_name(k);
        cr_assert_not_null(n, "kind %d has no name", k);
        cr_assert_eq(sib_gen_fault_from_name(n), k, "%s", n);
        cr_assert(sib_gen_fault_default(k) > 0 && sib_gen_fault_default(k) <= 1, "%s", n);
    }
    cr_assert_eq(sib_gen_fault_from_name("no_such_fault"), -1);
}

static const int thr[SIB_NSCHEMES] = { 3, 3, 12, 3, 3 };

/* Monthly rows period from..to (YYYYMM, same year or crossing) of amount pr. */
static int rows(sib_gen_crow *c, int from, int to, int64_t pr)
{
    int n = 0;
    for (int m = from; m <= to; m = m % 100 == 12 ? m + 89 : m + 1) {
        c[n] = (sib_gen_crow){ .period = m, .paid_on = m * 100 + 15, .base = 400000, .er = 0, .pr = pr };
        n++;
    }
    return n;
}

Test(unit_gen, truth_lapse_and_months_unpaid)
{
    sib_gen_crow c[64];
    int n = rows(c, 202001, 202008, 32000);
    sib_gen_enr e[1] = { { .id = 1, .scheme = SIB_S110, .start = 201801, .status = 1,
                           .category = SIB_CAT_EMPLOYEE, .rows = c, .nrows = n } };
    sib_gen_truth t;
    cr_assert_eq(sib_gen_truth_person(e, 1, 202012, 0, thr, &t), 0);
    cr_assert(t.insured[SIB_S110]);
    cr_assert_eq(t.months_unpaid[SIB_S110], 4);
    cr_assert(t.lapsed[SIB_S110]);
    /* Never paid since a start in 202011: A - S + 1 = 2, not lapsed. */
    e[0].nrows = 0;
    e[0].start = 202011;
    sib_gen_truth_person(e, 1, 202012, 0, thr, &t);
    cr_assert_eq(t.months_unpaid[SIB_S110], 2);
    cr_assert_not(t.lapsed[SIB_S110]);
    /* Project workers are never lapsed; the deceased are insured nowhere. */
    e[0].start = 201801;
    e[0].category = SIB_CAT_PROJECT;
    e[0].scheme = SIB_S410;
    sib_gen_truth_person(e, 1, 202012, 0, thr, &t);
    cr_assert(t.insured[SIB_S410]);
    cr_assert_not(t.lapsed[SIB_S410]);
    sib_gen_truth_person(e, 1, 202012, 1, thr, &t);
    cr_assert_not(t.insured[SIB_S410]);
}

Test(unit_gen, truth_rejects_repeat_and_negative)
{
    sib_gen_crow c[8] = {
        { .period = 202012, .paid_on = 20201210, .base = 1, .pr = 100 },
        { .period = 202012, .paid_on = 20201220, .base = 1, .pr = 50 },    /* later paid_on wins */
        { .period = 202011, .paid_on = 20201110, .base = 1, .pr = -5 },    /* negative: reject */
        { .period = 202101, .paid_on = 20201210, .base = 1, .pr = 100 },   /* future: reject */
    };
    sib_gen_crow r170[2] = { { .period = 202012, .paid_on = 20200301, .base = 1, .er = 10, .pr = 90 },
                             { .period = 202011, .paid_on = 20200301, .base = 1, .er = 10, .pr = 90 } };
    sib_gen_enr e[3] = {
        { .id = 5, .scheme = SIB_S110, .start = 202001, .status = 1, .rows = c, .nrows = 4 },
        { .id = 6, .scheme = SIB_S170, .start = 201501, .status = 1, .rows = r170, .nrows = 2 },
        { .id = 7, .scheme = -1, .start = 201501, .status = 1, .rows = c, .nrows = 4 },
    };
    sib_gen_truth t;
    sib_gen_truth_person(e, 3, 202012, 0, thr, &t);
    cr_assert_eq(t.last_paid[SIB_S110], 202012);
    cr_assert_eq(t.refund_months, 1, "only 202012 is paid in both (202011's 110 row is negative)");
    cr_assert_eq(t.refund_cents, 100);
    cr_assert_eq(t.ei_months, 0);
    cr_assert_eq(t.npairs, 0);
}

Test(unit_gen, truth_clusters_record_and_pension)
{
    sib_gen_crow c[40];
    int n = rows(c, 201901, 201912, 100);
    sib_gen_enr e[4] = {
        { .id = 10, .scheme = SIB_S110, .start = 201501, .end = 201906, .status = 3, .rows = c, .nrows = n },
        { .id = 11, .scheme = SIB_S110, .start = 201905, .status = 2 },            /* overlaps 10 */
        { .id = 12, .scheme = SIB_S110, .start = 201001, .end = 201012, .status = 3 }, /* alone */
        { .id = 13, .scheme = SIB_S170, .start = 201101, .end = 201512, .status = 3, .benefit = 201601 },
    };
    sib_gen_truth t;
    sib_gen_truth_person(e, 4, 202012, 0, thr, &t);
    cr_assert_eq(t.npairs, 1);
    cr_assert_eq(t.pair_a[0], 10);
    cr_assert_eq(t.pair_b[0], 11);
    cr_assert_eq(t.record[SIB_S110], 1, "the open status-2 row survives its cluster");
    cr_assert_eq(t.months_unpaid[SIB_S110], 12);   /* A - max(P=201912, S-1=201904) */
    cr_assert(t.lapsed[SIB_S110]);
    cr_assert(t.insured[SIB_S170] && t.beneficiary[SIB_S170], "a pension under status 3 still counts");
    cr_assert_not(t.lapsed[SIB_S170]);
}
