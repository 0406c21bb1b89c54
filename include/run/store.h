/*
 * store.h — writes the run's detail into sibatch's "current" tables inside
 * the publishing transaction (TRUNCATE, then COPY): persons, enrollment and
 * population links with their evidence, duplicate clusters, the per-person
 * scheme facts, conflict months, the review list and the rejects.
 *
 * Two calls on one transaction: sib_store_resolution as soon as resolution
 * has ended (a run makes it while the contributions still stream in), then
 * sib_store_results once dedup and conflicts are done.
 */
#ifndef SIB_RUN_STORE_H
#define SIB_RUN_STORE_H

#include "clearing/clearing.h"
#include "common/db.h"
#include "dedup/conflict.h"
#include "dedup/dedup.h"
#include "read/source.h"
#include "resolve/resolve.h"

#include <signal.h>

/* Employer faults: warnings, counted, never rejects (definitions.md §1). */
enum { SIB_EMP_WARN_CREDIT = 1, SIB_EMP_WARN_TOWN = 2, SIB_EMP_WARN_RISK = 4 };

typedef struct sib_store_input {
    int64_t run_id;
    const sib_source *src;
    const sib_persons *persons;
    const sib_resolution *res;          /* per resolved record: how */
    const int32_t *rec_row;             /* per record: its enrollment row (the first nrecs_enr) or population row */
    size_t nrecs_enr;
    const int32_t *enr_rec;             /* per enrollment: its record, -1 when not resolved */
    const int32_t *pop_rec;             /* per population row: its record, -1 */
    const sib_resolver *resolver;       /* the review list */
    const sib_dedup *dedup;
    const sib_conflicts *conflicts;
    const uint8_t *emp_warn;            /* per employer: SIB_EMP_WARN_* bits */
    volatile sig_atomic_t *stop;        /* set by SIGINT/SIGTERM: stop at the next 4 MiB (may be NULL) */
} sib_store_input;

/* Empties the current tables, then stores persons, population links and the
 * review list (persons, resolutions and the resolver suffice) with their
 * indexes. */
int sib_store_resolution(sib_db *db, const sib_store_input *in, sib_error *err);

/* The rest, in three parts, each as soon as what it needs is computed (so
 * that the write connection works while dedup and conflicts run): the
 * rejects (the read suffices), the duplicate enrollments (dedup), then the
 * person-schemes and conflict months (dedup and conflicts), and the
 * indexes of all three parts. */
int sib_store_rejects(sib_db *db, const sib_store_input *in, sib_error *err);
int sib_store_duplicates(sib_db *db, const sib_store_input *in, sib_error *err);
int sib_store_schemes(sib_db *db, const sib_store_input *in, sib_error *err);

#endif
