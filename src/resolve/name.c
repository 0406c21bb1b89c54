/*
 * name.c — name forms (ICU) and code-point similarity (see name.h).
 */
#include "resolve/name.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/utf8.h>

#include "common/arena.h"
#include "common/month.h"
#include "resolve/fold.h"

#define NAME_MAXCP 64

/* The readings of the CJK unified ideographs, for the pinyin of a name
 * composed by character (sib_name_pinyin, name.h). */
#define CJK_LO 0x4E00
#define CJK_HI 0x9FFF
#define NCJK (CJK_HI - CJK_LO + 1)
/* Longer names go through ICU whole. */
#define COMPOSE_MAXCP 16

/* Where a character stands: first of a run of Han characters, or after one. */
enum { AT_START, WITHIN };

typedef struct readings {
    const char *reading[2][NCJK];   /* NULL until computed; "" when unusable */
    uint8_t together[NCJK / 8];     /* read differently by a rule that reads several */
    char anchor[16];                /* the anchor's own reading */
    sib_arena *arena;
} readings;

struct sib_name_ctx {
    UTransliterator *t2s;       /* Traditional-Simplified */
    UTransliterator *pinyin;    /* Han-Latin/Names; Latin-ASCII */
    readings *rd;               /* built on the first name that needs it */
    int rd_state;               /* 0 not built, 1 built, -1 every name whole */
    size_t composed, whole, nreadings;
};

/* Opens one transliterator by its ID. */
static UTransliterator *open_trans(const char *id, sib_error *err)
{
    UChar uid[64];
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    u_uastrcpy(uid, id);
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
    if (U_FAILURE(st)) {
        sib_error_set(err, "name: ICU transliterator %s: %s", id, u_errorName(st));
        return NULL;
    }
    return t;
}

sib_name_ctx *sib_name_ctx_new(sib_error *err)
{
    sib_name_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) {
        sib_error_set(err, "name: out of memory");
        return NULL;
    }
    ctx->t2s = open_trans("Traditional-Simplified", err);
    if (ctx->t2s == NULL)
        goto fail;
    ctx->pinyin = open_trans("Han-Latin/Names; Latin-ASCII", err);
    if (ctx->pinyin == NULL)
        goto fail;
    return ctx;
fail:
    sib_name_ctx_free(ctx);
    return NULL;
}

void sib_name_ctx_free(sib_name_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->t2s)
        utrans_close(ctx->t2s);
    if (ctx->pinyin)
        utrans_close(ctx->pinyin);
    if (ctx->rd)
        sib_arena_free(ctx->rd->arena);
    free(ctx->rd);
    free(ctx);
}

size_t sib_name_normalize(const char *raw, char *out, size_t cap)
{
    return sib_fold_text(raw, 0, out, cap);
}

/* Copies src into out (cap >= 1), cut to fit. */
static void copy_cut(char *out, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, src, n);
    out[n] = '\0';
}

/* Runs t over norm; with upper, the result is upper-cased and stripped of
 * white space and apostrophes (pinyin syllable separators). */
static int run_trans(UTransliterator *t, const char *norm, int upper, char *out, size_t cap)
{
    UChar buf[4 * NAME_MAXCP + 64];
    int32_t len = 0, limit, cap16 = (int32_t)(sizeof buf / sizeof buf[0]);
    UErrorCode st = U_ZERO_ERROR;

    /* pure ASCII needs no transliteration */
    const unsigned char *q = (const unsigned char *)norm;
    while (*q && *q < 0x80)
        q++;
    if (*q == '\0' || strlen(norm) > 3 * NAME_MAXCP) {
        copy_cut(out, cap, norm);
        return SIB_OK;
    }
    u_strFromUTF8WithSub(buf, cap16 / 2, &len, norm, -1, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        goto fail;
    limit = len;
    utrans_transUChars(t, buf, &len, cap16, 0, &limit, &st);
    if (U_FAILURE(st))
        goto fail;
    size_t o = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(buf, i, len, c);
        if (upper) {
            if (u_isUWhiteSpace(c) || c == '\'' || c == '-')
                continue;
            c = u_toupper(c);
        }
        if (o + (size_t)U8_LENGTH(c) >= cap)
            break;
        int32_t off = (int32_t)o;
        UBool bad = 0;
        U8_APPEND((uint8_t *)out, off, (int32_t)cap, c, bad);
        if (bad)
            break;
        o = (size_t)off;
    }
    out[o] = '\0';
    return SIB_OK;
fail:
    copy_cut(out, cap, norm);
    return SIB_ERR;
}

int sib_name_simplify(sib_name_ctx *ctx, const char *norm, char *out, size_t cap)
{
    return run_trans(ctx->t2s, norm, 0, out, cap);
}

int sib_name_pinyin_whole(sib_name_ctx *ctx, const char *norm, char *out, size_t cap)
{
    return run_trans(ctx->pinyin, norm, 1, out, cap);
}

/* The character placed before another to read it within a run: 一. */
static const char anchor[] = "\xe4\xb8\x80";

static void set_together(readings *rd, UChar32 c)
{
    rd->together[(c - CJK_LO) >> 3] |= (uint8_t)(1 << ((c - CJK_LO) & 7));
}

static int is_together(const readings *rd, UChar32 c)
{
    return rd->together[(c - CJK_LO) >> 3] >> ((c - CJK_LO) & 7) & 1;
}

/* Marks the Han characters that the rules of transliterator id read
 * together with another: of a rule whose left side (what it matches, with
 * its context) holds two Han literals, those within its braces (all of
 * them without braces). Returns 0 when a rule is past this reading — an
 * escape or a variable, Han literals beside a set, which could hold Han
 * too — or the rules cannot be had; then every name goes whole. */
static int mark_together(readings *rd, const char *id)
{
    sib_error ignored;
    UTransliterator *t = open_trans(id, &ignored);
    if (t == NULL)
        return 0;
    UErrorCode st = U_ZERO_ERROR;
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
        uint8_t lit_inside[8];
        int nlit = 0, nset = 0, depth = 0, quoted = 0, left = 1, braces = 0, inside = 0;
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
                ok = 0;
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
        if ((nlit >= 1 && nset >= 1) || nlit > 8)
            ok = 0;
        for (int k = 0; ok && nlit >= 2 && k < nlit; k++)
            if (lit[k] >= CJK_LO && lit[k] <= CJK_HI && (lit_inside[k] || !braces))
                set_together(rd, lit[k]);
    }
    free(rules);
    return ok;
}

/* Builds ctx's readings table: 1, or -1 when names must go whole (the rules
 * could not be read, or memory ran out). */
static int readings_build(sib_name_ctx *ctx)
{
    readings *rd = calloc(1, sizeof *rd);
    if (rd == NULL || (rd->arena = sib_arena_new(1 << 14)) == NULL) {
        free(rd);
        return -1;
    }
    ctx->rd = rd;
    int ok = mark_together(rd, "Han-Latin/Names") && mark_together(rd, "Han-Latin") &&
             !is_together(rd, 0x4E00) &&
             sib_name_pinyin_whole(ctx, anchor, rd->anchor, sizeof rd->anchor) == SIB_OK && rd->anchor[0];
    return ok ? 1 : -1;
}

/* The reading of CJK character c (its UTF-8 in u8) where it stands: ICU's,
 * on first need, of the character alone or after the anchor. "" when it
 * cannot be composed (not plain ASCII, or not after the anchor's); NULL
 * when out of memory. */
static const char *reading(sib_name_ctx *ctx, int where, UChar32 c, const char *u8, size_t n8)
{
    readings *rd = ctx->rd;
    const char **slot = &rd->reading[where][c - CJK_LO];
    if (*slot != NULL)
        return *slot;
    char in[16], out[64];
    size_t la = where == WITHIN ? sizeof anchor - 1 : 0;
    size_t skip = where == WITHIN ? strlen(rd->anchor) : 0;
    memcpy(in, anchor, la);
    memcpy(in + la, u8, n8);
    in[la + n8] = '\0';
    const char *got = "";
    if (sib_name_pinyin_whole(ctx, in, out, sizeof out) == SIB_OK && strncmp(out, rd->anchor, skip) == 0 &&
        out[skip] != '\0') {
        got = out + skip;
        for (const char *p = got; *p; p++)
            if ((unsigned char)*p >= 0x80)
                got = "";
    }
    *slot = *got ? sib_arena_strndup(rd->arena, got, strlen(got)) : "";
    ctx->nreadings += *slot != NULL;
    return *slot;
}

/* The pinyin of norm composed from its characters' readings into out (cut
 * at cap - 1 bytes, as run_trans cuts): 1, or 0 when it must go whole. */
static int compose(sib_name_ctx *ctx, const char *norm, char *out, size_t cap)
{
    int32_t len = (int32_t)strlen(norm), ncp = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(norm, i, len, c);
        if (c < CJK_LO || c > CJK_HI || ++ncp > COMPOSE_MAXCP)
            return 0;
    }
    if (ctx->rd_state == 0)
        ctx->rd_state = readings_build(ctx);
    if (ctx->rd_state < 0 || cap == 0)
        return 0;
    size_t o = 0;
    for (int32_t i = 0; i < len;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(norm, i, len, c);
        const char *r = is_together(ctx->rd, c) ? NULL
                                                : reading(ctx, at == 0 ? AT_START : WITHIN, c, norm + at,
                                                          (size_t)(i - at));
        if (r == NULL || *r == '\0')
            return 0;
        for (; *r && o + 1 < cap; r++)
            out[o++] = *r;
    }
    out[o] = '\0';
    return 1;
}

int sib_name_pinyin(sib_name_ctx *ctx, const char *norm, char *out, size_t cap)
{
    if (norm[0] != '\0' && compose(ctx, norm, out, cap)) {
        ctx->composed++;
        return SIB_OK;
    }
    ctx->whole++;
    return sib_name_pinyin_whole(ctx, norm, out, cap);
}

void sib_name_pinyin_stats(const sib_name_ctx *ctx, size_t *composed, size_t *whole, size_t *nreadings)
{
    *composed = ctx->composed;
    *whole = ctx->whole;
    *nreadings = ctx->nreadings;
}

/* Decodes up to NAME_MAXCP code points of UTF-8 s into cp; returns the count. */
static int decode(const char *s, UChar32 *cp)
{
    int32_t i = 0, n = 0, len = (int32_t)strlen(s);
    while (i < len && n < NAME_MAXCP) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        cp[n++] = c;
    }
    return n;
}

size_t sib_name_length(const char *s)
{
    return sib_utf8_count(s, strlen(s));
}

/* Jaro-Winkler over decoded code points. */
static double jw_cp(const UChar32 *a, int la, const UChar32 *b, int lb)
{
    unsigned char ma[NAME_MAXCP] = {0}, mb[NAME_MAXCP] = {0};
    if (la == 0 || lb == 0)
        return 0.0;
    int range = (la > lb ? la : lb) / 2 - 1;
    if (range < 0)
        range = 0;
    int m = 0;
    for (int i = 0; i < la; i++) {
        int lo = i - range > 0 ? i - range : 0, hi = i + range + 1 < lb ? i + range + 1 : lb;
        for (int j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    int t = 0, k = 0;
    for (int i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    double jaro = ((double)m / la + (double)m / lb + (m - t / 2.0) / m) / 3.0;
    int p = 0;
    while (p < 4 && p < la && p < lb && a[p] == b[p])
        p++;
    return jaro + p * 0.1 * (1.0 - jaro);
}

double sib_name_jaro_winkler(const char *a, const char *b)
{
    UChar32 ca[NAME_MAXCP], cb[NAME_MAXCP];
    int la = decode(a, ca), lb = decode(b, cb);
    return jw_cp(ca, la, cb, lb);
}

/* OSA distance over decoded code points, capped at max + 1. Only the band
 * |i - j| <= max of the table is computed: a path through any other cell
 * already costs more than max. The cells just outside the band read as
 * max + 1. */
static int osa_cp(const UChar32 *a, int la, const UChar32 *b, int lb, int max)
{
    int d[NAME_MAXCP + 1][NAME_MAXCP + 1];
    const int far = max + 1;
    if (abs(la - lb) > max)
        return far;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++) {
        int lo = i - max > 1 ? i - max : 1, hi = i + max < lb ? i + max : lb;
        d[i][lo - 1] = lo == 1 ? i : far;     /* i <= max + 1 when lo == 1 */
        int rowmin = d[i][lo - 1];
        for (int j = lo; j <= hi; j++) {
            int c = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (hi < lb)
            d[i][hi + 1] = far;
        if (rowmin > max)
            return far;
    }
    return d[la][lb] > max ? far : d[la][lb];
}

int sib_name_edit_distance(const char *a, const char *b, int max)
{
    UChar32 ca[NAME_MAXCP], cb[NAME_MAXCP];
    int la = decode(a, ca), lb = decode(b, cb);
    return osa_cp(ca, la, cb, lb, max);
}

sib_name_level sib_name_level_of(const char *a_norm, const char *a_simp, const char *a_pin,
                                 const char *b_norm, const char *b_simp, const char *b_pin)
{
    if (a_norm == NULL || b_norm == NULL || !*a_norm || !*b_norm)
        return SIB_NAME_MISSING;
    if (strcmp(a_norm, b_norm) == 0)
        return SIB_NAME_EXACT;
    if (a_simp && b_simp && strcmp(a_simp, b_simp) == 0)
        return SIB_NAME_SIMPLIFIED;
    if (a_pin && b_pin && *a_pin && strcmp(a_pin, b_pin) == 0)
        return SIB_NAME_PINYIN;
    UChar32 ca[NAME_MAXCP], cb[NAME_MAXCP];
    const char *sa = a_simp ? a_simp : a_norm, *sb = b_simp ? b_simp : b_norm;
    int la = decode(sa, ca), lb = decode(sb, cb);
    if (la >= 2 && la <= 4 && lb >= 2 && lb <= 4)
        return osa_cp(ca, la, cb, lb, 1) <= 1 ? SIB_NAME_SIMILAR : SIB_NAME_DIFFERENT;
    return jw_cp(ca, la, cb, lb) >= 0.90 ? SIB_NAME_SIMILAR : SIB_NAME_DIFFERENT;
}

sib_name_level sib_name_compare(sib_name_ctx *ctx, const char *a_norm, const char *b_norm)
{
    char as[256], bs[256], ap[256], bp[256];
    if (a_norm == NULL || b_norm == NULL || !*a_norm || !*b_norm)
        return SIB_NAME_MISSING;
    if (strcmp(a_norm, b_norm) == 0)
        return SIB_NAME_EXACT;
    sib_name_simplify(ctx, a_norm, as, sizeof as);
    sib_name_simplify(ctx, b_norm, bs, sizeof bs);
    sib_name_pinyin(ctx, as, ap, sizeof ap);
    sib_name_pinyin(ctx, bs, bp, sizeof bp);
    return sib_name_level_of(a_norm, as, ap, b_norm, bs, bp);
}

const char *sib_name_level_text(sib_name_level lv)
{
    static const char *t[] = {"missing", "exact", "simplified", "pinyin", "similar", "different"};
    return (unsigned)lv < sizeof t / sizeof t[0] ? t[lv] : "unknown";
}
