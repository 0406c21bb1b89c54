/*
 * idnum.c — GB 11643-1999 citizen ID numbers (see idnum.h for the rules and
 * the order of checks).
 */
#include "resolve/idnum.h"

#include <string.h>

#include "common/month.h"
#include "resolve/fold.h"

static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

const char *sib_idnum_reason(sib_id_status st)
{
    switch (st) {
    case SIB_ID_VALID: return NULL;
    case SIB_ID_MISSING: return "missing";
    case SIB_ID_LENGTH: return "length";
    case SIB_ID_CHARACTER: return "character";
    case SIB_ID_DATE: return "date";
    case SIB_ID_CHECK: return "check";
    case SIB_ID_LEGACY_PRE1900: return "legacy_pre1900";
    }
    return "unknown";
}

size_t sib_idnum_fold(const char *raw, char *out, size_t cap)
{
    return sib_fold_text(raw, SIB_FOLD_ID, out, cap);
}

char sib_idnum_check_char(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++) {
        if (first17[i] < '0' || first17[i] > '9')
            return 0;
        s += (first17[i] - '0') * id_weights[i];
    }
    return id_check[s % 11];
}

char sib_idnum_check_digit_at(const char *id, int pos)
{
    static const int inverse[11] = {0, 1, 6, 4, 3, 9, 2, 8, 7, 5, 10};     /* x * inverse[x] = 1 mod 11 */
    const char *c = memchr(id_check, id[17], sizeof id_check);
    int s = 0;
    if (pos < 0 || pos > 16 || id[17] == '\0' || c == NULL)
        return 0;
    for (int i = 0; i < 17; i++) {
        if (i == pos)
            continue;
        if (id[i] < '0' || id[i] > '9')
            return 0;
        s += (id[i] - '0') * id_weights[i];
    }
    /* d * weight = (index of the check character) - s, modulo 11 */
    int r = ((int)(c - id_check) - s % 11 + 11) % 11;
    int d = r * inverse[id_weights[pos] % 11] % 11;
    return d <= 9 ? (char)('0' + d) : 0;
}

/* Days in month m of year y (Gregorian). */
static int month_days(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int sib_idnum_date_exists(int ymd)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= month_days(y, m);
}

/* Parses n digits at s. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* The birth date exists and is not after the last day of as_of (YYYYMM;
 * 0 = no upper bound). */
static int date_ok(int ymd, int as_of)
{
    if (!sib_idnum_date_exists(ymd))
        return 0;
    if (as_of > 0) {
        int y = as_of / 100, m = as_of % 100;
        if (m >= 1 && m <= 12 && ymd > as_of * 100 + month_days(y, m))
            return 0;
    }
    return 1;
}

sib_id_status sib_idnum_normalize(const char *raw, int as_of, int record_birth,
                                  char key[19], int *canonical)
{
    char f[40];
    size_t n = sib_idnum_fold(raw, f, sizeof f);
    size_t blen = strlen(f);

    key[0] = '\0';
    if (canonical)
        *canonical = 0;
    if (n == 0)                         /* nothing left once normalized: NULL, blank, "'" */
        return SIB_ID_MISSING;
    if (n != 18 && n != 15)
        return SIB_ID_LENGTH;
    if (blen != n)                      /* a non-ASCII code point */
        return SIB_ID_CHARACTER;
    for (size_t i = 0; i < n; i++) {
        int dig = f[i] >= '0' && f[i] <= '9';
        if (!dig && !(n == 18 && i == 17 && f[i] == 'X'))
            return SIB_ID_CHARACTER;
    }
    if (n == 15) {
        if (record_birth > 0 && record_birth < 19000101)
            return SIB_ID_LEGACY_PRE1900;
        if (!date_ok(19000000 + digits(f + 6, 6), as_of))
            return SIB_ID_DATE;
        memcpy(key, f, 6);
        key[6] = '1';
        key[7] = '9';
        memcpy(key + 8, f + 6, 9);
        key[17] = sib_idnum_check_char(key);
        key[18] = '\0';
        return SIB_ID_VALID;
    }
    if (!date_ok(digits(f + 6, 8), as_of))
        return SIB_ID_DATE;
    if (sib_idnum_check_char(f) != f[17])
        return SIB_ID_CHECK;
    memcpy(key, f, 19);
    if (canonical)
        *canonical = strcmp(raw, key) == 0;
    return SIB_ID_VALID;
}

int sib_idnum_birth(const char *key)
{
    return digits(key + 6, 8);
}

int sib_idnum_gender(const char *key)
{
    return ((key[16] - '0') % 2) ? 1 : 2;
}
