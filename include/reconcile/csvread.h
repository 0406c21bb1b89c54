/*
 * csvread.h — a streaming RFC 4180 reader, the counterpart of the extract
 * writer: feed it bytes in chunks of any size, it calls back once per record
 * with the unquoted fields. Quoted fields may hold commas, doubled quotes, CR
 * and LF; records end with LF (a CR before it is dropped). Used by reconcile
 * to count and add up extract rows.
 */
#ifndef SIB_RECONCILE_CSVREAD_H
#define SIB_RECONCILE_CSVREAD_H

#include <stddef.h>

#include "common/error.h"

typedef struct sib_csvr sib_csvr;

/* Called for every record: nfields NUL-terminated fields, valid only during
 * the call (writable in place). Return SIB_OK to go on, SIB_ERR (err set) to
 * stop the reader. */
typedef int (*sib_csvr_record_fn)(char **fields, int nfields, void *ud, sib_error *err);

/* A reader calling fn (may be NULL: then it only counts); NULL when out of memory. */
sib_csvr *sib_csvr_new(sib_csvr_record_fn fn, void *ud);
/* Parses n more bytes. Lenient about stray quotes (a quote inside an
 * unquoted field, or text after a closing quote, is kept as text). SIB_ERR
 * only when fn stopped it or when out of memory. */
int sib_csvr_feed(sib_csvr *r, const char *buf, size_t n, sib_error *err);
/* End of input: a last record without LF is delivered; SIB_ERR (err names
 * the record) when the input ends inside a quoted field. */
int sib_csvr_finish(sib_csvr *r, sib_error *err);
/* Records delivered so far (the header row included). */
size_t sib_csvr_records(const sib_csvr *r);
/* Frees the reader; NULL is a no-op. */
void sib_csvr_free(sib_csvr *r);

#endif
