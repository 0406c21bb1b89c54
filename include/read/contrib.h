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
    int streams;            /* 1, or 2: a helper stream may join (sib_contrib_read_help) */
    long recent_rows;       /* first rows of (enrollment, period) pairs a stream remembers, so
                             * that a repeated row is settled without reading its pair again
                             * (rounded up to a power of two; 0: every repeated pair is read again) */
    long chunk_pages;       /* pages a stream claims at a time; 0: the default (8192, 64 MiB) */
} sib_read_opts;

/*
 * The read of the contributions of the source's snapshot, folded into the
 * enrollments' aggregates (last_paid, sum12, paid months), then the repeats
 * settled. Only those fields are written, so the resolve stage may run at
 * the same time on another thread.
 *
 * The table is read in chunks of pages. sib_contrib_read_run streams them
 * from the front on the source's connection. A second thread may call
 * sib_contrib_read_help at any time (with streams = 2): on a connection of its
 * own (dsn) importing the snapshot it streams chunks from the back until the
 * two meet; run waits for it. A helper that comes late does nothing, one that
 * cannot connect leaves the table to the main stream (a warning). One
 * stream goes as fast as the server's COPY on one core; a helper pays when
 * a core is free, as one is once resolution is done (src/run/run.c). With
 * streams = 1 the table is read in one plain scan (chunks are TID range
 * scans, a few per cent dearer for the server: docs/performance.md).
 */
typedef struct sib_contrib_read sib_contrib_read;
sib_contrib_read *sib_contrib_read_new(sib_source *src, sib_db *db, const sib_read_opts *opts,
                                       volatile sig_atomic_t *stop, sib_error *err);
int sib_contrib_read_run(sib_contrib_read *r, sib_error *err);
int sib_contrib_read_help(sib_contrib_read *r, const char *dsn, sib_error *err);
/* Chunks the helper read (after run). */
long sib_contrib_read_helper_chunks(const sib_contrib_read *r);
void sib_contrib_read_free(sib_contrib_read *r);

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
