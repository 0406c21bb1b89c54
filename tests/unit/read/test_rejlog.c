/* Unit tests: the rejected contribution rows kept in a temporary file (src/read/rejlog.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "read/rejlog.h"

static sib_contrib_reject rec(size_t i)
{
    return (sib_contrib_reject){ .enrollment_id = (int64_t)i * 7 + 1, .period = (int32_t)(200001 + i % 12),
                                 .reason = (uint8_t)(i % 9), .nulls = (uint8_t)(i % 4),
                                 .paid_on = (int32_t)(20000101 + i % 28), .amount = (int64_t)i * 100 - 5 };
}

typedef struct seen {
    size_t n, stop_at;
    int in_order;
    size_t base;            /* the first record's index */
} seen;

static int check(const sib_contrib_reject *r, void *ud, sib_error *err)
{
    seen *s = ud;
    sib_contrib_reject w = rec(s->base + s->n);
    if (r->enrollment_id != w.enrollment_id || r->period != w.period || r->reason != w.reason ||
        r->nulls != w.nulls || r->paid_on != w.paid_on || r->amount != w.amount)
        s->in_order = 0;
    s->n++;
    if (s->stop_at && s->n == s->stop_at)
        return sib_error_set(err, "stopped at %zu", s->n);
    return SIB_OK;
}

Test(unit_rejlog, records_come_back_in_order)
{
    sib_error err = { 0 };
    sib_rejlog *l = sib_rejlog_new(&err);
    cr_assert_not_null(l, "%s", err.msg);
    cr_assert_eq(sib_rejlog_count(l), 0);
    for (size_t i = 0; i < 100000; i++) {
        sib_contrib_reject r = rec(i);
        cr_assert_eq(sib_rejlog_add(l, &r, &err), SIB_OK, "%s", err.msg);
    }
    cr_assert_eq(sib_rejlog_count(l), 100000);
    seen s = { 0, 0, 1, 0 };
    cr_assert_eq(sib_rejlog_each(l, check, &s, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(s.n, 100000);
    cr_assert(s.in_order);
    /* writing after reading appends, and a second pass reads everything */
    sib_contrib_reject r = rec(100000);
    cr_assert_eq(sib_rejlog_add(l, &r, &err), SIB_OK, "%s", err.msg);
    s = (seen){ 0, 0, 1, 0 };
    cr_assert_eq(sib_rejlog_each(l, check, &s, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(s.n, 100001);
    cr_assert(s.in_order);
    sib_rejlog_free(l);
}

Test(unit_rejlog, append_moves_the_records)
{
    sib_error err = { 0 };
    sib_rejlog *a = sib_rejlog_new(&err), *b = sib_rejlog_new(&err);
    cr_assert(a && b, "%s", err.msg);
    for (size_t i = 0; i < 10; i++) {
        sib_contrib_reject r = rec(i);
        cr_assert_eq(sib_rejlog_add(i < 7 ? a : b, &r, &err), SIB_OK);
    }
    cr_assert_eq(sib_rejlog_append(a, b, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(sib_rejlog_count(a), 10);
    cr_assert_eq(sib_rejlog_count(b), 0);
    seen s = { 0, 0, 1, 0 };
    cr_assert_eq(sib_rejlog_each(a, check, &s, &err), SIB_OK);
    cr_assert_eq(s.n, 10);
    cr_assert(s.in_order);
    /* the emptied log starts again from nothing */
    sib_contrib_reject r = rec(20);
    cr_assert_eq(sib_rejlog_add(b, &r, &err), SIB_OK);
    s = (seen){ 0, 0, 1, 20 };
    cr_assert_eq(sib_rejlog_each(b, check, &s, &err), SIB_OK);
    cr_assert_eq(s.n, 1);
    cr_assert(s.in_order);
    sib_rejlog_free(a);
    sib_rejlog_free(b);
}

Test(unit_rejlog, a_failing_callback_stops_the_pass)
{
    sib_error err = { 0 };
    sib_rejlog *l = sib_rejlog_new(&err);
    cr_assert_not_null(l);
    for (size_t i = 0; i < 20; i++) {
        sib_contrib_reject r = rec(i);
        sib_rejlog_add(l, &r, &err);
    }
    seen s = { 0, 5, 1, 0 };
    cr_assert_eq(sib_rejlog_each(l, check, &s, &err), SIB_ERR);
    cr_assert_eq(s.n, 5);
    cr_assert_str_eq(err.msg, "stopped at 5");
    sib_rejlog_free(l);
    sib_rejlog_free(NULL);
    cr_assert_eq(sib_rejlog_count(NULL), 0);
}

Test(unit_rejlog, no_temporary_directory_is_a_clear_error)
{
    const char *old = getenv("TMPDIR");
    char *keep = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent/sibatch-test", 1);
    sib_error err = { 0 };
    sib_rejlog *l = sib_rejlog_new(&err);
    if (keep) {
        setenv("TMPDIR", keep, 1);
        free(keep);
    } else {
        unsetenv("TMPDIR");
    }
    cr_assert_null(l);
    cr_assert(strstr(err.msg, "/nonexistent/sibatch-test"), "%s", err.msg);
}
