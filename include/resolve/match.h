/*
 * match.h — a Fellegi–Sunter record-pair scorer configured by a field list.
 *
 * A model is a list of fields, each with a comparator kind. Comparing two
 * values of a field gives a level: 0 is always "missing" (either value NULL
 * or empty: weight 0), 1 is the best agreement, the last level is
 * "different". Each level l > 0 has m[l] = P(level | match) and
 * u[l] = P(level | non-match); a pair's weight is the sum over fields of
 * log2(m/u) of its levels. The m/u values are either set by the caller
 * (fixed, documented where the model is built) or estimated by EM on the
 * candidate pairs (sib_match_em), together with the match share lambda.
 *
 * Comparator kinds and their levels (after "missing"):
 *   EXACT    exact, different                          (gender, town, employer)
 *   NAME_ZH  exact, simplified, pinyin, similar, different   (see name.h)
 *   STRING   exact, jw_high, jw_low, different   (Jaro–Winkler over code points,
 *            thresholds hi / lo of the field, defaults 0.92 / 0.80)
 *   DATE     exact, one_edit, swap_dm, one_part, different  (YYYYMMDD text:
 *            one substitution or adjacent transposition; day and month
 *            transposed; two of year/month/day equal)
 *   IDNUM    exact, one_edit, two_edit, different   (optimal-string-alignment
 *            distance over characters: one substitution, insertion, deletion
 *            or adjacent transposition; at most two)
 *
 * Evidence: the levels of a pair packed 3 bits per field, field i at bits
 * 3i..3i+2 (at most SIB_MATCH_MAXFIELDS fields), so "which fields agreed, at
 * which level" is decodable from one uint32 (sib_match_evidence_text).
 */
#ifndef SIB_RESOLVE_MATCH_H
#define SIB_RESOLVE_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "resolve/name.h"

#define SIB_MATCH_MAXFIELDS 10
#define SIB_MATCH_MAXLEVELS 8

typedef enum {
    SIB_CMP_EXACT,
    SIB_CMP_NAME_ZH,
    SIB_CMP_STRING,
    SIB_CMP_DATE,
    SIB_CMP_IDNUM
} sib_cmp_kind;

typedef struct sib_match_field {
    const char *name;                   /* short label, used in evidence text */
    sib_cmp_kind kind;
    double hi, lo;                      /* STRING thresholds; 0 = defaults */
    /* Optional m/u per level (index 0 unused). All zero = defaults: m falls
     * off from 0.9 at level 1, u from the level's share among all pairs
     * (EM) or a flat 1/levels (no EM). */
    double m[SIB_MATCH_MAXLEVELS], u[SIB_MATCH_MAXLEVELS];
} sib_match_field;

typedef struct sib_match_model sib_match_model;

/* Copies the field list; NULL with err set when it is invalid. */
sib_match_model *sib_match_model_new(const sib_match_field *fields, size_t nfields, sib_error *err);
void sib_match_model_free(sib_match_model *m);

size_t sib_match_nfields(const sib_match_model *m);
/* Number of levels of a kind, including level 0 (missing). */
int sib_match_kind_levels(sib_cmp_kind kind);
/* "missing", "exact", "one_edit", ... for a level of a kind. */
const char *sib_match_level_name(sib_cmp_kind kind, int level);

/* The level of field f for values a and b (NULL or "" = missing). NAME_ZH
 * values are normalised names (name.h); ctx may be NULL, then the
 * simplified and pinyin levels are not tried. */
int sib_match_compare(const sib_match_model *m, size_t f, const char *a, const char *b,
                      sib_name_ctx *ctx);
/* Pair weight (log2) of a level vector of nfields entries. */
double sib_match_weight(const sib_match_model *m, const uint8_t *levels);
/* Weight of level l in field f (0 for level 0). */
double sib_match_level_weight(const sib_match_model *m, size_t f, int level);
/* Packed evidence of a level vector. */
uint32_t sib_match_evidence(const sib_match_model *m, const uint8_t *levels);
/* "name=exact,birth=exact,id=one_edit" (missing fields left out) into buf. */
const char *sib_match_evidence_text(const sib_match_model *m, uint32_t evidence, char *buf, size_t cap);

/* Sets / reads m and u of one level. */
void sib_match_set(sib_match_model *m, size_t f, int level, double mprob, double uprob);
void sib_match_get(const sib_match_model *m, size_t f, int level, double *mprob, double *uprob);

/* EM on npairs level vectors (npairs * nfields bytes, row-major): estimates
 * every m, u and lambda. Starting values: m as set (or the defaults), u the
 * level shares among all pairs, lambda = lambda0. Probabilities are clamped
 * to [1e-6, 1 - 1e-6]. Stops after max_iter rounds or when no parameter
 * moves by more than 1e-7. Returns the number of rounds, or SIB_ERR. */
int sib_match_em(sib_match_model *m, const uint8_t *levels, size_t npairs, double lambda0,
                 int max_iter, sib_error *err);
/* The match share lambda (after EM; else the value last set). */
double sib_match_lambda(const sib_match_model *m);
void sib_match_set_lambda(sib_match_model *m, double lambda);
/* Weight at which the posterior match probability is p (given lambda):
 * log2(p / (1 - p)) + log2((1 - lambda) / lambda). */
double sib_match_threshold_for(const sib_match_model *m, double p);
/* Posterior match probability of a weight. */
double sib_match_posterior(const sib_match_model *m, double weight);

#endif
