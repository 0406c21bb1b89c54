/*
 * names.h — Chinese personal names and employer names for the generator,
 * and the damage done to names as keyed in.
 */
#ifndef SIB_GEN_NAMES_H
#define SIB_GEN_NAMES_H

#include <stddef.h>

#include "gen/rng.h"

/* A surname (UTF-8) drawn with realistic skew: Minnan surnames for locals
 * (蔡 洪 施 林 陈 ...), the national distribution for migrants. */
const char *sib_gen_surname(sib_rng *r, int local);
/* A given name of 1 or 2 characters for gender 1 (male) or 2 (female). */
void sib_gen_given(sib_rng *r, int gender, char *out, size_t cap);
/* A full name; now and then (migrant women) a romanized Vietnamese name. */
void sib_gen_name(sib_rng *r, int gender, int local, char *out, size_t cap);
/* 1 when name holds an ASCII letter (name_fullwidth applies). */
int sib_gen_name_has_latin(const char *name);

/* Name faults (SIB_F_NAME_SPACE, SIB_F_NAME_FULLWIDTH, SIB_F_NAME_TYPO,
 * SIB_F_HOSTILE_NAME): writes the damaged form of name into out.
 * Returns SIB_ERR when the kind does not apply (fullwidth without Latin
 * letters, a name too short to change). cap must be >= 6400. */
int sib_gen_name_mutate(int kind, const char *name, sib_rng *r, char *out, size_t cap,
                        char *detail, size_t dcap);

#endif
