/*
 * mask.h — the masked form of a person's ID number, the only form that may
 * appear in logs and files meant for people.
 *
 *   sib_mask_id("35058119800101123X", out, sizeof out) -> "350581********123X"
 *
 * Counted in characters (UTF-8 code points, so a raw ID holding full-width
 * digits is never cut inside a character):
 * - 14 characters or more: the first 6, "********", the last 4;
 * - 10 to 13 characters: the first 2, "********", the last 2 (first 6 and
 *   last 4 would show all or nearly all of it);
 * - fewer than 10 (or more than 64: not an ID), NULL or empty:
 *   "******************" (18 '*': the length is
 *   hidden too).
 * The full value is never written. out is always NUL-terminated; when cap is
 * too small the mask is cut short (SIB_MASK_CAP always suffices for keys).
 */
#ifndef SIB_COMMON_MASK_H
#define SIB_COMMON_MASK_H

#include <stddef.h>

/* Room for the mask of any value: 6 + 8 + 4 characters of up to 4 bytes. */
#define SIB_MASK_CAP 80

void sib_mask_id(const char *key, char *out, size_t cap);

#endif
