/*
 * name.h — comparing personal names, Chinese first.
 *
 * Forms of a name:
 *   normalised  NFKC, every white-space code point removed, Latin letters
 *               upper-cased (sib_name_normalize; no ICU for ASCII input)
 *   simplified  the normalised form through ICU "Traditional-Simplified"
 *   pinyin      "Han-Latin/Names; Latin-ASCII" (surname readings), upper-case,
 *               no separators: "单雄信" -> "SHANXIONGXIN"
 * Levels, best first (sib_name_level_of): exact (normalised forms equal) >
 * simplified (equal after traditional->simplified) > pinyin (same reading:
 * homophone typo, partial evidence only) > similar (2-4 code points each
 * with one substitution, insertion, deletion or adjacent transposition, or
 * for longer names Jaro-Winkler >= 0.90 over code points) > different.
 * Missing when either side is empty.
 *
 * Speed: normalise once per record; simplified and pinyin forms are needed
 * only for candidate pairs that are not exact, and callers cache them (one
 * ICU call per name, not per pair). The transliterators live in a
 * sib_name_ctx (not thread-safe: one per thread).
 *
 * The pinyin is composed from the characters' readings, each character
 * through ICU once per context instead of each name: ICU runs one
 * rule-based transliteration at a time in the whole process (a global
 * lock) at ~22 us a name, which made it the link phase's largest serial
 * part at scale 10 (docs/performance.md). "Han-Latin/Names" reads a name
 * character by character with two exceptions: the first character of a run
 * of Han characters may take its surname reading (单 -> SHAN), and a few
 * rules read two characters together (长孙, 重庆, 沈阳, ...). So a name of
 * up to 16 CJK unified ideographs (U+4E00..U+9FFF) is its first
 * character's reading alone followed by the others' readings after 一 —
 * unless it holds a character such a rule reads differently (the part of
 * the rule within its braces). Those characters are found in ICU's own
 * rule text when the table is built (on the first name that needs it); a
 * name holding one, or any other code point, goes through ICU whole. The
 * bytes are those of sib_name_pinyin_whole either way
 * (tests/unit/resolve/test_name.c; every distinct name of the scale-10
 * data, 284,606, compared: no difference).
 */
#ifndef SIB_RESOLVE_NAME_H
#define SIB_RESOLVE_NAME_H

#include <stddef.h>

#include "common/error.h"

typedef enum {
    SIB_NAME_MISSING,
    SIB_NAME_EXACT,
    SIB_NAME_SIMPLIFIED,
    SIB_NAME_PINYIN,
    SIB_NAME_SIMILAR,
    SIB_NAME_DIFFERENT
} sib_name_level;

typedef struct sib_name_ctx sib_name_ctx;

/* Opens the transliterators; NULL with err set when ICU lacks them. */
sib_name_ctx *sib_name_ctx_new(sib_error *err);
void sib_name_ctx_free(sib_name_ctx *ctx);

/* Normalised form of raw (may be NULL) into out; returns its code points. */
size_t sib_name_normalize(const char *raw, char *out, size_t cap);
/* Simplified / pinyin form of a normalised name; SIB_ERR on an ICU failure
 * (out then holds a copy of norm). */
int sib_name_simplify(sib_name_ctx *ctx, const char *norm, char *out, size_t cap);
int sib_name_pinyin(sib_name_ctx *ctx, const char *norm, char *out, size_t cap);
/* The pinyin form through ICU's transliteration of the whole name: what
 * sib_name_pinyin gives, the slow way (its reference). */
int sib_name_pinyin_whole(sib_name_ctx *ctx, const char *norm, char *out, size_t cap);
/* Of ctx's sib_name_pinyin calls: names composed from readings, names sent
 * to ICU whole, readings computed. */
void sib_name_pinyin_stats(const sib_name_ctx *ctx, size_t *composed, size_t *whole, size_t *nreadings);

/* Level of two names from their forms (simp/pinyin may be NULL: those
 * levels are then skipped). */
sib_name_level sib_name_level_of(const char *a_norm, const char *a_simp, const char *a_pin,
                                 const char *b_norm, const char *b_simp, const char *b_pin);
/* Level of two normalised names, computing the other forms with ctx. */
sib_name_level sib_name_compare(sib_name_ctx *ctx, const char *a_norm, const char *b_norm);
/* "missing", "exact", "simplified", "pinyin", "similar", "different". */
const char *sib_name_level_text(sib_name_level lv);

/* Jaro-Winkler similarity 0..1 over code points (UTF-8 input; the first 64
 * code points count). 0 when either is empty. */
double sib_name_jaro_winkler(const char *a, const char *b);
/* Optimal-string-alignment edit distance over code points, stopping at
 * max + 1 (returns max + 1 when larger). */
int sib_name_edit_distance(const char *a, const char *b, int max);
/* Number of code points of UTF-8 text. */
size_t sib_name_length(const char *s);

#endif
