/*
 * manifest.h — manifest.json, the last file of a run: what was published
 * (every file with rows, bytes and SHA-256), from which data (the snapshot
 * and the source row counts), with which thresholds, and the run's totals
 * (per scheme, dedup, conflicts, clearing, rejects by reason).
 *
 * A rerun of the same month on the same data gives the same manifest except
 * for the fields named in SIB_MANIFEST_VOLATILE (documented in the README).
 */
#ifndef SIB_MANIFEST_MANIFEST_H
#define SIB_MANIFEST_MANIFEST_H

#include <stdint.h>

#include "clearing/clearing.h"
#include "dedup/conflict.h"
#include "extract/extract.h"

#define SIB_MANIFEST_FORMAT 1
#define SIB_MANIFEST_VOLATILE "run_id, started_at, finished_at, snapshot"

/* Counts of the resolve stage. */
typedef struct sib_resolve_stats {
    long persons, keyed, unresolved;
    long links[4];              /* exact, normalized, probable, unresolved */
    long review;
    long id_status[8];          /* by sib_id_status of the record's own ID */
} sib_resolve_stats;

typedef struct sib_manifest_input {
    int64_t run_id;
    int as_of;
    char started_at[32], finished_at[32];
    const sib_config *cfg;
    const sib_source *src;
    const sib_dedup *dedup;
    const sib_conflicts *conflicts;
    const sib_flags *flags;
    const sib_campaign *campaign;
    const sib_resolve_stats *resolve;
    const sib_extract_result *extract;   /* files (may have nfiles 0 for a dry run) and totals */
    long source_rows[4];                 /* employer, enrollment, contribution, population */
    long emp_warn_credit, emp_warn_town, emp_warn_risk;
} sib_manifest_input;

/* The manifest as JSON text (malloc'd, caller frees); NULL when out of memory. */
char *sib_manifest_json(const sib_manifest_input *in);
/* Writes json (from sib_manifest_json) to dir/manifest.json atomically, mode
 * 0640, with a final newline; sha256 (may be NULL) of what was written. */
int sib_manifest_write(const char *dir, const char *json, char sha256[65], sib_error *err);

#endif
