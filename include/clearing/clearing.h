/*
 * clearing.h — the dynamic-clearing campaign (全民参保登记动态清零,
 * definitions.md §4, §6, §7): who is flagged at the as-of month (lapsed
 * contributors per scheme, uninsured people of the population base), and the
 * campaign state across nightly runs in sibatch.target (opened, refreshed,
 * closed as paid | enrolled | excluded).
 *
 *   sib_flags *f;     sib_clearing_flag(...)      — pure computation
 *   sib_campaign *c;  sib_campaign_load(...)      — open targets, reruns undone
 *                     sib_campaign_diff(c, f, ...) — what opens, stays, closes
 *                     sib_campaign_apply(c, ...)  — writes it (publishing txn)
 */
#ifndef SIB_CLEARING_CLEARING_H
#define SIB_CLEARING_CLEARING_H

#include <stdint.h>

#include "common/config.h"
#include "common/db.h"
#include "dedup/dedup.h"
#include "read/source.h"

enum sib_reason { SIB_REASON_LAPSED = 0, SIB_REASON_UNINSURED = 1 };
enum sib_resolution_kind { SIB_RES_NONE = 0, SIB_RES_PAID, SIB_RES_ENROLLED, SIB_RES_EXCLUDED };

/* What the run knows of each person, built by the pipeline. */
typedef struct sib_persons {
    size_t n;
    const char **ref;           /* person key, or UNRESOLVED-<source>-<id> */
    const char **key;           /* person key, or NULL when unresolved */
    int32_t *pop;               /* population index of the lowest pop_id row, -1 */
    uint8_t *deceased;          /* known deceased at the end of A */
    int32_t *birth;             /* YYYYMMDD: from the key, else the founding row */
} sib_persons;

/* One flagged target at the as-of month. */
typedef struct sib_flag {
    int32_t person;
    int8_t scheme;              /* enum sib_scheme; -1 for uninsured */
    uint8_t reason;             /* enum sib_reason */
    int32_t ps;                 /* dedup entry (lapsed), -1 */
    int32_t pop;                /* population index (uninsured), -1 */
    int32_t months_unpaid;      /* lapsed only */
    int32_t last_paid;          /* YYYYMM or 0 */
    int32_t first_flagged;      /* YYYYMM, set by sib_campaign_diff */
    char town[10];
} sib_flag;

typedef struct sib_flags {
    sib_flag *v;
    size_t n;
    long lapsed, uninsured, unresolved_population;
} sib_flags;

/* Lapsed targets from the dedup table and uninsured people from the
 * population base (§6), into *out. */
int sib_clearing_flag(const sib_source *src, const sib_dedup *d, const sib_persons *persons,
                      const sib_config *cfg, sib_flags **out /* OUT */, sib_error *err);
void sib_flags_free(sib_flags *f);
/* Aging buckets of lapsed targets by months unpaid, in order: "<3" (only
 * under a lapse threshold below 3), "3-5", "6-11", "12-23", "24+". */
enum { SIB_AGING_BUCKETS = 5 };
int sib_clearing_bucket_index(int months_unpaid);
const char *sib_clearing_bucket_name(int index);

typedef struct sib_campaign sib_campaign;

/* Counts of one town and insurance type ("" for uninsured) for run_count. */
typedef struct sib_campaign_count {
    char town[10];
    int8_t scheme;              /* -1 for uninsured */
    long open, opened, closed[4];
} sib_campaign_count;

/* Loads the open targets inside the publishing transaction on db. With
 * replace_from > 0, the published runs with as_of >= replace_from are undone
 * first (targets they opened removed, those they closed reopened) and marked
 * superseded by run_id; dry runs pass run_id 0 and nothing is written. */
int sib_campaign_load(sib_db *db, int64_t run_id, int replace_from, int dry_run,
                      sib_campaign **out /* OUT */, sib_error *err);
/* Compares the flagged set with the open targets: sets first_flagged on every
 * flag, decides each closing target's resolution, and counts by town/type. */
int sib_campaign_diff(sib_campaign *c, sib_flags *f, const sib_dedup *d, const sib_persons *persons,
                      const sib_source *src, sib_error *err);
/* Writes the changes (insert, refresh, close) and the run's counts. */
int sib_campaign_apply(sib_campaign *c, sib_db *db, int64_t run_id, int as_of,
                       const sib_flags *f, const sib_persons *persons, sib_error *err);
/* Totals after the diff. */
void sib_campaign_totals(const sib_campaign *c, long *open, long *opened, long closed[4]);
const sib_campaign_count *sib_campaign_counts(const sib_campaign *c, size_t *n);
const char *sib_resolution_name(int res);
void sib_campaign_free(sib_campaign *c);

#endif
