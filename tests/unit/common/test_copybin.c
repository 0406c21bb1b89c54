/* Unit tests: common/copybin — binary COPY values, byte for byte as
 * PostgreSQL's _recv functions read them. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/copybin.h"

static void expect_bytes(sib_buf *b, const unsigned char *want, size_t n, const char *what)
{
    cr_assert_eq(b->len, n, "%s: %zu bytes, want %zu", what, b->len, n);
    cr_assert_eq(memcmp(b->data, want, n), 0, "%s", what);
    b->len = 0;
}

Test(unit_copybin, header_trailer_row_and_null)
{
    sib_buf b = { 0 };
    sib_bin_header(&b);
    expect_bytes(&b, (const unsigned char *)"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19, "header");
    sib_bin_trailer(&b);
    expect_bytes(&b, (const unsigned char[]){ 0xff, 0xff }, 2, "trailer");
    sib_bin_row(&b, 19);
    expect_bytes(&b, (const unsigned char[]){ 0, 19 }, 2, "field count");
    sib_bin_null(&b);
    sib_bin_text(&b, NULL);
    expect_bytes(&b, (const unsigned char[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 8, "nulls");
    sib_bin_int4_or_null(&b, 0);
    sib_bin_int8_or_null(&b, 0);
    sib_bin_date(&b, 0);
    expect_bytes(&b, (const unsigned char[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
                 12, "0 as none");
    sib_bin_int4_or_null(&b, 202512);
    sib_bin_int8_or_null(&b, 7);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 4, 0, 3, 0x17, 0x10, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7 }, 20,
                 "values as themselves");
    sib_buf_free(&b);
}

Test(unit_copybin, integers_booleans_and_text)
{
    sib_buf b = { 0 };
    sib_bin_int4(&b, -2);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe }, 8, "int4");
    sib_bin_int8(&b, 0x0102030405060708LL);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 }, 12, "int8");
    sib_bin_bool(&b, 7);
    sib_bin_bool(&b, 0);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 1, 1, 0, 0, 0, 1, 0 }, 10, "bools");
    sib_bin_text(&b, "石狮");
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 6, 0xe7, 0x9f, 0xb3, 0xe7, 0x8b, 0xae }, 10, "text");
    sib_buf_free(&b);
}

/* numeric: length, ndigits, weight, sign, dscale 2, base-10000 digits */
Test(unit_copybin, money_as_numeric)
{
    sib_buf b = { 0 };
    sib_bin_money(&b, 0);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 2 }, 12, "0.00");
    sib_bin_money(&b, 5);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 10, 0, 1, 0xff, 0xff, 0, 0, 0, 2, 0x01, 0xf4 }, 14,
                 "0.05: one digit 500 of weight -1");
    sib_bin_money(&b, 1234567);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 14, 0, 3, 0, 1, 0, 0, 0, 2, 0, 1, 0x09, 0x29, 0x1a, 0x2c },
                 18, "12345.67: 1 2345 .6700");
    sib_bin_money(&b, -1000000);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 12, 0, 2, 0, 1, 0x40, 0, 0, 2, 0, 1, 0, 0 }, 16,
                 "-10000.00: 1 0000, negative");
    sib_buf_free(&b);
}

Test(unit_copybin, date_as_days_from_2000)
{
    sib_buf b = { 0 };
    sib_bin_date(&b, 20000101);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 4, 0, 0, 0, 0 }, 8, "2000-01-01");
    sib_bin_date(&b, 19991231);
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff }, 8, "1999-12-31");
    sib_bin_date(&b, 20251231);     /* 26 years less a day, 7 of them leap: 26 * 365 + 7 - 1 */
    expect_bytes(&b, (const unsigned char[]){ 0, 0, 0, 4, 0, 0, 0x25, 0x18 }, 8, "2025-12-31");
    sib_buf_free(&b);
}
