/*
 * Unit tests of the COPY text helpers of common/db: the buffer's number
 * appenders (the store formats millions of rows with them instead of
 * printf), field escaping, and splitting a line back into fields.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"

Test(unit_db, integers_match_printf)
{
    const int64_t v[] = { 0, 1, -1, 9, 10, -10, 202512, 2147483647, -2147483648LL, INT64_MAX, INT64_MIN };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sib_buf b = { 0 };
        char want[32];
        snprintf(want, sizeof want, "%" PRId64, v[i]);
        cr_assert_eq(sib_buf_int(&b, v[i]), SIB_OK);
        cr_assert_str_eq(b.data, want);
        sib_buf_free(&b);
    }
}

Test(unit_db, cents_match_the_money_format)
{
    const int64_t v[] = { 0, 5, -5, 10, 99, 100, -100, 71000, 123456789012, -123456789012 };
    const char *want[] = { "0.00", "0.05", "-0.05", "0.10", "0.99", "1.00", "-1.00", "710.00",
                           "1234567890.12", "-1234567890.12" };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sib_buf b = { 0 };
        cr_assert_eq(sib_buf_cents(&b, v[i]), SIB_OK);
        cr_assert_str_eq(b.data, want[i], "cents %" PRId64, v[i]);
        sib_buf_free(&b);
    }
    char t[SIB_CENTS_CAP];
    cr_assert_str_eq(sib_cents_text(INT64_MIN, t), "-92233720368547758.08");
    cr_assert_str_eq(sib_cents_text(INT64_MAX, t), "92233720368547758.07");
    /* random values against printf, appended one after another */
    sib_buf b = { 0 }, p = { 0 };
    srand(11);
    for (int i = 0; i < 20000; i++) {
        int64_t c = ((int64_t)rand() << 16 ^ rand()) - ((int64_t)RAND_MAX << 15);
        uint64_t a = c < 0 ? 0 - (uint64_t)c : (uint64_t)c;
        sib_buf_cents(&b, c);
        sib_buf_put(&b, "\t", 1);
        sib_buf_printf(&p, "%s%" PRIu64 ".%02" PRIu64 "\t", c < 0 ? "-" : "", a / 100, a % 100);
    }
    cr_assert_eq(b.len, p.len);
    cr_assert_str_eq(b.data, p.data);
    cr_assert_not(b.failed);
    sib_buf_free(&b);
    sib_buf_free(&p);
}

Test(unit_db, fields_escape_and_split_back)
{
    const char *fields[] = { "plain", "tab\there", "new\nline", "back\\slash", "cr\rx", NULL, "" };
    enum { N = sizeof fields / sizeof fields[0] };
    sib_buf b = { 0 };
    for (int i = 0; i < N; i++) {
        if (i)
            sib_buf_put(&b, "\t", 1);
        sib_copy_field(&b, fields[i]);
    }
    cr_assert_str_eq(b.data, "plain\ttab\\there\tnew\\nline\tback\\\\slash\tcr\\rx\t\\N\t");
    char *out[N + 1];
    cr_assert_eq(sib_copy_split(b.data, out, N + 1), N);
    for (int i = 0; i < N; i++) {
        if (fields[i] == NULL)
            cr_assert_null(out[i]);
        else
            cr_assert_str_eq(out[i], fields[i]);
    }
    sib_buf_free(&b);
}

Test(unit_db, growing_a_buffer_keeps_its_contents)
{
    sib_buf b = { 0 };
    for (int i = 0; i < 100000; i++)
        sib_buf_int(&b, i % 10);
    cr_assert_eq(b.len, 100000u);
    cr_assert_eq(b.data[99999], '9');
    cr_assert_eq(b.data[b.len], '\0');
    cr_assert_not(b.failed);
    sib_buf_free(&b);
}

Test(unit_db, parses_cents)
{
    cr_assert_eq(sib_parse_cents("123.45"), 12345);
    cr_assert_eq(sib_parse_cents("-0.50"), -50);
    cr_assert_eq(sib_parse_cents("7"), 700);
    cr_assert_eq(sib_parse_cents("7.5"), 750);
    cr_assert_eq(sib_parse_cents(NULL), 0);
    cr_assert_eq(sib_parse_cents("1.239"), 123, "two decimals read");
}

Test(unit_db, parses_whole_numbers)
{
    int ok = -1;
    cr_assert_eq(sib_parse_long("1000000001", &ok), 1000000001L);
    cr_assert_eq(ok, 1);
    cr_assert_eq(sib_parse_long("-42", &ok), -42);
    cr_assert_eq(ok, 1);
    cr_assert_eq(sib_parse_long("9000000000000000001", &ok), 9000000000000000001L, "19 digits: past the fast path");
    cr_assert_eq(ok, 1);
    sib_parse_long("12a", &ok);
    cr_assert_eq(ok, 0, "trailing junk");
    sib_parse_long("", &ok);
    cr_assert_eq(ok, 0, "empty");
    cr_assert_eq(sib_parse_long(NULL, &ok), 0);
    cr_assert_eq(ok, 0, "NULL");
}
