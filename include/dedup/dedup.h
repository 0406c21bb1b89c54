/*
 * dedup.h — the dedup stage: a person's enrollments in one scheme (after the
 * resolve stage set sib_enrollment.person) grouped into duplicate clusters,
 * each cluster's survivor, the person's record in the scheme, and the
 * per-person-and-scheme facts of definitions.md §3–§4 (insured, beneficiary,
 * months_unpaid, lapsed, contributing).
 *
 * Cross-scheme conflicts (§5) are filled in by conflict.h on the same table.
 */
#ifndef SIB_DEDUP_DEDUP_H
#define SIB_DEDUP_DEDUP_H

#include <stdint.h>

#include "common/config.h"
#include "common/error.h"
#include "read/source.h"

/* One person in one scheme. */
typedef struct sib_ps {
    int32_t person;
    int8_t scheme;              /* enum sib_scheme */
    int8_t risk_class;          /* 1..8 from the record's employer, 0 = unknown (410) */
    uint8_t insured, beneficiary, lapsed, contributing, project, conflict;
    int32_t record;             /* enrollment index of the person's record */
    int32_t last_paid;          /* P: YYYYMM, 0 when never paid */
    int32_t months_unpaid;      /* A − max(P, S − 1) */
    int32_t clusters, duplicates;
    int64_t sum12;              /* cents, periods A−11..A */
    int64_t refund;             /* cents refunded (170 rows only) */
    char town[10];              /* 9-digit code or "unknown" */
} sib_ps;

typedef struct sib_dedup {
    sib_ps *ps;                 /* sorted by (person, scheme) */
    size_t nps;
    /* paid months of the pension person-schemes that can conflict (persons
     * in two or more pension schemes), for the conflict stage; see sib_dedup_paid */
    sib_months *paid;
    size_t npaid;
    struct sib_i64map *paid_ix; /* ps index -> paid slot */
    int32_t *cluster;           /* per enrollment: cluster number, -1 when not usable */
    int32_t *survivor;          /* per enrollment: the survivor's enrollment index, -1 */
    long nclusters, nduplicates;
} sib_dedup;

/* deceased[p] is 1 for a person known deceased at the end of A (may be NULL).
 * The person-schemes are worked out on cfg->threads threads, in parts that
 * end where a person does; the result is the same for any number. */
int sib_dedup_run(const sib_source *src, size_t npersons, const uint8_t *deceased,
                  const sib_config *cfg, sib_dedup **out /* OUT */, sib_error *err);
/* The ps entries of a person: [*first, *first + *n). */
void sib_dedup_person(const sib_dedup *d, int32_t person, size_t *first, size_t *n);
/* The paid months of person-scheme ps (an empty set for a person in one
 * pension scheme only, who cannot conflict), until sib_dedup_drop_paid. */
const sib_months *sib_dedup_paid(const sib_dedup *d, size_t ps);
/* Releases the paid months once the conflict stage has read them. */
void sib_dedup_drop_paid(sib_dedup *d);
void sib_dedup_free(sib_dedup *d);

/* The ranking of §3's survivor rule: < 0 when enrollment a ranks before b. */
int sib_dedup_survivor_cmp(const sib_enrollment *a, const sib_enrollment *b, int as_of);
/* 1 when e is open at A (start <= A and (no end or end >= A)). */
int sib_dedup_open_at(const sib_enrollment *e, int as_of);

#endif
