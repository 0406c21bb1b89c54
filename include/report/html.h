/*
 * html.h — the building blocks of the managers' page: HTML escaping, number
 * formats (thousands, 万), and hand-written inline SVG charts (horizontal
 * bars, stacked bars, progress bars, a line chart). Everything appends to a
 * sib_buf (common/db.h); charts scale to their container through viewBox, so
 * they stay readable on a phone and print on A4. No external resource.
 *
 * Every string drawn from data (town names, labels, reasons) goes through
 * sib_html_escape(); numbers are formatted here, never by callers' printf.
 * Functions return SIB_ERR only when memory runs out.
 */
#ifndef SIB_REPORT_HTML_H
#define SIB_REPORT_HTML_H

#include <stddef.h>

#include "common/db.h"

/* Appends s with & < > " ' escaped (valid in text and in quoted attributes);
 * NULL appends nothing. */
int sib_html_escape(sib_buf *b, const char *s);

/* 318500 -> "318,500"; -1234 -> "-1,234". */
void sib_fmt_int(long v, char *out, size_t cap);
/* Persons in 万 (10,000), exact, at least two decimals:
 * 308000 -> "30.80万", 55328 -> "5.5328万", 65000 -> "6.50万". */
void sib_fmt_wan(long v, char *out, size_t cap);
/* A money string of the manifest ("27646.41") with thousands separators
 * ("27,646.41"); SIB_ERR (out = "?") when s is not [-]digits[.digits]. */
int sib_fmt_money(const char *s, char *out, size_t cap);
/* Percentage with one decimal, "45.2%"; "–" when whole is 0. */
void sib_fmt_pct(double part, double whole, char *out, size_t cap);

/* Length of a bar for v on a scale where max fills len: 0 for v <= 0 or
 * max <= 0, len for v >= max, and at least 1.5 for any v > 0 so a small
 * non-zero value stays visible. */
double sib_svg_bar_len(double v, double max, double len);

/* Progress bar: a track up to max(target, current), the 2020 base as a
 * marker, the current value filled, base and target labelled. */
int sib_svg_progress(sib_buf *b, long base, long current, long target, const char *aria_label);

/* One row per label with two bars, each column on its own scale (a and b
 * have very different sizes, e.g. insured and lapsed persons). */
int sib_svg_dual_bars(sib_buf *b, const char *const *labels, const long *a, const long *bv,
                      size_t n, const char *a_title, const char *b_title,
                      const char *aria_label);

/* One stacked bar per label: values is n rows of nseg values; segment
 * colours in colors[nseg]; the row total is written at the bar's end. */
int sib_svg_stacked_bars(sib_buf *b, const char *const *labels, const long *values, size_t n,
                         size_t nseg, const char *const *colors, const char *aria_label);

/* Line chart of nseries series over npoints x labels; values is nseries rows
 * of npoints; a polyline, dots and value labels per series. */
int sib_svg_lines(sib_buf *b, const char *const *xlabels, size_t npoints,
                  const long *values, size_t nseries, const char *const *names,
                  const char *const *colors, const char *aria_label);

#endif
