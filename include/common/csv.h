/*
 * csv.h — RFC 4180 CSV rows onto any byte sink (a sib_gz, a FILE, memory).
 *
 * Rules (definitions.md §10): fields separated by ',', rows ended by LF; a
 * field is quoted when it holds ',', '"', CR or LF, with '"' doubled; NULL is
 * an empty cell. Spreadsheet formula injection guard: a cell whose first
 * byte is '=', '+', '-' or '@' gets a leading '\'' (before quoting). The guard
 * is applied uniformly, to sib_csv_fieldf() too, so a negative number -5
 * is written '-5: the file rule says "any cell", and extract numbers are
 * never negative by construction.
 *
 *   sib_csv *csv = sib_csv_new(sib_gz_sink, gz);
 *   sib_csv_field(csv, "town_code"); ... sib_csv_end_row(csv, &err);
 *   sib_csv_fieldf(csv, "%ld", n);   ... sib_csv_end_row(csv, &err);
 *   sib_csv_flush(csv, &err);        before closing the sink
 *   sib_csv_free(csv);
 *
 * Output is buffered (64 KiB) and handed to the sink in large pieces, at
 * sib_csv_end_row() when the buffer is full and at sib_csv_flush().
 */
#ifndef SIB_COMMON_CSV_H
#define SIB_COMMON_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* A byte sink: write n bytes or return SIB_ERR with err set. */
typedef int (*sib_csv_write_fn)(void *ud, const void *buf, size_t n, sib_error *err);

typedef struct sib_csv sib_csv;

/* A writer onto write(ud, ...); NULL when out of memory. */
sib_csv *sib_csv_new(sib_csv_write_fn write, void *ud);
/* Appends one cell to the current row (NULL = empty cell). SIB_ERR only
 * when out of memory (also reported by the next sib_csv_end_row). */
int sib_csv_field(sib_csv *csv, const char *s);
/* Appends one printf-formatted cell (numbers, money "%.2f"). */
int sib_csv_fieldf(sib_csv *csv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Ends the row with LF; may hand the buffer to the sink. SIB_ERR when the
 * sink failed or memory ran out. */
int sib_csv_end_row(sib_csv *csv, sib_error *err);
/* Hands everything buffered to the sink (call before closing it). */
int sib_csv_flush(sib_csv *csv, sib_error *err);
/* Rows ended so far, the header row included. */
uint64_t sib_csv_rows(const sib_csv *csv);
/* 1 when a cell holding s is written with the guard (a leading '). */
int sib_csv_guarded(const char *s);
/* strcmp of two cells as they are written (guard included; NULL is ""). */
int sib_csv_guarded_cmp(const char *a, const char *b);
/* Releases csv without flushing; NULL is a no-op. */
void sib_csv_free(sib_csv *csv);

#endif
