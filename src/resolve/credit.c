/*
 * credit.c — GB 32100-2015 unified social credit codes (see credit.h).
 */
#include "resolve/credit.h"

#include <string.h>

#include "common/month.h"

static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int credit_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* Value 0..30 of c, -1 outside the alphabet. */
static int credit_value(char c)
{
    const char *p = c ? strchr(credit_alphabet, c) : NULL;
    return p ? (int)(p - credit_alphabet) : -1;
}

char sib_credit_check_char(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++) {
        int v = credit_value(first17[i]);
        if (v < 0)
            return 0;
        s += v * credit_weights[i];
    }
    return credit_alphabet[(31 - s % 31) % 31];
}

int sib_credit_validate(const char *code, const char **reason)
{
    size_t n;
    const char *t = sib_trim_ws(code, &n);
    const char *why = NULL;

    if (t == NULL || n == 0) {
        why = "missing";
    } else if (n != 18) {               /* 18 code points of which some multi-byte: character */
        why = sib_utf8_count(t, n) == 18 ? "character" : "length";
    } else {
        for (size_t i = 0; i < 18 && !why; i++)
            if (credit_value(t[i]) < 0)
                why = "character";
        if (!why && sib_credit_check_char(t) != t[17])
            why = "check";
    }
    if (reason)
        *reason = why;
    return why == NULL;
}
