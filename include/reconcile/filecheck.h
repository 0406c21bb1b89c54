/*
 * filecheck.h — one pass over a published gzip file: its size, its SHA-256,
 * whether every gzip member inflates to its end with a good CRC and length,
 * and the decompressed bytes handed to a CSV reader (reconcile's file checks).
 */
#ifndef SIB_RECONCILE_FILECHECK_H
#define SIB_RECONCILE_FILECHECK_H

#include <stdint.h>

#include "common/error.h"
#include "reconcile/csvread.h"

typedef struct sib_filecheck {
    uint64_t bytes;             /* size of the file as read */
    char sha256[65];            /* of the file as read, lower-case hex */
    int gzip_ok;                /* 1 when the gzip stream(s) are intact */
    char gzip_error[160];       /* why not, when gzip_ok is 0 */
    uint64_t raw_bytes;         /* decompressed bytes */
    int csv_ok;                 /* 1 when the CSV ended cleanly (csv given and gzip_ok) */
    char csv_error[160];
} sib_filecheck;

/* Reads path once. The decompressed content goes to csv (may be NULL) until
 * the first gzip fault; sib_csvr_finish is called at the end. SIB_ERR (err
 * set) only when the file cannot be opened or read, or the CSV callback
 * failed; a damaged stream or CSV is reported in out, not as an error. */
int sib_filecheck_read(const char *path, sib_csvr *csv, sib_filecheck *out /* OUT */, sib_error *err);

#endif
