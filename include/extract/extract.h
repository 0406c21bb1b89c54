/*
 * extract.h — the extract stage: the three summary extracts (pension.csv.gz,
 * unemployment.csv.gz, injury.csv.gz; definitions.md §8) and the clearing
 * campaign's outreach lists (clearing/<town>.csv.gz, §9), written as
 * deterministic gzip CSV (§10) into a staging directory. Each file is written
 * under a temporary name, fsynced and renamed; the caller publishes the
 * directory.
 */
#ifndef SIB_EXTRACT_EXTRACT_H
#define SIB_EXTRACT_EXTRACT_H

#include <stdint.h>

#include "clearing/clearing.h"
#include "common/config.h"
#include "dedup/dedup.h"
#include "read/source.h"

#define SIB_MAX_FILES 64

typedef struct sib_file_entry {
    char path[64];              /* relative to the run directory */
    uint64_t rows, bytes;       /* data rows (without the header), compressed bytes */
    char sha256[65];
} sib_file_entry;

/* Totals of one scheme over the extract rows (they add up to these). */
typedef struct sib_totals {
    long insured, contributing, lapsed, beneficiaries, duplicates, conflict, employers, project;
    int64_t refund, sum12;      /* cents */
} sib_totals;

typedef struct sib_extract_result {
    sib_file_entry files[SIB_MAX_FILES];
    size_t nfiles;
    sib_totals totals[SIB_NSCHEMES];
} sib_extract_result;

/* Everything the writers read. */
typedef struct sib_extract_input {
    const sib_source *src;
    const sib_dedup *dedup;
    const sib_persons *persons;
    const sib_flags *flags;
    const sib_config *cfg;
} sib_extract_input;

/* Writes the three extracts into dir (which exists). */
int sib_extract_write(const char *dir, const sib_extract_input *in, sib_extract_result *out,
                      sib_error *err);
/* Computes the totals without writing anything (dry runs). */
void sib_extract_totals(const sib_extract_input *in, sib_totals totals[SIB_NSCHEMES]);
/* Writes clearing/<town>.csv.gz for every configured town and unknown. */
int sib_extract_clearing(const char *dir, const sib_extract_input *in, sib_extract_result *out,
                         sib_error *err);
/* Formats cents as "1234.56" into buf (sib_cents_text, cut to cap). */
void sib_money(int64_t cents, char *buf, size_t cap);

#endif
