/*
 * rejlog.h — the contribution rows a run rejects, in the order found, kept
 * in an unlinked temporary file rather than in memory: a month whose data
 * already holds the next month's rows rejects millions of them as `future`
 * (3.2 M at scale 10, 100 MB as an array), and every one keeps its source
 * key for sibatch.reject. The file is made in $TMPDIR (else /tmp) and
 * unlinked at once, so it goes away with the process; it costs page cache
 * and disk, not the run's memory.
 */
#ifndef SIB_READ_REJLOG_H
#define SIB_READ_REJLOG_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* One rejected contribution row. */
typedef struct sib_contrib_reject {
    int64_t enrollment_id;  /* 0 when NULL */
    int32_t period;         /* raw period (0 when NULL) */
    uint8_t reason;
    uint8_t nulls;          /* SIB_CREJ_NULL_*: which of the two were NULL */
    int32_t paid_on;        /* YYYYMMDD, 0 when NULL (common/month.h's bounds for ±infinity) */
    int64_t amount;         /* employer + personal, cents */
} sib_contrib_reject;

enum { SIB_CREJ_NULL_ID = 1, SIB_CREJ_NULL_PERIOD = 2 };

typedef struct sib_rejlog sib_rejlog;

/* NULL (and err set) when no temporary file can be made. */
sib_rejlog *sib_rejlog_new(sib_error *err);
/* Appends r; SIB_ERR (err set) when the file cannot be written. */
int sib_rejlog_add(sib_rejlog *l, const sib_contrib_reject *r, sib_error *err);
/* Moves every record of src to the end of dst; src is left empty. */
int sib_rejlog_append(sib_rejlog *dst, sib_rejlog *src, sib_error *err);
size_t sib_rejlog_count(const sib_rejlog *l);
/* Calls fn on every record in order; stops with fn's SIB_ERR (its err is
 * kept) or with SIB_ERR when the file cannot be read. */
int sib_rejlog_each(sib_rejlog *l, int (*fn)(const sib_contrib_reject *r, void *ud, sib_error *err), void *ud,
                    sib_error *err);
void sib_rejlog_free(sib_rejlog *l);

#endif
