/*
 * copybin.h — rows for COPY ... FROM STDIN (FORMAT binary): PostgreSQL's
 * binary COPY layout, each value in network byte order as the type's
 * _recv function reads it. The server then parses no text: about a fifth
 * less of its COPY time for a table of numbers (docs/performance.md).
 *
 *   sib_bin_header(&b);
 *   sib_bin_row(&b, 3); sib_bin_int8(&b, id); sib_bin_text(&b, name); sib_bin_money(&b, cents);
 *   ...
 *   sib_bin_trailer(&b);
 *
 * Every function appends to b; an append that fails sets b->failed (check
 * once a row, as with sib_buf).
 */
#ifndef SIB_COMMON_COPYBIN_H
#define SIB_COMMON_COPYBIN_H

#include <stdint.h>
#include "common/db.h"

void sib_bin_header(sib_buf *b);                    /* signature, flags, extension */
void sib_bin_trailer(sib_buf *b);
void sib_bin_row(sib_buf *b, int nfields);
void sib_bin_null(sib_buf *b);
void sib_bin_int4(sib_buf *b, int32_t v);           /* integer */
void sib_bin_int8(sib_buf *b, int64_t v);           /* bigint */
/* The same where 0 means "none" (an absent employer, a month never paid): 0 writes a null. */
void sib_bin_int4_or_null(sib_buf *b, int32_t v);
void sib_bin_int8_or_null(sib_buf *b, int64_t v);
void sib_bin_bool(sib_buf *b, int v);               /* boolean */
void sib_bin_text(sib_buf *b, const char *s);       /* text (UTF-8); NULL writes a null */
void sib_bin_money(sib_buf *b, int64_t cents);      /* numeric with 2 decimals */
void sib_bin_date(sib_buf *b, int32_t yyyymmdd);    /* date of a valid YYYYMMDD; 0 writes a null */

#endif
