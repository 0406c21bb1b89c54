/* month.c — month and date arithmetic, white-space trimming (include/common/month.h). */
#include "common/month.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sib_month_valid(long m)
{
    long y = m / 100, mo = m % 100;
    return y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12;
}

int sib_month_index(int yyyymm)
{
    return (yyyymm / 100) * 12 + (yyyymm % 100) - 1;
}

int sib_month_from_index(int idx)
{
    return (idx / 12) * 100 + idx % 12 + 1;
}

int sib_month_diff(int a, int b)
{
    return sib_month_index(a) - sib_month_index(b);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

int sib_month_last_day(int yyyymm)
{
    return yyyymm * 100 + days_in_month(yyyymm / 100, yyyymm % 100);
}

int sib_date_valid(long d)
{
    long y = d / 10000, m = d / 100 % 100, day = d % 100;
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && day >= 1 &&
           day <= days_in_month((int)y, (int)m);
}

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

/* The dates COPY writes outside years 1..9999: "-infinity", "infinity",
 * "YYYY-MM-DD BC", a year of five digits or more. 0 when s is none. */
static int date_beyond(const char *s)
{
    if (strcmp(s, "-infinity") == 0)
        return SIB_DATE_BEFORE_ALL;
    if (strcmp(s, "infinity") == 0)
        return SIB_DATE_AFTER_ALL;
    size_t y = 0;
    while (isdig(s[y]))
        y++;
    if (y < 4 || s[y] != '-' || !isdig(s[y + 1]) || !isdig(s[y + 2]) || s[y + 3] != '-' ||
        !isdig(s[y + 4]) || !isdig(s[y + 5]))
        return 0;
    if (strcmp(s + y + 6, " BC") == 0)
        return SIB_DATE_BEFORE_ALL;
    return y > 4 && s[y + 6] == '\0' ? SIB_DATE_AFTER_ALL : 0;
}

int sib_date_parse(const char *s)
{
    if (!s)
        return 0;
    if (strlen(s) != 10 || !isdig(s[0]) || !isdig(s[1]) || !isdig(s[2]) || !isdig(s[3]) || s[4] != '-' ||
        !isdig(s[5]) || !isdig(s[6]) || s[7] != '-' || !isdig(s[8]) || !isdig(s[9]))
        return date_beyond(s);
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    long v = (long)y * 10000 + m * 100 + d;
    return sib_date_valid(v) ? (int)v : 0;
}

int sib_age_years(int birth, int on)
{
    int age = on / 10000 - birth / 10000;
    if (on % 10000 < birth % 10000)
        age--;
    return age;
}

void sib_month_format(int yyyymm, char buf[8])
{
    unsigned y = (unsigned)(yyyymm / 100) % 10000u, m = (unsigned)(yyyymm % 100) % 100u;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '\0';
}

/* Length of the white-space character at p (UTF-8), 0 when none. The set is
 * Unicode's White_Space property. */
static size_t ws_len(const unsigned char *p)
{
    if (*p == ' ' || (*p >= 0x09 && *p <= 0x0d))
        return 1;
    if (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2;
    if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)          /* U+1680 */
        return 3;
    if (p[0] == 0xe2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
        return 3;                                               /* U+2000..200A, 2028, 2029, 202F */
    if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)           /* U+205F */
        return 3;
    if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)           /* U+3000 */
        return 3;
    return 0;
}

const char *sib_trim_ws(const char *s, size_t *len)
{
    if (!s) {
        *len = 0;
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    while (*p && (n = ws_len(p)) > 0)
        p += n;
    const unsigned char *end = p, *q = p;
    while (*q) {
        n = ws_len(q);
        if (n) {
            q += n;
        } else {
            q++;
            while ((*q & 0xc0) == 0x80)
                q++;
            end = q;
        }
    }
    *len = (size_t)(end - p);
    return (const char *)p;
}

size_t sib_utf8_count(const char *s, size_t n)
{
    size_t cps = 0;
    for (size_t i = 0; i < n; i++)
        cps += ((unsigned char)s[i] & 0xC0) != 0x80;     /* not a continuation byte */
    return cps;
}

int sib_blank(const char *s)
{
    size_t n;
    sib_trim_ws(s, &n);
    return n == 0;
}

int sib_trim_eq(const char *s, const char *lit)
{
    size_t n;
    const char *t = sib_trim_ws(s, &n);
    return t && n == strlen(lit) && memcmp(t, lit, n) == 0;
}
