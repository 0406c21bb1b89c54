/*
 * Unit tests of resolve/idnum: GB 11643 normalization and validation.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "resolve/idnum.h"

#define ASOF 202512

Test(unit_idnum, standard_vectors_valid)
{
    const char *v[] = {"11010519491231002X", "440524188001010014", "34052419800101001X"};
    for (size_t i = 0; i < 3; i++) {
        char key[19];
        int canon = 0;
        cr_assert_eq(sib_idnum_normalize(v[i], ASOF, 0, key, &canon), SIB_ID_VALID, "%s", v[i]);
        cr_assert_str_eq(key, v[i]);
        cr_assert_eq(canon, 1, "%s should be canonical", v[i]);
    }
}

Test(unit_idnum, check_char_by_hand)
{
    /* 11010519491231002: 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10
     * +1*5+0*8+0*4+2*2 = 167; 167 mod 11 = 2 -> 'X'. */
    cr_assert_eq(sib_idnum_check_char("11010519491231002"), 'X');
    cr_assert_eq(sib_idnum_check_char("44052418800101001"), '4');
    cr_assert_eq(sib_idnum_check_char("4405241880010100A"), 0);
}

Test(unit_idnum, legacy_conversion)
{
    char key[19];
    int canon = 1;
    cr_assert_eq(sib_idnum_normalize("340524800101001", ASOF, 19800101, key, &canon), SIB_ID_VALID);
    cr_assert_str_eq(key, "34052419800101001X");
    cr_assert_eq(canon, 0);
    /* unknown record birth date: converted */
    cr_assert_eq(sib_idnum_normalize("340524800101001", ASOF, 0, key, NULL), SIB_ID_VALID);
    /* the record says the person was born in 1880: flagged, not converted */
    cr_assert_eq(sib_idnum_normalize("340524800101001", ASOF, 18800101, key, NULL), SIB_ID_LEGACY_PRE1900);
    cr_assert_str_eq(key, "");
    /* 19800230 does not exist */
    cr_assert_eq(sib_idnum_normalize("340524800230001", ASOF, 0, key, NULL), SIB_ID_DATE);
}

typedef struct id_case {
    char raw[64];
    int status;
    char key[19];
} id_case;

ParameterizedTestParameters(unit_idnum, table)
{
    static id_case cases[] = {
        /* dirty forms of domain.md */
        {"11010519491231002x", SIB_ID_VALID, "11010519491231002X"},
        {"\xef\xbc\x91\xef\xbc\x91" "010519491231002X", SIB_ID_VALID, "11010519491231002X"}, /* full-width 11 */
        {"11010519491231002\xef\xbc\xb8", SIB_ID_VALID, "11010519491231002X"},  /* U+FF38 */
        {"11010519491231002\xc3\x97", SIB_ID_VALID, "11010519491231002X"},      /* × */
        {" 110105 19491231002X ", SIB_ID_VALID, "11010519491231002X"},
        {"110105\xe3\x80\x80" "19491231002X", SIB_ID_VALID, "11010519491231002X"}, /* U+3000 */
        {"\xc2\xa0" "11010519491231002X\xc2\xa0", SIB_ID_VALID, "11010519491231002X"}, /* NBSP */
        {"110105\xe2\x80\x83" "19491231002X", SIB_ID_VALID, "11010519491231002X"}, /* EM SPACE */
        {"'11010519491231002X", SIB_ID_VALID, "11010519491231002X"},
        {"\t'440524188001010014\n", SIB_ID_VALID, "440524188001010014"},
        {"3.50581E+17", SIB_ID_LENGTH, ""},
        {"''11010519491231002X", SIB_ID_LENGTH, ""},       /* only one ' removed */
        /* reasons */
        {"", SIB_ID_MISSING, ""},
        {" \xe3\x80\x80 ", SIB_ID_MISSING, ""},
        {"'", SIB_ID_MISSING, ""},                         /* nothing left once normalized */
        {" ' ", SIB_ID_MISSING, ""},
        {"1101051949123100", SIB_ID_LENGTH, ""},
        {"110105194912310021X", SIB_ID_LENGTH, ""},
        {"11010519491231002Y", SIB_ID_CHARACTER, ""},
        {"1101051949123100X2", SIB_ID_CHARACTER, ""},
        {"11010519491231\xe4\xb8\x80" "02X", SIB_ID_CHARACTER, ""},  /* a Han character */
        {"11010519490229002X", SIB_ID_DATE, ""},           /* 1949 not leap */
        {"11010520000229002X", SIB_ID_CHECK, ""},          /* leap day exists, check wrong */
        {"11010519491331002X", SIB_ID_DATE, ""},
        {"11010520260101002X", SIB_ID_DATE, ""},           /* after the as-of month */
        {"110105194912310021", SIB_ID_CHECK, ""},
        {"11010519491231020X", SIB_ID_CHECK, ""},           /* adjacent transposition */
        /* several faults: length beats character beats date beats check */
        {"1101051949133100Y", SIB_ID_LENGTH, ""},
        {"11010519491331002Y", SIB_ID_CHARACTER, ""},
        {"11010519491331002X", SIB_ID_DATE, ""},
        {"34052480010100A", SIB_ID_CHARACTER, ""},
    };
    return cr_make_param_array(id_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(id_case *c, unit_idnum, table)
{
    char key[19];
    sib_id_status st = sib_idnum_normalize(c->raw, ASOF, 0, key, NULL);
    cr_assert_eq((int)st, c->status, "raw \"%s\": got %s, want %s", c->raw,
                 sib_idnum_reason(st) ? sib_idnum_reason(st) : "valid",
                 sib_idnum_reason(c->status) ? sib_idnum_reason(c->status) : "valid");
    cr_assert_str_eq(key, c->key, "raw \"%s\"", c->raw);
}

Test(unit_idnum, leap_day_and_as_of_boundary)
{
    char first17[18] = "11010520000229002", id[19];
    memcpy(id, first17, 17);
    id[17] = sib_idnum_check_char(first17);
    id[18] = '\0';
    char key[19];
    cr_assert_eq(sib_idnum_normalize(id, ASOF, 0, key, NULL), SIB_ID_VALID);
    /* born on the last day of the as-of month: valid; the day after: date */
    char a[19] = "11010520251231001", b[19] = "11010520260101001";
    a[17] = sib_idnum_check_char(a); a[18] = 0;
    b[17] = sib_idnum_check_char(b); b[18] = 0;
    cr_assert_eq(sib_idnum_normalize(a, 202512, 0, key, NULL), SIB_ID_VALID);
    cr_assert_eq(sib_idnum_normalize(b, 202512, 0, key, NULL), SIB_ID_DATE);
    cr_assert_eq(sib_idnum_normalize(b, 202601, 0, key, NULL), SIB_ID_VALID);
}

Test(unit_idnum, null_is_missing)
{
    char key[19];
    int canon = 1;
    cr_assert_eq(sib_idnum_normalize(NULL, ASOF, 0, key, &canon), SIB_ID_MISSING);
    cr_assert_eq(canon, 0);
    cr_assert_str_eq(sib_idnum_reason(SIB_ID_MISSING), "missing");
    cr_assert_null(sib_idnum_reason(SIB_ID_VALID));
}

Test(unit_idnum, canonical_flag)
{
    char key[19];
    int canon = 1;
    cr_assert_eq(sib_idnum_normalize("11010519491231002x", ASOF, 0, key, &canon), SIB_ID_VALID);
    cr_assert_eq(canon, 0);
    cr_assert_eq(sib_idnum_normalize("11010519491231002X", ASOF, 0, key, &canon), SIB_ID_VALID);
    cr_assert_eq(canon, 1);
}

Test(unit_idnum, birth_and_gender)
{
    cr_assert_eq(sib_idnum_birth("11010519491231002X"), 19491231);
    cr_assert_eq(sib_idnum_gender("11010519491231002X"), 2);
    cr_assert_eq(sib_idnum_gender("440524188001010014"), 1);
}

Test(unit_idnum, long_input_is_length)
{
    char big[600];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char key[19];
    cr_assert_eq(sib_idnum_normalize(big, ASOF, 0, key, NULL), SIB_ID_LENGTH);
    /* the same through the ICU path (a leading full-width digit) */
    memcpy(big, "\xef\xbc\x91", 3);
    cr_assert_eq(sib_idnum_normalize(big, ASOF, 0, key, NULL), SIB_ID_LENGTH);
}

/* Against trying every digit: for each position of a set of IDs (valid,
 * a wrong check character, an X check), the one digit found is the only
 * one of '0'..'9' that makes the check pass there. */
Test(unit_idnum, check_digit_at_is_the_only_passing_digit)
{
    const char *ids[] = {"11010519491231002X", "110105194912310021", "350581199001011234",
                         "35058119900101123X", "000000000000000000", "999999999999999999"};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        for (int pos = 0; pos < 17; pos++) {
            char found = 0, v[19];
            int passing = 0;
            memcpy(v, ids[k], 19);
            for (char d = '0'; d <= '9'; d++) {
                v[pos] = d;
                if (sib_idnum_check_char(v) == ids[k][17]) {
                    found = d;
                    passing++;
                }
            }
            cr_assert_leq(passing, 1);
            cr_assert_eq(sib_idnum_check_digit_at(ids[k], pos), found, "%s at %d", ids[k], pos);
        }
    /* another non-digit among the first 17, no check character, a bad position */
    cr_assert_eq(sib_idnum_check_digit_at("1101051949123X002X", 3), 0);
    cr_assert_eq(sib_idnum_check_digit_at("11010519491231002Y", 3), 0);
    cr_assert_eq(sib_idnum_check_digit_at("11010519491231002X", 17), 0);
    /* the non-digit at the position itself is replaced */
    cr_assert_eq(sib_idnum_check_digit_at("1101051949123X002X", 13), '1');
}
