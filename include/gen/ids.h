/*
 * ids.h — the generator's side of identifiers: citizen ID numbers
 * (GB 11643-1999), unified social credit codes (GB 32100-2015), and the
 * damage done to ID numbers as keyed in by the agencies.
 *
 * These are the generator's own small check-digit functions (the pipeline's
 * validation lives in resolve/idnum.h and resolve/credit.h; the tests check
 * one against the other's rules independently).
 */
#ifndef SIB_GEN_IDS_H
#define SIB_GEN_IDS_H

#include <stddef.h>

#include "gen/rng.h"

/* Check character ('0'..'9' or 'X') of the first 17 digits of an ID. */
char sib_gen_id_check(const char *first17);
/* 1 when s is exactly 18 characters, 17 digits and the right check. */
int sib_gen_id_valid(const char *s);
/* Builds prefix6 + YYYYMMDD + seq (0..999, 3 digits) + check into out. */
void sib_gen_id_make(const char *prefix6, int yyyymmdd, int seq, char out[19]);
/* The 15-digit legacy form of an 18-digit key (drops "19" and the check);
 * SIB_ERR (-1) when the key's birth year is not 1900..1999. */
int sib_gen_id_legacy15(const char *key, char out[16]);

/* Value 0..30 of a credit-code character, -1 when not in the alphabet. */
int sib_gen_credit_value(char c);
/* Check character of the first 17 characters; 0 when one is invalid. */
char sib_gen_credit_check(const char *first17);
/* 1 when s is a valid 18-character unified social credit code. */
int sib_gen_credit_valid(const char *s);
/* head8 (department, category, 6-digit region) + 9 random organisation-code
 * characters + check into out. */
void sib_gen_credit_make(sib_rng *r, const char *head8, char out[19]);

/* The ID faults (fault.h kinds SIB_F_ID_*): writes the keyed-in form of
 * key into out (cap >= 64). *is_null is set when the result is SQL NULL
 * (id_missing). detail (cap >= 32) gets a short description of the variant.
 * Returns SIB_ERR when the kind does not apply to this key (lowercase_x on
 * a key not ending in X, legacy15 outside 1900..1999). */
int sib_gen_id_mutate(int kind, const char *key, sib_rng *r, char *out, size_t cap,
                      int *is_null, char *detail, size_t dcap);

#endif
