/*
 * pinyin.c — a name's pinyin from its characters' readings (see pinyin.h).
 */
#include "resolve/pinyin.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "common/arena.h"

#define CJK_LO 0x4E00
#define CJK_HI 0x9FFF
#define NCJK (CJK_HI - CJK_LO + 1)

/* Where a character stands: first of a run of Han characters, or after one. */
enum { AT_START, WITHIN };

/* A reading that cannot be composed (not plain ASCII, or not after the
 * anchor's): names with that character go through ICU whole. */
static const char unusable[] = "";

/* The character placed before another to read it within a run. */
static const char anchor[] = "\xe4\xb8\x80";   /* 一 */

struct sib_pinyin {
    _Atomic(const char *) reading[2][NCJK];     /* NULL until computed */
    uint8_t together[NCJK / 8];                 /* in a rule that reads several characters */
    int usable;                                 /* 0: every name whole */
    char anchor_reading[16];
    pthread_mutex_t lock;                       /* guards arena and the readings' first store */
    sib_arena *arena;
    _Atomic size_t composed, whole, readings;
};

static int is_together(const sib_pinyin *py, UChar32 c)
{
    return py->together[(c - CJK_LO) >> 3] >> ((c - CJK_LO) & 7) & 1;
}

/* Marks the Han characters of the rules of transliterator id that read two
 * or more characters together: a rule whose left side (what it matches,
 * with its context) holds two Han literals. Returns 0 when a rule is past
 * this reading — Han literals beside a set, which could hold Han too — or
 * the rules cannot be had; then no name is composed. */
static int mark_together(sib_pinyin *py, const char *id)
{
    UChar uid[64];
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    u_uastrcpy(uid, id);
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
    if (U_FAILURE(st))
        return 0;
    int32_t n = utrans_toRules(t, 0, NULL, 0, &st);
    UChar *rules = st == U_BUFFER_OVERFLOW_ERROR ? malloc(((size_t)n + 1) * sizeof *rules) : NULL;
    int ok = rules != NULL;
    if (ok) {
        st = U_ZERO_ERROR;
        utrans_toRules(t, 0, rules, n + 1, &st);
        ok = U_SUCCESS(st);
    }
    utrans_close(t);
    for (int32_t i = 0; ok && i < n;) {
        /* one rule a line; its left side ends at the first '>' outside
         * quotes and sets */
        UChar32 lit[8];
        int nlit = 0, nset = 0, depth = 0, quoted = 0, left = 1, braces = 0, inside = 0;
        uint8_t lit_inside[8];
        /* "::Name;" lines name a transliterator or filter: not a rule */
        int id_line = i + 1 < n && rules[i] == ':' && rules[i + 1] == ':';
        while (i < n && rules[i] != '\n') {
            UChar32 c;
            U16_NEXT(rules, i, n, c);
            if (!left || id_line)
                continue;
            if (depth > 0 && c == '\\' && i < n) {
                U16_NEXT(rules, i, n, c);   /* an escaped character in a set */
            } else if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && depth == 0 && (c == '\\' || c == '$')) {
                ok = 0;             /* an escape or a variable: not read here */
            } else if (!quoted && c == '[') {
                nset += depth++ == 0;
            } else if (!quoted && c == ']' && depth > 0) {
                depth--;
            } else if (!quoted && depth == 0 && (c == '>' || c == 0x2192)) {
                left = 0;
            } else if (!quoted && depth == 0 && (c == '{' || c == '}')) {
                braces = 1;
                inside = c == '{';
            } else if (depth == 0) {
                UErrorCode sst = U_ZERO_ERROR;
                if (uscript_getScript(c, &sst) == USCRIPT_HAN) {
                    if (nlit < 8) {
                        lit[nlit] = c;
                        lit_inside[nlit] = (uint8_t)inside;
                    }
                    nlit++;
                }
            }
        }
        i++;
        if (nlit >= 1 && nset >= 1)
            ok = 0;
        if (nlit > 8)
            ok = 0;
        /* what a rule replaces lies within its braces, the rest is context
         * read with it; without braces it replaces all it matches */
        for (int k = 0; ok && nlit >= 2 && k < nlit; k++)
            if (lit[k] >= CJK_LO && lit[k] <= CJK_HI && (lit_inside[k] || !braces))
                py->together[(lit[k] - CJK_LO) >> 3] |= (uint8_t)(1 << ((lit[k] - CJK_LO) & 7));
    }
    free(rules);
    return ok;
}

sib_pinyin *sib_pinyin_new(sib_name_ctx *ctx, sib_error *err)
{
    sib_pinyin *py = calloc(1, sizeof *py);
    if (py == NULL || (py->arena = sib_arena_new(1 << 16)) == NULL) {
        free(py);
        sib_error_set(err, "pinyin: out of memory");
        return NULL;
    }
    pthread_mutex_init(&py->lock, NULL);
    py->usable = mark_together(py, "Han-Latin/Names") && mark_together(py, "Han-Latin") &&
                 !is_together(py, 0x4E00) &&
                 sib_name_pinyin(ctx, anchor, py->anchor_reading, sizeof py->anchor_reading) == SIB_OK &&
                 py->anchor_reading[0] != '\0';
    return py;
}

void sib_pinyin_free(sib_pinyin *py)
{
    if (py == NULL)
        return;
    pthread_mutex_destroy(&py->lock);
    sib_arena_free(py->arena);
    free(py);
}

/* The reading of CJK character c (its UTF-8 in u8) where it stands:
 * through ICU on first need, alone or after the anchor. NULL when out of
 * memory. */
static const char *reading(sib_pinyin *py, sib_name_ctx *ctx, int where, UChar32 c, const char *u8, size_t n8)
{
    _Atomic(const char *) *slot = &py->reading[where][c - CJK_LO];
    const char *r = atomic_load_explicit(slot, memory_order_acquire);
    if (r != NULL)
        return r;
    char in[16], out[64];
    size_t la = where == WITHIN ? strlen(anchor) : 0;
    memcpy(in, anchor, la);
    memcpy(in + la, u8, n8);
    in[la + n8] = '\0';
    const char *got = unusable;
    size_t skip = where == WITHIN ? strlen(py->anchor_reading) : 0;
    if (sib_name_pinyin(ctx, in, out, sizeof out) == SIB_OK &&
        strncmp(out, py->anchor_reading, skip) == 0 && out[skip] != '\0') {
        got = out + skip;
        for (const char *p = got; *p; p++)
            if ((unsigned char)*p >= 0x80)
                got = unusable;
    }
    pthread_mutex_lock(&py->lock);
    r = atomic_load_explicit(slot, memory_order_relaxed);
    if (r == NULL) {
        r = got == unusable ? unusable : sib_arena_strndup(py->arena, got, strlen(got));
        if (r != NULL) {
            atomic_store_explicit(slot, r, memory_order_release);
            py->readings++;
        }
    }
    pthread_mutex_unlock(&py->lock);
    return r;
}

int sib_pinyin_of(sib_pinyin *py, sib_name_ctx *ctx, const char *simp, char *out, size_t cap)
{
    int32_t len = (int32_t)strlen(simp), ncp = 0;
    int compose = py->usable && cap > 0;
    for (int32_t i = 0; compose && i < len;) {
        UChar32 c;
        U8_NEXT(simp, i, len, c);
        compose = c >= CJK_LO && c <= CJK_HI && !is_together(py, c) && ++ncp <= SIB_PINYIN_MAX_CP;
    }
    size_t o = 0;
    for (int32_t i = 0; compose && i < len;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(simp, i, len, c);
        const char *r = reading(py, ctx, at == 0 ? AT_START : WITHIN, c, simp + at, (size_t)(i - at));
        if (r == NULL || r == unusable) {
            compose = 0;
            break;
        }
        for (; *r && o + 1 < cap; r++)      /* sib_name_pinyin cuts at cap - 1 bytes too */
            out[o++] = *r;
    }
    if (!compose) {
        py->whole++;
        return sib_name_pinyin(ctx, simp, out, cap);
    }
    out[o] = '\0';
    py->composed++;
    return SIB_OK;
}

void sib_pinyin_stats(const sib_pinyin *py, size_t *composed, size_t *whole, size_t *readings)
{
    *composed = py->composed;
    *whole = py->whole;
    *readings = py->readings;
}
