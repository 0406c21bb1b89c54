/*
 * conflict.h — cross-scheme pension conflicts (重复参保, definitions.md §5):
 * months a person paid in resident pension (170) and in an employee scheme
 * (110 or 120) — refunded: the 170 personal contribution and collective
 * subsidy of every kept 170 row of the month — and months paid in both 110
 * and 120 (no refund; manual handling). Sets sib_ps.conflict and
 * sib_ps.refund on the dedup table.
 */
#ifndef SIB_DEDUP_CONFLICT_H
#define SIB_DEDUP_CONFLICT_H

#include "common/db.h"
#include "dedup/dedup.h"

enum sib_conflict_kind { SIB_CONFLICT_REFUND, SIB_CONFLICT_EMPLOYEE_INSTITUTION };

typedef struct sib_conflict_month {
    int32_t person;
    int32_t month;          /* YYYYMM */
    uint8_t kind;           /* enum sib_conflict_kind */
    int64_t refund;         /* cents (0 for employee_institution) */
} sib_conflict_month;

typedef struct sib_conflicts {
    sib_conflict_month *v;  /* sorted by (person, month, kind) */
    size_t n;
    long persons, refund_persons, ei_persons;
    long months;            /* distinct (person, month): a month both kinds list counts once */
    int64_t refund_total;   /* cents */
} sib_conflicts;

/* db must still be inside the read snapshot (refunds re-read 170 rows). */
int sib_conflict_run(sib_dedup *d, sib_source *src, sib_db *db, sib_conflicts **out /* OUT */,
                     sib_error *err);
void sib_conflicts_free(sib_conflicts *c);

#endif
