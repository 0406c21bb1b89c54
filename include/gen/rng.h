/*
 * rng.h — the generator's own deterministic pseudo-random numbers:
 * xoshiro256** seeded through splitmix64.
 *
 * A stream is named by (seed, stream, index): every person, employer and
 * table has its own stream, so what is generated for person 1234 does not
 * depend on how many rows were generated before it or on buffer sizes.
 * sib_rng is a small value type meant to live on the stack (no _new/_free).
 */
#ifndef SIB_GEN_RNG_H
#define SIB_GEN_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct sib_rng { uint64_t s[4]; } sib_rng;

/* splitmix64 step: advances *x and returns the next output. */
uint64_t sib_rng_splitmix(uint64_t *x);
/* Seeds r for stream (seed, stream, index). */
void sib_rng_init(sib_rng *r, uint64_t seed, uint64_t stream, uint64_t index);
/* Next 64 random bits (xoshiro256**). */
uint64_t sib_rng_next(sib_rng *r);
/* Uniform integer in 0..n-1 (n > 0; 0 when n == 0), without modulo bias. */
uint64_t sib_rng_below(sib_rng *r, uint64_t n);
/* Uniform integer in lo..hi inclusive. */
long sib_rng_range(sib_rng *r, long lo, long hi);
/* Uniform double in [0, 1). */
double sib_rng_unit(sib_rng *r);
/* 1 with probability p. */
int sib_rng_chance(sib_rng *r, double p);
/* Index 0..n-1 drawn with the given non-negative weights (sum > 0). */
size_t sib_rng_weighted(sib_rng *r, const double *w, size_t n);

#endif
