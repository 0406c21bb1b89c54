/*
 * Unit tests of common/csv: RFC 4180 quoting, the spreadsheet guard,
 * buffering onto a sink, sink failures.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"

/* A memory sink; fail_after > 0 makes the nth call fail. */
typedef struct memsink {
    char *data;
    size_t len;
    int calls;
    int fail_at;
} memsink;

static int mem_write(void *ud, const void *buf, size_t n, sib_error *err)
{
    memsink *m = ud;
    m->calls++;
    if (m->fail_at && m->calls == m->fail_at)
        return sib_error_set(err, "sink full");
    char *p = realloc(m->data, m->len + n + 1);
    if (!p)
        return sib_error_set(err, "oom");
    memcpy(p + m->len, buf, n);
    m->data = p;
    m->len += n;
    m->data[m->len] = '\0';
    return SIB_OK;
}

/* Writes one row of the given cells and returns the sink's text. */
static char *one_row(const char *const *cells, size_t n)
{
    memsink m = { 0 };
    sib_error err = { 0 };
    sib_csv *csv = sib_csv_new(mem_write, &m);
    cr_assert_not_null(csv);
    for (size_t i = 0; i < n; i++)
        sib_csv_field(csv, cells[i]);
    cr_assert_eq(sib_csv_end_row(csv, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(sib_csv_flush(csv, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(sib_csv_rows(csv), 1);
    sib_csv_free(csv);
    return m.data;
}

Test(unit_csv, plain_and_quoted)
{
    const char *cells[] = {"350581001", "湖滨街道", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", NULL, ""};
    char *s = one_row(cells, 8);
    cr_assert_str_eq(s, "350581001,湖滨街道,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,\n");
    free(s);
}

Test(unit_csv, formula_guard_before_quoting)
{
    const char *cells[] = {"=SUM(A1)", "+86", "-3", "@cmd", "=a,b", "a=b", "'x", " =x"};
    char *s = one_row(cells, 8);
    cr_assert_str_eq(s, "'=SUM(A1),'+86,'-3,'@cmd,\"'=a,b\",a=b,'x, =x\n");
    free(s);
}

Test(unit_csv, fieldf_numbers_and_uniform_guard)
{
    memsink m = { 0 };
    sib_error err = { 0 };
    sib_csv *csv = sib_csv_new(mem_write, &m);
    sib_csv_fieldf(csv, "%ld", 318500L);
    sib_csv_fieldf(csv, "%.2f", 1234.5);
    sib_csv_fieldf(csv, "%d", -5);
    sib_csv_fieldf(csv, "%s", "x,y");
    /* longer than the small stack buffer */
    char big[300];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sib_csv_fieldf(csv, "%s", big);
    cr_assert_eq(sib_csv_end_row(csv, &err), SIB_OK);
    cr_assert_eq(sib_csv_flush(csv, &err), SIB_OK);
    char expect[400];
    snprintf(expect, sizeof expect, "318500,1234.50,'-5,\"x,y\",%s\n", big);
    cr_assert_str_eq(m.data, expect);
    sib_csv_free(csv);
    free(m.data);
}

Test(unit_csv, buffered_until_flush_and_rows_counted)
{
    memsink m = { 0 };
    sib_error err = { 0 };
    sib_csv *csv = sib_csv_new(mem_write, &m);
    sib_csv_field(csv, "h");
    sib_csv_end_row(csv, &err);
    cr_assert_eq(m.calls, 0, "a small row stays buffered");
    /* 20,000 rows of 10 bytes: the buffer is handed over in large pieces */
    for (int i = 0; i < 20000; i++) {
        sib_csv_fieldf(csv, "%08d", i);
        cr_assert_eq(sib_csv_end_row(csv, &err), SIB_OK);
    }
    cr_assert_eq(sib_csv_flush(csv, &err), SIB_OK);
    cr_assert_eq(sib_csv_rows(csv), 20001);
    cr_assert_eq(m.len, 2 + 20000 * 9);
    cr_assert_lt(m.calls, 10, "%d sink calls", m.calls);
    cr_assert_gt(m.calls, 1);
    cr_assert(strncmp(m.data + m.len - 9, "00019999\n", 9) == 0);
    sib_csv_free(csv);
    sib_csv_free(NULL);
    free(m.data);
}

Test(unit_csv, sink_failure_reported)
{
    memsink m = { .fail_at = 1 };
    sib_error err = { 0 };
    sib_csv *csv = sib_csv_new(mem_write, &m);
    sib_csv_field(csv, "x");
    cr_assert_eq(sib_csv_end_row(csv, &err), SIB_OK);
    cr_assert_eq(sib_csv_flush(csv, &err), SIB_ERR);
    cr_assert_str_eq(err.msg, "sink full");
    sib_csv_free(csv);
    free(m.data);
}

/* The order of two cells as written equals sib_csv_guarded_cmp's. */
Test(unit_csv, guarded_compare_orders_as_written)
{
    const char *v[] = { NULL, "", "'", "''", "=A", "'=A", "'A", "A", "+1", "-", "@x", "王五", "=王五", "'王五",
                        "\"", "&", "(", "==", "=", "-1", "'-1" };
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            char wa[16], wb[16];
            snprintf(wa, sizeof wa, "%s%s", sib_csv_guarded(v[i]) ? "'" : "", v[i] ? v[i] : "");
            snprintf(wb, sizeof wb, "%s%s", sib_csv_guarded(v[j]) ? "'" : "", v[j] ? v[j] : "");
            int want = strcmp(wa, wb), got = sib_csv_guarded_cmp(v[i], v[j]);
            cr_assert_eq(want < 0, got < 0, "%zu %zu", i, j);
            cr_assert_eq(want == 0, got == 0, "%zu %zu", i, j);
        }
    cr_assert(sib_csv_guarded("=1") && sib_csv_guarded("@") && !sib_csv_guarded("'=") && !sib_csv_guarded(NULL));
}
