/*
 * par.h — a stage's work split over a few threads.
 *
 * sib_par_run(nt, fn, ud) calls fn(ud, t, nt) for t = 0..nt-1, part 0 on
 * the calling thread and the others on threads of their own, and returns
 * when every part is done. A part whose thread cannot be started runs on
 * the caller after part 0, so the result never depends on the threads the
 * system grants. The parts share ud; each writes only what is its own.
 */
#ifndef SIB_COMMON_PAR_H
#define SIB_COMMON_PAR_H

#include <stddef.h>

#define SIB_PAR_MAX 8

typedef void (*sib_par_fn)(void *ud, int t, int nt);

/* nt is clamped to 1..SIB_PAR_MAX. */
void sib_par_run(int nt, sib_par_fn fn, void *ud);
/* Part t of nt of 0..n-1: [*lo, *hi); the parts cover it once, in order. */
void sib_par_range(size_t n, int t, int nt, size_t *lo, size_t *hi);

#endif
