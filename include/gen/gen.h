/*
 * gen.h — `sibatch gen`: a Shishi-calibrated, dirty, deterministic source
 * database (schema si_src) with its ground truth (schema si_truth).
 *
 *   sib_gen_params p;
 *   sib_gen_params_default(&p);          // seed 7, scale 1, as-of 2020-12, 36 months
 *   p.seed = 42; p.scale = 0.1;
 *   sib_gen_stats st;
 *   if (sib_gen_run(dsn, &p, &st, &err) != SIB_OK) ...
 *
 * The same parameters give byte-identical table contents: every person and
 * employer has its own random stream (gen/rng.h), and nothing depends on the
 * clock. The rows are streamed person by person to one COPY per table, so
 * memory does not grow with the scale. docs/generator.md describes the model.
 */
#ifndef SIB_GEN_GEN_H
#define SIB_GEN_GEN_H

#include <stdint.h>

#include "common/config.h"
#include "common/error.h"
#include "gen/fault.h"

typedef struct sib_gen_params {
    uint64_t seed;
    double scale;                         /* 1.0 = Shishi at 2020 year-end */
    int as_of;                            /* YYYYMM */
    int months;                           /* contribution history, 1..360 */
    double rate[SIB_F_COUNT];             /* fault rates (fault.h) */
    int lapse_threshold[SIB_NSCHEMES];    /* for the expected sets */
    int age_min, age_max;                 /* uninsured age range */
} sib_gen_params;

typedef struct sib_gen_stats {
    long persons, enrollments, contributions, population, employers;
    long faults[SIB_F_COUNT];
    long insured[SIB_NSCHEMES], beneficiaries[SIB_NSCHEMES], project_based, land;
    long target[SIB_NSCHEMES];
    long expected_lapsed, expected_uninsured, expected_conflict, expected_pairs;
} sib_gen_stats;

/* Defaults: seed 7, scale 1, as-of 202012, 36 months, the documented fault
 * rates, the thresholds and age range of sib_config_defaults(). */
void sib_gen_params_default(sib_gen_params *p);

/* The city's 2020 year-end figure for a scheme (enum sib_scheme). */
long sib_gen_figure(int scheme);

/* Creates si_src and si_truth if missing, truncates both, generates and
 * loads everything, rebuilds the contribution index and ANALYZEs. dsn NULL
 * or "" uses the PG* variables. */
int sib_gen_run(const char *dsn, const sib_gen_params *p, sib_gen_stats *st, sib_error *err);

#endif
