/* ids.c — ID numbers and credit codes for the generator, and their damage. */
#include "gen/ids.h"
#include "gen/fault.h"
#include "common/error.h"

#include <stdio.h>
#include <string.h>

static const int id_w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_c[12] = "10X98765432";

char sib_gen_id_check(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (first17[i] - '0') * id_w[i];
    return id_c[s % 11];
}

int sib_gen_id_valid(const char *s)
{
    if (!s || strlen(s) != 18)
        return 0;
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return sib_gen_id_check(s) == s[17];
}

void sib_gen_id_make(const char *prefix6, int yyyymmdd, int seq, char out[19])
{
    snprintf(out, 19, "%.6s%08d%03d", prefix6, yyyymmdd, seq % 1000);
    out[17] = sib_gen_id_check(out);
    out[18] = 0;
}

int sib_gen_id_legacy15(const char *key, char out[16])
{
    if (key[6] != '1' || key[7] != '9')
        return SIB_ERR;
    memcpy(out, key, 6);
    memcpy(out + 6, key + 8, 9);
    out[15] = 0;
    return SIB_OK;
}

static const char credit_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int credit_w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

int sib_gen_credit_value(char c)
{
    const char *p = c ? strchr(credit_alpha, c) : NULL;
    return p ? (int)(p - credit_alpha) : -1;
}

char sib_gen_credit_check(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++) {
        int v = sib_gen_credit_value(first17[i]);
        if (v < 0)
            return 0;
        s += v * credit_w[i];
    }
    int c = 31 - s % 31;
    return credit_alpha[c == 31 ? 0 : c];
}

int sib_gen_credit_valid(const char *s)
{
    if (!s || strlen(s) != 18)
        return 0;
    char c = sib_gen_credit_check(s);
    return c && c == s[17];
}

void sib_gen_credit_make(sib_rng *r, const char *head8, char out[19])
{
    memcpy(out, head8, 8);
    for (int i = 8; i < 17; i++)
        out[i] = credit_alpha[sib_rng_below(r, 31)];
    out[17] = sib_gen_credit_check(out);
    out[18] = 0;
}

/* Appends the UTF-8 of code point cp to out at *n (room checked by caller). */
static void put_cp(char *out, size_t *n, unsigned cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

int sib_gen_id_mutate(int kind, const char *key, sib_rng *r, char *out, size_t cap,
                      int *is_null, char *detail, size_t dcap)
{
    size_t n = 0;
    *is_null = 0;
    if (cap < 64)
        return SIB_ERR;
    switch (kind) {
    case SIB_F_ID_LOWERCASE_X:
        if (key[17] != 'X')
            return SIB_ERR;
        memcpy(out, key, 17);
        n = 17;
        if (sib_rng_chance(r, 0.8)) {
            out[n++] = 'x';
            snprintf(detail, dcap, "x");
        } else {
            put_cp(out, &n, 0xD7);      /* the multiplication sign typed for X */
            snprintf(detail, dcap, "times_sign");
        }
        break;
    case SIB_F_ID_FULLWIDTH:
        for (int i = 0; i < 18; i++)
            put_cp(out, &n, key[i] == 'X' ? 0xFF38u : 0xFF10u + (unsigned)(key[i] - '0'));
        snprintf(detail, dcap, "fullwidth");
        break;
    case SIB_F_ID_INNER_SPACE: {
        static const unsigned sp[3] = { 0x20, 0x3000, 0xA0 };
        static const char *spn[3] = { "ascii", "u3000", "nbsp" };
        int which = (int)sib_rng_below(r, 3);
        int pos = (int)sib_rng_range(r, 0, 18);   /* 0 and 18: around */
        for (int i = 0; i <= 18; i++) {
            if (i == pos)
                put_cp(out, &n, sp[which]);
            if (i < 18)
                out[n++] = key[i];
        }
        snprintf(detail, dcap, "%s at %d", spn[which], pos);
        break;
    }
    case SIB_F_ID_LEGACY15:
        if (sib_gen_id_legacy15(key, out) != SIB_OK)
            return SIB_ERR;
        n = 15;
        snprintf(detail, dcap, "legacy15");
        break;
    case SIB_F_ID_TYPO: {
        memcpy(out, key, 18);
        n = 18;
        int pos = (int)sib_rng_below(r, 17);
        char d = (char)('0' + sib_rng_below(r, 9));
        if (d >= out[pos])
            d++;                 /* any digit but the original */
        out[pos] = d;
        snprintf(detail, dcap, "digit %d", pos + 1);
        break;
    }
    case SIB_F_ID_TRANSPOSITION: {
        memcpy(out, key, 18);
        n = 18;
        int cand[16], nc = 0;
        for (int i = 0; i < 16; i++)
            if (key[i] != key[i + 1])
                cand[nc++] = i;
        if (nc == 0)
            return SIB_ERR;
        int pos = cand[sib_rng_below(r, (uint64_t)nc)];
        out[pos] = key[pos + 1];
        out[pos + 1] = key[pos];
        snprintf(detail, dcap, "digits %d-%d", pos + 1, pos + 2);
        break;
    }
    case SIB_F_ID_MISSING:
        *is_null = 1;
        snprintf(detail, dcap, "null");
        break;
    case SIB_F_ID_SPREADSHEET:
        if (sib_rng_chance(r, 0.6)) {
            /* The number shown in scientific notation, its tail lost. */
            n = (size_t)snprintf(out, cap, "%c.%.5sE+17", key[0], key + 1);
            snprintf(detail, dcap, "scientific");
        } else {
            out[0] = '\'';
            memcpy(out + 1, key, 18);
            n = 19;
            snprintf(detail, dcap, "leading_quote");
        }
        break;
    default:
        return SIB_ERR;
    }
    out[n] = 0;
    return SIB_OK;
}
