/* copybin.c — binary COPY rows (include/common/copybin.h). */
#include "common/copybin.h"

#include <string.h>

static void be16(sib_buf *b, int v)
{
    unsigned char t[2] = { (unsigned char)((unsigned)v >> 8), (unsigned char)v };
    sib_buf_put(b, (const char *)t, 2);
}

static void be32(sib_buf *b, int32_t v)
{
    uint32_t u = (uint32_t)v;
    unsigned char t[4] = { (unsigned char)(u >> 24), (unsigned char)(u >> 16), (unsigned char)(u >> 8),
                           (unsigned char)u };
    sib_buf_put(b, (const char *)t, 4);
}

void sib_bin_header(sib_buf *b)
{
    sib_buf_put(b, "PGCOPY\n\377\r\n\0", 11);
    be32(b, 0);
    be32(b, 0);
}

void sib_bin_trailer(sib_buf *b)
{
    be16(b, -1);
}

void sib_bin_row(sib_buf *b, int nfields)
{
    be16(b, nfields);
}

void sib_bin_null(sib_buf *b)
{
    be32(b, -1);
}

void sib_bin_int4(sib_buf *b, int32_t v)
{
    be32(b, 4);
    be32(b, v);
}

void sib_bin_int8(sib_buf *b, int64_t v)
{
    be32(b, 8);
    be32(b, (int32_t)((uint64_t)v >> 32));
    be32(b, (int32_t)(uint32_t)(uint64_t)v);
}

void sib_bin_int4_or_null(sib_buf *b, int32_t v)
{
    if (v)
        sib_bin_int4(b, v);
    else
        sib_bin_null(b);
}

void sib_bin_int8_or_null(sib_buf *b, int64_t v)
{
    if (v)
        sib_bin_int8(b, v);
    else
        sib_bin_null(b);
}

void sib_bin_bool(sib_buf *b, int v)
{
    be32(b, 1);
    sib_buf_put(b, v ? "\1" : "\0", 1);
}

void sib_bin_text(sib_buf *b, const char *s)
{
    if (!s) {
        sib_bin_null(b);
        return;
    }
    size_t n = strlen(s);
    be32(b, (int32_t)n);
    sib_buf_put(b, s, n);
}

/* numeric_recv's layout: ndigits, weight (of the first base-10000 digit),
 * sign, display scale, then the digits, most significant first. */
void sib_bin_money(sib_buf *b, int64_t cents)
{
    int neg = cents < 0;
    uint64_t u = neg ? 0 - (uint64_t)cents : (uint64_t)cents;
    uint64_t ip = u / 100;
    int frac = (int)(u % 100) * 100;
    int dig[6], nd = 0;         /* 2^63 / 100 has 17 decimal digits: 5 groups */
    while (ip) {
        dig[nd++] = (int)(ip % 10000);
        ip /= 10000;
    }
    int ndigits = nd + (frac ? 1 : 0);
    int weight = ndigits == 0 ? 0 : nd ? nd - 1 : -1;
    be32(b, 8 + 2 * ndigits);
    be16(b, ndigits);
    be16(b, weight);
    be16(b, neg ? 0x4000 : 0);
    be16(b, 2);
    for (int i = nd - 1; i >= 0; i--)
        be16(b, dig[i]);
    if (frac)
        be16(b, frac);
}

/* Days from 2000-01-01, PostgreSQL's date epoch. */
void sib_bin_date(sib_buf *b, int32_t yyyymmdd)
{
    if (yyyymmdd == 0) {
        sib_bin_null(b);
        return;
    }
    int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    be32(b, 4);
    be32(b, (int32_t)(era * 146097 + doe - 719468 - 10957));     /* 10957: 1970 -> 2000 */
}
