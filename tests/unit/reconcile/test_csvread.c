/* Unit tests of the streaming CSV reader (src/reconcile/csvread.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "reconcile/csvread.h"

/* Collects records as "f1|f2|..." lines joined by '\n'. */
typedef struct collect {
    char out[2048];
    size_t len;
} collect;

static int collect_fn(char **f, int nf, void *ud, sib_error *err)
{
    (void)err;
    collect *c = ud;
    for (int i = 0; i < nf; i++)
        c->len += (size_t)snprintf(c->out + c->len, sizeof c->out - c->len, "%s%s", i ? "|" : "", f[i]);
    c->len += (size_t)snprintf(c->out + c->len, sizeof c->out - c->len, "\n");
    return SIB_OK;
}

/* Feeds s in chunks of chunk bytes and finishes; returns the finish status. */
static int parse(const char *s, size_t chunk, collect *c, size_t *records)
{
    sib_error err = { 0 };
    sib_csvr *r = sib_csvr_new(collect_fn, c);
    cr_assert_not_null(r);
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i += chunk) {
        size_t k = n - i < chunk ? n - i : chunk;
        cr_assert_eq(sib_csvr_feed(r, s + i, k, &err), SIB_OK);
    }
    int rc = sib_csvr_finish(r, &err);
    *records = sib_csvr_records(r);
    sib_csvr_free(r);
    return rc;
}

Test(unit_csvread, quoted_fields_any_chunking)
{
    const char *in = "a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\n";
    const char *want = "a|b|c\nx,1|say \"hi\"|two\nlines\n||\n";
    for (size_t chunk = 1; chunk <= strlen(in); chunk++) {
        collect c = { 0 };
        size_t recs = 0;
        cr_assert_eq(parse(in, chunk, &c, &recs), SIB_OK, "chunk %zu", chunk);
        cr_assert_eq(recs, 3, "chunk %zu: %zu records", chunk, recs);
        cr_assert_str_eq(c.out, want, "chunk %zu", chunk);
    }
}

Test(unit_csvread, crlf_and_missing_last_newline)
{
    collect c = { 0 };
    size_t recs = 0;
    cr_assert_eq(parse("h1,h2\r\n1,\"2\"\r\n3,4", 3, &c, &recs), SIB_OK);
    cr_assert_eq(recs, 3);
    cr_assert_str_eq(c.out, "h1|h2\n1|2\n3|4\n");
}

Test(unit_csvread, utf8_and_guard_prefix_kept)
{
    collect c = { 0 };
    size_t recs = 0;
    cr_assert_eq(parse("350581001,湖滨街道,'=王五\n", 5, &c, &recs), SIB_OK);
    cr_assert_str_eq(c.out, "350581001|湖滨街道|'=王五\n");
}

Test(unit_csvread, unterminated_quote_is_an_error)
{
    collect c = { 0 };
    size_t recs = 0;
    cr_assert_eq(parse("a,b\n\"open,1\n2,3\n", 4, &c, &recs), SIB_ERR);
    cr_assert_eq(recs, 1);
}

Test(unit_csvread, counting_without_callback)
{
    sib_error err = { 0 };
    sib_csvr *r = sib_csvr_new(NULL, NULL);
    const char *in = "h\n\"a\nb\"\nc\n";
    cr_assert_eq(sib_csvr_feed(r, in, strlen(in), &err), SIB_OK);
    cr_assert_eq(sib_csvr_finish(r, &err), SIB_OK);
    cr_assert_eq(sib_csvr_records(r), 3);
    sib_csvr_free(r);
    sib_csvr_free(NULL);
}

static int stop_fn(char **f, int nf, void *ud, sib_error *err)
{
    (void)f; (void)nf; (void)ud;
    return sib_error_set(err, "stop");
}

Test(unit_csvread, callback_stops_the_reader)
{
    sib_error err = { 0 };
    sib_csvr *r = sib_csvr_new(stop_fn, NULL);
    cr_assert_eq(sib_csvr_feed(r, "a\nb\n", 4, &err), SIB_ERR);
    cr_assert_str_eq(err.msg, "stop");
    sib_csvr_free(r);
}
