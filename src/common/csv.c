/* csv.c — RFC 4180 writer with the spreadsheet guard (include/common/csv.h). */
#include "common/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_FLUSH_AT 65536

struct sib_csv {
    sib_csv_write_fn write;
    void *ud;
    char *buf;
    size_t len, cap;
    int row_fields;             /* cells in the current row */
    int oom;                    /* a field could not be appended */
    uint64_t rows;
};

sib_csv *sib_csv_new(sib_csv_write_fn write, void *ud)
{
    sib_csv *csv = calloc(1, sizeof *csv);
    if (!csv)
        return NULL;
    csv->write = write;
    csv->ud = ud;
    csv->cap = CSV_FLUSH_AT + 4096;
    csv->buf = malloc(csv->cap);
    if (!csv->buf) {
        free(csv);
        return NULL;
    }
    return csv;
}

void sib_csv_free(sib_csv *csv)
{
    if (!csv)
        return;
    free(csv->buf);
    free(csv);
}

uint64_t sib_csv_rows(const sib_csv *csv)
{
    return csv->rows;
}

/* Makes room for extra more bytes in the buffer. */
static int reserve(sib_csv *csv, size_t extra)
{
    if (csv->len + extra <= csv->cap)
        return SIB_OK;
    size_t ncap = csv->cap;
    while (csv->len + extra > ncap)
        ncap *= 2;
    char *p = realloc(csv->buf, ncap);
    if (!p)
        return SIB_ERR;
    csv->buf = p;
    csv->cap = ncap;
    return SIB_OK;
}

int sib_csv_guarded(const char *s)
{
    return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
}

int sib_csv_guarded_cmp(const char *a, const char *b)
{
    a = a ? a : "";
    b = b ? b : "";
    int ga = sib_csv_guarded(a), gb = sib_csv_guarded(b);
    if (ga == gb)
        return strcmp(a, b);
    /* one of them is written as '<text>: compare it with the quote in front */
    const char *other = ga ? b : a, *guarded = ga ? a : b;
    int c = (unsigned char)'\'' - (unsigned char)other[0];
    if (c == 0)
        c = strcmp(guarded, other + 1);
    return ga ? c : -c;
}

/* Appends one cell of n bytes: separator, guard, quoting. */
static int put_cell(sib_csv *csv, const char *s, size_t n)
{
    /* worst case: separator, 2 quotes, guard, every byte doubled */
    if (reserve(csv, 2 * n + 4) != SIB_OK) {
        csv->oom = 1;
        return SIB_ERR;
    }
    char *o = csv->buf + csv->len;
    if (csv->row_fields++ > 0)
        *o++ = ',';
    int guard = n > 0 && sib_csv_guarded(s);
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (quote)
        *o++ = '"';
    if (guard)
        *o++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *o++ = '"';
        *o++ = s[i];
    }
    if (quote)
        *o++ = '"';
    csv->len = (size_t)(o - csv->buf);
    return SIB_OK;
}

int sib_csv_field(sib_csv *csv, const char *s)
{
    return put_cell(csv, s ? s : "", s ? strlen(s) : 0);
}

int sib_csv_fieldf(sib_csv *csv, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        csv->oom = 1;
        return SIB_ERR;
    }
    if ((size_t)n < sizeof small)
        return put_cell(csv, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) {
        csv->oom = 1;
        return SIB_ERR;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = put_cell(csv, big, (size_t)n);
    free(big);
    return rc;
}

int sib_csv_flush(sib_csv *csv, sib_error *err)
{
    if (csv->len == 0)
        return SIB_OK;
    if (csv->write(csv->ud, csv->buf, csv->len, err) != SIB_OK)
        return SIB_ERR;
    csv->len = 0;
    return SIB_OK;
}

int sib_csv_end_row(sib_csv *csv, sib_error *err)
{
    if (csv->oom)
        return sib_error_set(err, "csv: out of memory building row %llu",
                             (unsigned long long)csv->rows + 1);
    if (reserve(csv, 1) != SIB_OK)
        return sib_error_set(err, "csv: out of memory");
    csv->buf[csv->len++] = '\n';
    csv->row_fields = 0;
    csv->rows++;
    if (csv->len >= CSV_FLUSH_AT)
        return sib_csv_flush(csv, err);
    return SIB_OK;
}
