/* csvread.c — streaming RFC 4180 reader (include/reconcile/csvread.h). */
#include "reconcile/csvread.h"

#include <stdlib.h>
#include <string.h>

/* Where the reader stands inside the current record. */
enum csvr_state {
    ST_FIELD_START,     /* at the start of a field */
    ST_UNQUOTED,        /* inside an unquoted field */
    ST_QUOTED,          /* inside a quoted field */
    ST_QUOTE_SEEN       /* a quote inside a quoted field: closing, or the first of "" */
};

struct sib_csvr {
    sib_csvr_record_fn fn;
    void *ud;
    enum csvr_state st;
    char *buf;              /* the current record's fields, each NUL-terminated */
    size_t len, cap;
    size_t *starts;         /* offset of each field in buf */
    int nfields, capfields;
    char **ptrs;            /* handed to fn */
    int capptrs;
    int pending_cr;         /* a CR seen at the end of an unquoted field */
    size_t records;
};

sib_csvr *sib_csvr_new(sib_csvr_record_fn fn, void *ud)
{
    sib_csvr *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fn = fn;
    r->ud = ud;
    r->st = ST_FIELD_START;
    return r;
}

void sib_csvr_free(sib_csvr *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r->starts);
    free(r->ptrs);
    free(r);
}

size_t sib_csvr_records(const sib_csvr *r)
{
    return r->records;
}

/* Appends one byte to the current field. */
static int put_byte(sib_csvr *r, char c, sib_error *err)
{
    if (r->len + 1 >= r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 256;
        char *nb = realloc(r->buf, ncap);
        if (!nb)
            return sib_error_set(err, "csv: out of memory");
        r->buf = nb;
        r->cap = ncap;
    }
    r->buf[r->len++] = c;
    return SIB_OK;
}

/* Starts a new field at the current end of buf. */
static int begin_field(sib_csvr *r, sib_error *err)
{
    if (r->nfields == r->capfields) {
        int ncap = r->capfields ? r->capfields * 2 : 16;
        size_t *ns = realloc(r->starts, (size_t)ncap * sizeof *ns);
        if (!ns)
            return sib_error_set(err, "csv: out of memory");
        r->starts = ns;
        r->capfields = ncap;
    }
    r->starts[r->nfields++] = r->len;
    return SIB_OK;
}

/* Ends the current field (NUL), dropping a CR held back at its end. */
static int end_field(sib_csvr *r, sib_error *err)
{
    r->pending_cr = 0;
    return put_byte(r, '\0', err);
}

/* Delivers the record and resets for the next one. */
static int end_record(sib_csvr *r, sib_error *err)
{
    if (r->capptrs < r->nfields) {
        char **np = realloc(r->ptrs, (size_t)r->nfields * sizeof *np);
        if (!np)
            return sib_error_set(err, "csv: out of memory");
        r->ptrs = np;
        r->capptrs = r->nfields;
    }
    for (int i = 0; i < r->nfields; i++)
        r->ptrs[i] = r->buf + r->starts[i];
    r->records++;
    int rc = r->fn ? r->fn(r->ptrs, r->nfields, r->ud, err) : SIB_OK;
    r->len = 0;
    r->nfields = 0;
    r->st = ST_FIELD_START;
    return rc;
}

int sib_csvr_feed(sib_csvr *r, const char *data, size_t n, sib_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        switch (r->st) {
        case ST_FIELD_START:
            if (begin_field(r, err) != SIB_OK)
                return SIB_ERR;
            if (c == '"') {
                r->st = ST_QUOTED;
                break;
            }
            r->st = ST_UNQUOTED;
            /* fall through: the byte belongs to an unquoted field */
            /* FALLTHROUGH */
        case ST_UNQUOTED:
            if (c == ',') {
                if (end_field(r, err) != SIB_OK)
                    return SIB_ERR;
                r->st = ST_FIELD_START;
            } else if (c == '\n') {
                if (r->pending_cr)
                    r->len--;       /* CRLF: the CR is not data */
                if (end_field(r, err) != SIB_OK || end_record(r, err) != SIB_OK)
                    return SIB_ERR;
            } else {
                if (put_byte(r, c, err) != SIB_OK)
                    return SIB_ERR;
                r->pending_cr = (c == '\r');
            }
            break;
        case ST_QUOTED:
            if (c == '"')
                r->st = ST_QUOTE_SEEN;
            else if (put_byte(r, c, err) != SIB_OK)
                return SIB_ERR;
            break;
        case ST_QUOTE_SEEN:
            if (c == '"') {             /* "" inside quotes: one quote */
                if (put_byte(r, '"', err) != SIB_OK)
                    return SIB_ERR;
                r->st = ST_QUOTED;
            } else if (c == ',') {
                if (end_field(r, err) != SIB_OK)
                    return SIB_ERR;
                r->st = ST_FIELD_START;
            } else if (c == '\n') {
                if (end_field(r, err) != SIB_OK || end_record(r, err) != SIB_OK)
                    return SIB_ERR;
            } else if (c == '\r') {
                r->pending_cr = 0;      /* "...",CRLF: wait for the LF */
            } else {                    /* lenient: text after the closing quote */
                if (put_byte(r, c, err) != SIB_OK)
                    return SIB_ERR;
                r->st = ST_UNQUOTED;
            }
            break;
        }
    }
    return SIB_OK;
}

int sib_csvr_finish(sib_csvr *r, sib_error *err)
{
    if (r->st == ST_QUOTED)
        return sib_error_set(err, "csv: input ends inside a quoted field of record %zu", r->records + 1);
    if (r->st == ST_FIELD_START && r->nfields == 0)
        return SIB_OK;              /* ended with LF, as it should */
    if (r->st == ST_UNQUOTED && r->pending_cr)
        r->len--;
    if (r->st == ST_FIELD_START && begin_field(r, err) != SIB_OK)
        return SIB_ERR;             /* "a,b," at the very end: empty last field */
    if (end_field(r, err) != SIB_OK)
        return SIB_ERR;
    return end_record(r, err);
}
