/*
 * reconcile.h — prove that a published run's files say what the database
 * says (issue 6, `sibatch reconcile`).
 *
 * Checks, each recorded as one item (check, file, scheme, town, column,
 * expected, found, status):
 *   file    every file of the manifest exists; bytes, SHA-256 and data rows
 *           match the manifest; the gzip stream is intact; the as_of column
 *           holds the manifest's month.
 *   total   per scheme, the extract rows add up to the manifest's totals.
 *   run     the manifest's run is the latest published run of its month in
 *           sibatch.run, and the manifest's SHA-256 is the one recorded there.
 *   stored  per scheme and town: insured, contributing and lapsed persons and
 *           contributions_12m added up from sibatch.person_scheme (expected)
 *           against the extract rows (found).
 *   source  the same recounted from si_src with the stored identity
 *           (sql/reconcile.sql, source_recount) against the extract rows; for
 *           a column the extract does not carry (contributing persons of 410)
 *           the source recount against the stored one.
 * When the current tables do not hold the manifest's run (a later run was
 * published since), the stored and source checks are recorded as skipped.
 */
#ifndef SIB_RECONCILE_RECONCILE_H
#define SIB_RECONCILE_RECONCILE_H

#include <stddef.h>
#include <stdio.h>

#include "common/config.h"
#include "common/db.h"
#include "common/error.h"

enum sib_recon_status { SIB_RECON_MATCH, SIB_RECON_MISMATCH, SIB_RECON_SKIPPED };

typedef struct sib_recon_item {
    char check[8];          /* file | total | run | stored | source */
    char file[128];         /* manifest path of the file, or "" */
    char scheme[8];         /* 110 ... 410, or "" */
    char town[16];          /* 9-digit code, "unknown", or "" */
    char column[40];        /* extract column, or what was checked (sha256, bytes, gzip, ...) */
    char expected[168];
    char found[168];
    int status;             /* enum sib_recon_status */
} sib_recon_item;

typedef struct sib_recon sib_recon;

/* An empty result set; NULL when out of memory. */
sib_recon *sib_recon_new(void);
/* Frees it; NULL is a no-op. */
void sib_recon_free(sib_recon *r);

/* Runs every check of the manifest at manifest_path against db. cfg gives
 * the lapse thresholds when the manifest's "config" lacks them. SIB_ERR (err
 * set, nothing to report) when it cannot check at all: manifest unreadable
 * or malformed, a query failed. Mismatches are not errors: see mismatches(). */
int sib_recon_run(sib_recon *r, sib_db *db, const char *manifest_path, const sib_config *cfg,
                  sib_error *err);

size_t sib_recon_count(const sib_recon *r);
size_t sib_recon_mismatches(const sib_recon *r);
size_t sib_recon_skipped(const sib_recon *r);
const sib_recon_item *sib_recon_item_at(const sib_recon *r, size_t i);

/* The table (all items, or only mismatches and skipped ones when
 * problems_only) and a summary line. */
void sib_recon_print_text(const sib_recon *r, FILE *f, int problems_only);
/* The same as a JSON document (malloc'd, caller frees); NULL when out of memory. */
char *sib_recon_to_json(const sib_recon *r, int problems_only);

/* Adds an item (for the checks and for unit tests); SIB_ERR when out of memory. */
int sib_recon_add(sib_recon *r, const char *check, const char *file, const char *scheme,
                  const char *town, const char *column, const char *expected, const char *found,
                  int status);

/* Parses an extract number: an integer ("12") or money ("1234.50", "-0.10")
 * into *value (money in cents, integers as they are); *money says which.
 * SIB_ERR when s is neither. */
int sib_recon_parse_number(const char *s, long long *value, int *money);
/* Formats a value parsed above back into buf ("1234.50" or "12"). */
void sib_recon_format_number(long long value, int money, char *buf, size_t cap);

#endif
