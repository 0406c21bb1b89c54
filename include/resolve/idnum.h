/*
 * idnum.h — citizen ID numbers (GB 11643-1999), normalization and validation
 * per definitions.md §2 and domain.md.
 *
 * Folding (sib_idnum_fold): NFKC (ICU; plain ASCII takes a fast path that
 * does not touch ICU), U+00D7 '×' -> 'X', every Unicode White_Space code
 * point removed (ASCII blanks, U+00A0, U+3000, U+2000..U+200A, ...), one
 * leading '\'' removed, ASCII upper-cased.
 *
 * Validation order for a folded string with several faults (the first one
 * found is the reason):
 *   1. missing         NULL, empty or only white space
 *   2. length          not 18 and not 15 characters (code points); a lone
 *                      "'" is text with nothing left after folding: length
 *   3. character       18: first 17 not all digits or the last not a digit/X;
 *                      15: not all digits
 *   4. legacy_pre1900  15 digits and the record's own birth date < 1900-01-01
 *   5. date            the birth date does not exist (leap years honoured) or
 *                      is after the last day of the as-of month
 *   6. check           18: the MOD 11-2 check character differs
 * A valid 15-digit number is converted: '19' inserted after the address code
 * and the check character appended. The region prefix is never judged.
 */
#ifndef SIB_RESOLVE_IDNUM_H
#define SIB_RESOLVE_IDNUM_H

#include <stddef.h>

typedef enum {
    SIB_ID_VALID,
    SIB_ID_MISSING,
    SIB_ID_LENGTH,
    SIB_ID_CHARACTER,
    SIB_ID_DATE,
    SIB_ID_CHECK,
    SIB_ID_LEGACY_PRE1900
} sib_id_status;

/* "missing", "length", "character", "date", "check", "legacy_pre1900";
 * NULL for SIB_ID_VALID. */
const char *sib_idnum_reason(sib_id_status st);

/* Folds raw (UTF-8, may be NULL) into out (NUL-terminated UTF-8, at most
 * cap - 1 bytes; longer input is cut at a code point boundary). Returns the
 * number of code points of the folded text (which may exceed what fits). */
size_t sib_idnum_fold(const char *raw, char *out, size_t cap);

/* raw may be NULL; as_of is YYYYMM; record_birth is YYYYMMDD or 0 if unknown.
 * key (OUT) gets the canonical 18-character key when the result is
 * SIB_ID_VALID (else an empty string); *canonical (OUT, may be NULL) is 1 when
 * raw was byte-for-byte the key already. */
sib_id_status sib_idnum_normalize(const char *raw, int as_of, int record_birth,
                                  char key[19], int *canonical);

/* The MOD 11-2 check character ('0'..'9' or 'X') of 17 digits; 0 when
 * first17 holds a non-digit. */
char sib_idnum_check_char(const char *first17);

/* The digit that, put at position pos (0..16) of an 18-character ID, makes
 * id[17] its check character: '0'..'9', or 0 when no digit does or another
 * of the first 17 characters is not a digit. There is one such digit at
 * most (every weight is invertible modulo 11), so the one-substitution
 * variants of a broken ID that pass the check are found without trying
 * nine digits at each position. */
char sib_idnum_check_digit_at(const char *id, int pos);

/* 1 when y*10000+m*100+d is a day of the Gregorian calendar. */
int sib_idnum_date_exists(int yyyymmdd);

/* YYYYMMDD from a valid key. */
int sib_idnum_birth(const char *key);
/* 1 male (odd 17th digit), 2 female. */
int sib_idnum_gender(const char *key);

#endif
