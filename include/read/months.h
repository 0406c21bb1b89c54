/*
 * months.h — the months an enrollment, or a person in a scheme, has paid.
 * Months are sib_month_index values (common/month.h), relative to the as-of
 * month's index. A zeroed sib_months is the empty set; sib_months_clear
 * releases one.
 */
#ifndef SIB_READ_MONTHS_H
#define SIB_READ_MONTHS_H

#include <pthread.h>
#include <stdint.h>

/* Paid months of one enrollment (or a union of several): a 128-month window
 * ending at the as-of month, plus a sorted list of older months (allocated
 * only for the few enrollments with such a long history). */
typedef struct sib_months {
    uint64_t win[2];        /* bit k: month (A - k) */
    struct sib_old_months *old;     /* NULL when none */
} sib_months;

#define SIB_MONTHS_WINDOW 128

/* 1 when newly set, 0 when already there or after the as-of month, -1 when out of memory. */
int sib_months_add(sib_months *m, int as_of_idx, int month_idx);
/* The same, for a set that two threads add to at once: the window with an
 * atomic bit operation (exactly one caller sees a month as new), the older
 * months under old_lock. */
int sib_months_add_shared(sib_months *m, int as_of_idx, int month_idx, pthread_mutex_t *old_lock);
int sib_months_has(const sib_months *m, int as_of_idx, int month_idx);
/* dst |= src; SIB_ERR when out of memory. */
int sib_months_union(sib_months *dst, const sib_months *src);
/* Calls fn for every month index in a ∩ b, in descending order. */
void sib_months_intersect(const sib_months *a, const sib_months *b, int as_of_idx,
                          void (*fn)(int month_idx, void *ud), void *ud);
/* The latest month index in the set, or -1 when it is empty. */
int sib_months_latest(const sib_months *m, int as_of_idx);
void sib_months_clear(sib_months *m);

#endif
