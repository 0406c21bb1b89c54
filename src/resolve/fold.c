/*
 * fold.c — NFKC + white-space removal + upper-case (see fold.h).
 */
#include "resolve/fold.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* ASCII characters with the White_Space property. */
static int ascii_space(unsigned char c)
{
    return c == ' ' || (c >= 9 && c <= 13);
}

/* The fast path for pure ASCII input (NFKC is the identity there). */
static size_t fold_ascii(const char *raw, unsigned flags, char *out, size_t cap)
{
    size_t n = 0, o = 0;
    int first = 1;
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
        unsigned char c = *p;
        if (ascii_space(c))
            continue;
        if (first && (flags & SIB_FOLD_ID) && c == '\'') {
            first = 0;
            continue;
        }
        first = 0;
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (o + 1 < cap)
            out[o++] = (char)c;
        n++;
    }
    out[o] = '\0';
    return n;
}

size_t sib_fold_text(const char *raw, unsigned flags, char *out, size_t cap)
{
    UChar sbuf[128], snorm[160];
    UChar *u = sbuf, *nf = snorm;
    int32_t ulen = 0, nlen = 0;
    size_t n = 0, o = 0;
    int first = 1;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc;

    out[0] = '\0';
    if (raw == NULL)
        return 0;
    const unsigned char *q = (const unsigned char *)raw;
    while (*q && *q < 0x80)
        q++;
    if (*q == '\0')
        return fold_ascii(raw, flags, out, cap);

    int32_t rlen = (int32_t)strlen(raw);
    u_strFromUTF8WithSub(u, 128, &ulen, raw, rlen, 0xFFFD, NULL, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) {
        u = malloc(((size_t)ulen + 1) * sizeof(UChar));
        if (u == NULL)
            goto done;
        st = U_ZERO_ERROR;
        u_strFromUTF8WithSub(u, ulen + 1, &ulen, raw, rlen, 0xFFFD, NULL, &st);
    }
    if (U_FAILURE(st))
        goto done;
    nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st))
        goto done;
    nlen = unorm2_normalize(nfkc, u, ulen, nf, 160, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) {
        nf = malloc(((size_t)nlen + 1) * sizeof(UChar));
        if (nf == NULL)
            goto done;
        st = U_ZERO_ERROR;
        nlen = unorm2_normalize(nfkc, u, ulen, nf, nlen + 1, &st);
    }
    if (U_FAILURE(st))
        goto done;
    for (int32_t i = 0; i < nlen;) {
        UChar32 c;
        U16_NEXT(nf, i, nlen, c);
        if (u_isUWhiteSpace(c))
            continue;
        if (flags & SIB_FOLD_ID) {
            if (c == 0x00D7)
                c = 'X';
            if (first && c == '\'') {
                first = 0;
                continue;
            }
        }
        first = 0;
        c = u_toupper(c);
        n++;
        if (o + (size_t)U8_LENGTH(c) < cap) {
            int32_t off = (int32_t)o;
            UBool bad = 0;
            U8_APPEND((uint8_t *)out, off, (int32_t)cap, c, bad);
            if (!bad)
                o = (size_t)off;
        } else {
            cap = o + 1;        /* stop writing: keep the cut at a boundary */
        }
    }
    out[o] = '\0';
done:
    if (u != sbuf)
        free(u);
    if (nf != snorm)
        free(nf);
    return n;
}
