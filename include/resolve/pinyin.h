/*
 * pinyin.h — the pinyin form of a name (name.h) from its characters'
 * readings, each character through ICU once instead of each name.
 *
 * ICU's "Han-Latin/Names" reads a name character by character, with two
 * exceptions: a character that starts a run of Han characters may take its
 * surname reading (单 -> SHAN), and a few rules read two characters
 * together (长孙, 重庆, 沈阳, ...). So the pinyin of a name made of CJK
 * unified ideographs (U+4E00..U+9FFF, up to SIB_PINYIN_MAX_CP of them) is
 * its first character's reading at the start of a run followed by the
 * others' readings within one — unless the name holds a character whose
 * reading such a rule changes (the part of the rule within its braces, or
 * all of it without braces). Those characters are found in ICU's own
 * rules when the table is made; a name holding one, and any name with
 * another code point, goes through ICU whole. Either way the result is
 * what sib_name_pinyin gives (tests/unit/resolve/test_pinyin.c; checked
 * over every distinct name of the scale-10 data, 284,606, and names the
 * rules read together: no difference).
 *
 * Why: ICU runs one rule-based transliteration at a time in the whole
 * process (a global lock) and one name costs ~22 us, so at scale 10 the
 * ~37,000 names the link phase compares were its largest serial part; a
 * name has ~3,000 distinct characters to draw on.
 *
 * Thread-safe: a reading is added under the table's lock and read without
 * it; each thread passes its own sib_name_ctx (ICU's transliterators are
 * not thread-safe).
 */
#ifndef SIB_RESOLVE_PINYIN_H
#define SIB_RESOLVE_PINYIN_H

#include <stddef.h>

#include "common/error.h"
#include "resolve/name.h"

/* Longer names go through ICU whole (their output could outgrow ICU's
 * buffer in sib_name_pinyin, which then reports a failure). */
#define SIB_PINYIN_MAX_CP 16

typedef struct sib_pinyin sib_pinyin;

/* Reads ICU's rules for the characters read together; ctx is used for
 * that and freed by the caller. NULL with err set when out of memory. */
sib_pinyin *sib_pinyin_new(sib_name_ctx *ctx, sib_error *err);
void sib_pinyin_free(sib_pinyin *py);

/* The pinyin form of simp (a simplified, normalised name) into out: the
 * same bytes and return value as sib_name_pinyin(ctx, simp, out, cap). */
int sib_pinyin_of(sib_pinyin *py, sib_name_ctx *ctx, const char *simp, char *out, size_t cap);

/* Names composed from readings, names sent to ICU whole, readings computed. */
void sib_pinyin_stats(const sib_pinyin *py, size_t *composed, size_t *whole, size_t *readings);

#endif
