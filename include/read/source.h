/*
 * source.h — the read stage: si_src in memory, read inside one consistent
 * snapshot (REPEATABLE READ, READ ONLY), with every row classified per
 * definitions.md §1 (usable, rejected with a reason, out of scope, not yet
 * started) and contributions folded into per-enrollment aggregates while
 * they stream, so memory does not grow with contribution rows.
 *
 *   sib_source *src = sib_source_open(db, as_of, &stop_flag, &err);
 *   sib_source_read_contributions(src, db, dsn, &(sib_read_opts){ 1, 4096 }, &stop_flag, &err);
 *   ... src->enr[i], src->pop[i], sib_source_employer(src, unit_id) ...
 *   sib_source_free(src);
 *
 * Strings point into the source's arena and live as long as it does.
 */
#ifndef SIB_READ_SOURCE_H
#define SIB_READ_SOURCE_H

#include <signal.h>
#include <stdint.h>

#include "common/db.h"
#include "common/error.h"

/* How a row takes part in the run. */
enum sib_row_state {
    SIB_ROW_USABLE = 0,
    SIB_ROW_REJECTED,       /* a §1 reject: reason in .reason */
    SIB_ROW_OUT_OF_SCOPE,   /* 310 / 510 */
    SIB_ROW_NOT_STARTED     /* starts after the as-of month: takes part in nothing */
};

/* Reject reasons (definitions.md §1), in the order they are tested. */
enum sib_reject_reason {
    SIB_REJ_NONE = 0,
    SIB_REJ_INSURANCE_TYPE, SIB_REJ_PERIOD, SIB_REJ_IDENTITY,                  /* enrollment, population */
    SIB_REJ_ORPHAN, SIB_REJ_REJECTED_ENROLLMENT, SIB_REJ_FUTURE, SIB_REJ_NEGATIVE, SIB_REJ_REPEAT, /* contribution */
    SIB_REJ_OUT_OF_SCOPE,   /* not a reject: counted apart */
    SIB_REJ_COUNT
};
const char *sib_reject_reason_name(int reason);

/* Paid months of one enrollment (or a union of several): a 128-month window
 * ending at the as-of month, plus a sorted list of older months (allocated
 * only for the few enrollments with such a long history). */
typedef struct sib_months {
    uint64_t win[2];        /* bit k: month (A - k) */
    struct sib_old_months *old;     /* NULL when none */
} sib_months;

#define SIB_MONTHS_WINDOW 128

typedef struct sib_employer {
    int64_t unit_id;
    const char *credit_code, *name, *town_code;
    int risk_class;         /* 1..8, 0 when NULL or out of range */
} sib_employer;

typedef struct sib_enrollment {
    int64_t id;
    int64_t unit_id;        /* 0 when NULL */
    const char *id_number, *name, *gender, *town_code, *worker_category;
    int32_t birth_date;     /* YYYYMMDD, 0 when NULL */
    int32_t start, end;     /* YYYYMM; end 0 while open */
    int32_t benefit_start;  /* YYYYMM, 0 when NULL or not a valid month */
    int8_t scheme;          /* enum sib_scheme, -1 when not one of ours */
    uint8_t state;          /* enum sib_row_state */
    uint8_t reason;         /* enum sib_reject_reason when rejected */
    uint8_t status;         /* 1, 2, 3, or 0 for anything else */
    /* contribution aggregates (kept rows only) */
    int32_t last_paid;      /* YYYYMM, 0 when never paid */
    int32_t person;         /* filled by the resolve stage, -1 before */
    int64_t sum12;          /* cents paid for periods A-11..A */
} sib_enrollment;

typedef struct sib_population {
    int64_t id;
    const char *id_number, *name, *gender, *town_code;
    int32_t birth_date;     /* YYYYMMDD, 0 when NULL */
    int32_t deceased_on;    /* YYYYMMDD, 0 when NULL */
    uint8_t in_school;      /* 1 when true */
    uint8_t state;          /* SIB_ROW_USABLE or SIB_ROW_REJECTED */
    uint8_t reason;
    int32_t person;         /* filled by the resolve stage, -1 before */
} sib_population;

/* A contribution row sibatch could not use, kept for sibatch.reject. */
enum { SIB_CREJ_NULL_ID = 1, SIB_CREJ_NULL_PERIOD = 2 };

typedef struct sib_contrib_reject {
    int64_t enrollment_id;  /* 0 when NULL */
    int32_t period;         /* raw period (0 when NULL) */
    uint8_t reason;
    uint8_t nulls;          /* SIB_CREJ_NULL_*: which of the two were NULL */
    int32_t paid_on;        /* YYYYMMDD or 0 */
    int64_t amount;         /* employer + personal, cents */
} sib_contrib_reject;

typedef struct sib_source {
    int as_of;                      /* YYYYMM */
    sib_employer *emp; size_t nemp;
    sib_enrollment *enr; size_t nenr;
    sib_months *paid;               /* per enrollment: paid months of its kept rows
                                       (NULL after sib_source_drop_paid) */
    sib_population *pop; size_t npop;
    sib_contrib_reject *crej; size_t ncrej, capcrej;
    /* counts */
    long contrib_rows, contrib_kept, contrib_out_of_scope, contrib_not_started;
    long rejects[3][SIB_REJ_COUNT];  /* [0] enrollment, [1] contribution, [2] population */
    long emp_warn_credit, emp_warn_town, emp_warn_risk;
    char snapshot_id[64], txid_snapshot[256], server_version[32];
    /* private */
    struct sib_arena *arena;
    struct sib_i64map *emp_map, *enr_map;
    struct sib_enr_seg *enr_segs;   /* dense id runs -> index (else enr_map) */
    int nenr_segs;
} sib_source;

enum { SIB_TABLE_ENROLLMENT = 0, SIB_TABLE_CONTRIBUTION = 1, SIB_TABLE_POPULATION = 2 };

/* Opens one snapshot on db (a REPEATABLE READ transaction left open until
 * sib_source_finish) and reads the rolls: employers, enrollments (classified
 * per §1) and the population base. `stop` is polled: non-zero stops the read
 * with an error. */
sib_source *sib_source_open(sib_db *db, int as_of, volatile sig_atomic_t *stop, sib_error *err);
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
 * kept (enrollment, month) whose month passes want(). */
typedef void (*sib_kept_fn)(size_t enr, int month, int64_t cents, void *ud);
int sib_source_kept_amounts(sib_source *src, sib_db *db, const size_t *enr, size_t n,
                            sib_kept_fn fn, void *ud, sib_error *err);
/* Ends the snapshot transaction. Nothing reads the source tables after it,
 * so the enrollment id index is released (sib_source_enrollment_index then
 * answers -1). */
int sib_source_finish(sib_source *src, sib_db *db, sib_error *err);
/* Releases the per-enrollment paid months once dedup has folded them. */
void sib_source_drop_paid(sib_source *src);

/* The employer with this unit_id, or NULL. */
const sib_employer *sib_source_employer(const sib_source *src, int64_t unit_id);
/* Index of the enrollment with this id, or -1. */
long sib_source_enrollment_index(const sib_source *src, int64_t id);
void sib_source_free(sib_source *src);

/* Paid-month sets. */
int sib_months_add(sib_months *m, int as_of_idx, int month_idx);    /* 1 when newly set, 0 when already, -1 OOM */
int sib_months_has(const sib_months *m, int as_of_idx, int month_idx);
int sib_months_union(sib_months *dst, const sib_months *src);      /* SIB_ERR when OOM */
/* Calls fn for every month index in a ∩ b, in descending order. */
void sib_months_intersect(const sib_months *a, const sib_months *b, int as_of_idx,
                          void (*fn)(int month_idx, void *ud), void *ud);
void sib_months_clear(sib_months *m);

/* Parses a numeric text "−123.45" into cents; 0 for NULL. */
int64_t sib_parse_cents(const char *s);

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
