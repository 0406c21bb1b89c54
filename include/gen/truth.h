/*
 * truth.h — the answer key: definitions.md §1-§6 applied to one true person,
 * using the true identity of every row (no linking). The generator calls it
 * once per person with everything it generated for that person; the results
 * go to si_truth.expected_* and si_truth.calibration.
 *
 * Months are YYYYMM integers; money is in cents.
 */
#ifndef SIB_GEN_TRUTH_H
#define SIB_GEN_TRUTH_H

#include <stdint.h>

#include "common/config.h"   /* enum sib_scheme, SIB_NSCHEMES */

/* Worker categories as generated. */
enum sib_gen_cat { SIB_CAT_EMPLOYEE, SIB_CAT_FLEXIBLE, SIB_CAT_PROJECT, SIB_CAT_LAND, SIB_CAT_RESIDENT };

/* One contribution row as generated (before any rule). */
typedef struct sib_gen_crow {
    int period;            /* YYYYMM as written (may be after as-of) */
    int paid_on;           /* YYYYMMDD, 0 for NULL */
    int64_t base, er, pr;  /* cents; negative ones are rejects */
} sib_gen_crow;

/* One enrollment row as generated, with its contribution rows. */
typedef struct sib_gen_enr {
    int64_t id;
    int scheme;            /* enum sib_scheme; -1 rejected (§1), -2 out of scope (310/510) */
    int start, end;        /* YYYYMM; end 0 = NULL */
    int status;            /* 1, 2 or 3 */
    int benefit;           /* benefit_start_month, 0 = NULL */
    int category;          /* enum sib_gen_cat */
    const sib_gen_crow *rows;
    int nrows;
} sib_gen_enr;

#define SIB_GEN_MAX_ENR 24
#define SIB_GEN_MAX_PAIRS 64

typedef struct sib_gen_truth {
    int has[SIB_NSCHEMES];            /* a usable enrollment (start <= A) */
    int insured[SIB_NSCHEMES];
    int beneficiary[SIB_NSCHEMES];
    int lapsed[SIB_NSCHEMES];
    int months_unpaid[SIB_NSCHEMES];  /* §4 (A - S + 1 when never paid) */
    int record[SIB_NSCHEMES];         /* index of the record (§3), -1 */
    int last_paid[SIB_NSCHEMES];      /* P, 0 when none */
    int refund_months;                /* 170 with 110/120 (§5) */
    int64_t refund_cents;
    int ei_months;                    /* 110 with 120 */
    int npairs;                       /* same-cluster pairs, id_a < id_b */
    int64_t pair_a[SIB_GEN_MAX_PAIRS], pair_b[SIB_GEN_MAX_PAIRS];
} sib_gen_truth;

/* Applies the rules at as-of month A. deceased: the person is known dead at
 * the end of A (then nothing is insured). thr: lapse thresholds per scheme.
 * n <= SIB_GEN_MAX_ENR. Returns SIB_ERR when n is too large. */
int sib_gen_truth_person(const sib_gen_enr *e, int n, int as_of, int deceased,
                         const int thr[SIB_NSCHEMES], sib_gen_truth *out);

#endif
