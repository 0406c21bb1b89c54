/*
 * source.h — the read stage: si_src in memory, read inside one consistent
 * snapshot (REPEATABLE READ, READ ONLY), with every row classified per
 * definitions.md §1 (usable, rejected with a reason, out of scope, not yet
 * started). This header holds the source and its rolls (employers,
 * enrollments, population); read/contrib.h streams the contributions into
 * the enrollments' aggregates, read/months.h keeps their paid months.
 *
 *   sib_source *src = sib_source_open(db, as_of, &stop_flag, &err);
 *   sib_contrib_read *r = sib_contrib_read_new(src, db, &(sib_read_opts){ 1, 4096, 0 }, &stop_flag, &err);
 *   sib_contrib_read_run(r, &err);
 *   sib_contrib_read_free(r);
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
#include "read/months.h"
#include "read/rejlog.h"

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

typedef struct sib_source {
    int as_of;                      /* YYYYMM */
    sib_employer *emp; size_t nemp;
    sib_enrollment *enr; size_t nenr;
    sib_months *paid;               /* per enrollment: paid months of its kept rows
                                       (NULL after sib_source_drop_paid) */
    sib_population *pop; size_t npop;
    sib_rejlog *crej;               /* contribution rows rejected, for sibatch.reject */
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

#endif
