/*
 * contrib.h — the contribution stream of the read stage: si_src.contribution
 * read once inside the source's snapshot (sib_source_open), every row checked
 * per definitions.md §1 and folded into its enrollment's aggregates (last
 * paid month, 12-month sum, paid months), so memory does not grow with the
 * rows; then the repeat rule settled (a further row of a paid enrollment and
 * period is a `repeat` reject, the kept one decided by paid_on and amount).
 */
#ifndef SIB_READ_CONTRIB_H
#define SIB_READ_CONTRIB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/db.h"
#include "common/error.h"
#include "read/source.h"

/* How the contributions are read (the configuration's read_* keys). */
typedef struct sib_read_opts {
    int streams;            /* 1, or 2 parallel streams over a large table */
    long recent_rows;       /* first rows of (enrollment, period) pairs a stream remembers, so
                             * that a repeated row is settled without reading its pair again
                             * (rounded up to a power of two; 0: every repeated pair is read again) */
} sib_read_opts;

/* Streams the contributions of the same snapshot into the enrollments'
 * aggregates and settles the repeats. It writes only the enrollments'
 * last_paid, sum12 and paid months, so the resolve stage may run at the same time on
 * another thread. With streams = 2 a large table is read in two parallel
 * streams, the second on a connection of its own (dsn) importing the snapshot. */
int sib_source_read_contributions(sib_source *src, sib_db *db, const char *dsn, const sib_read_opts *opts,
                                  volatile sig_atomic_t *stop, sib_error *err);
/* Kept contribution amounts (employer + personal, cents) of the given
 * enrollments for the given months, after the repeat rule, read again inside
 * the same snapshot: calls fn(enr_index, month_yyyymm, cents, ud) once per
 * kept (enrollment, month). */
typedef void (*sib_kept_fn)(size_t enr, int month, int64_t cents, void *ud);
int sib_source_kept_amounts(sib_source *src, sib_db *db, const size_t *enr, size_t n,
                            sib_kept_fn fn, void *ud, sib_error *err);

/* One contribution row as sql/read_contributions*.sql send it. */
typedef struct sib_contrib_fields {
    int64_t enrollment_id;
    long period;
    int id_ok, period_ok;       /* 0 when NULL or not an integer */
    int64_t base, employer, personal;   /* cents; NULL is 0 */
    int32_t paid_on;            /* YYYYMMDD; 0 when NULL or not a date */
} sib_contrib_fields;

/* Parses a COPY text line of the six columns (enrollment_id, period, base,
 * employer_amount, personal_amount, paid_on) in place. The usual shape
 * (digits, one '.', a leading '-', \N, YYYY-MM-DD) is read in one pass;
 * anything else goes through sib_copy_split and the field parsers, with the
 * same result. -1 when the line does not have six columns. */
int sib_contrib_parse(char *line, sib_contrib_fields *f);

#endif
