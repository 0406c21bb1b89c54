/*
 * month.h — YYYYMM months, YYYYMMDD dates and Unicode white-space trimming,
 * the small arithmetic every stage shares (definitions.md, "Notation").
 */
#ifndef SIB_COMMON_MONTH_H
#define SIB_COMMON_MONTH_H

#include <stddef.h>

/* 1 when m is a valid YYYYMM (year 1000..9999, month 1..12). */
int sib_month_valid(long m);
/* Whole-month index y*12 + (m-1) of a valid YYYYMM. */
int sib_month_index(int yyyymm);
/* YYYYMM of a month index. */
int sib_month_from_index(int idx);
/* a - b in whole months (202512 - 202509 = 3). */
int sib_month_diff(int a, int b);
/* YYYYMMDD of the last day of month m. */
int sib_month_last_day(int yyyymm);
/* 1 when d is a real calendar day YYYYMMDD (years 1..9999). */
int sib_date_valid(long yyyymmdd);
/* Parses a date as COPY sends it (DateStyle ISO: "YYYY-MM-DD") into
 * YYYYMMDD; 0 for NULL or junk. PostgreSQL's dates beyond four-digit years
 * keep their order: "-infinity" and dates BC give SIB_DATE_BEFORE_ALL,
 * "infinity" and years past 9999 SIB_DATE_AFTER_ALL; sib_date_valid is
 * false for both (no age, no birth date to compare). */
enum { SIB_DATE_BEFORE_ALL = 1, SIB_DATE_AFTER_ALL = 99999999 };
int sib_date_parse(const char *s);
/* Completed years at day `on` of someone born on `birth` (both YYYYMMDD). */
int sib_age_years(int birth, int on);
/* Formats YYYYMM as "YYYY-MM" into buf (8 bytes). */
void sib_month_format(int yyyymm, char buf[8]);

/* Skips Unicode White_Space at both ends of s (UTF-8, NUL-terminated):
 * returns the start and sets *len to the trimmed length. NULL stays NULL. */
const char *sib_trim_ws(const char *s, size_t *len);
/* 1 when s is NULL or only white space. */
int sib_blank(const char *s);
/* Number of code points in the n bytes of UTF-8 at s. */
size_t sib_utf8_count(const char *s, size_t n);
/* 1 when the trimmed s equals lit. */
int sib_trim_eq(const char *s, const char *lit);

#endif
