/* html.c — escaping, number formats and inline SVG charts (include/report/html.h). */
#include "report/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

/* Appends formatted text to b, remembering a failure in the local `bad`. */
#define P(...) (bad |= sib_buf_printf(b, __VA_ARGS__))
#define E(s) (bad |= sib_html_escape(b, s))

int sib_html_escape(sib_buf *b, const char *s)
{
    if (!s)
        return SIB_OK;
    int bad = 0;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *rep;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        bad |= sib_buf_put(b, run, (size_t)(p - run));
        bad |= sib_buf_puts(b, rep);
        run = p + 1;
    }
    bad |= sib_buf_puts(b, run);
    return bad ? SIB_ERR : SIB_OK;
}

/* Inserts ',' every three digits into the digit string d (no sign). */
static void group_digits(const char *d, char *out, size_t cap)
{
    size_t n = strlen(d), o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < cap)
            out[o++] = ',';
        out[o++] = d[i];
    }
    out[o < cap ? o : cap - 1] = '\0';
}

void sib_fmt_int(long v, char *out, size_t cap)
{
    char d[32], g[48];
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    snprintf(d, sizeof d, "%lu", u);
    group_digits(d, g, sizeof g);
    snprintf(out, cap, "%s%s", v < 0 ? "-" : "", g);
}

void sib_fmt_wan(long v, char *out, size_t cap)
{
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    char frac[8];
    snprintf(frac, sizeof frac, "%04lu", u % 10000);
    /* exact, but no trailing zeros beyond two decimals */
    for (int i = 3; i >= 2 && frac[i] == '0'; i--)
        frac[i] = '\0';
    snprintf(out, cap, "%s%lu.%s万", v < 0 ? "-" : "", u / 10000, frac);
}

int sib_fmt_money(const char *s, char *out, size_t cap)
{
    const char *p = s ? s : "";
    int neg = *p == '-';
    p += neg;
    size_t ni = strspn(p, "0123456789");
    const char *dot = p + ni;
    size_t nf = 0;
    if (*dot == '.')
        nf = strspn(dot + 1, "0123456789");
    if (ni == 0 || ni > 30 || (*dot != '\0' && (*dot != '.' || nf == 0 || dot[1 + nf] != '\0'))) {
        snprintf(out, cap, "?");
        return SIB_ERR;
    }
    char d[32], g[48];
    memcpy(d, p, ni);
    d[ni] = '\0';
    group_digits(d, g, sizeof g);
    snprintf(out, cap, "%s%s%s", neg ? "-" : "", g, *dot ? dot : "");
    return SIB_OK;
}

void sib_fmt_pct(double part, double whole, char *out, size_t cap)
{
    if (whole == 0) {
        snprintf(out, cap, "–");
        return;
    }
    snprintf(out, cap, "%.1f%%", 100.0 * part / whole);
}

double sib_svg_bar_len(double v, double max, double len)
{
    if (v <= 0 || max <= 0)
        return 0;
    if (v >= max)
        return len;
    double x = v / max * len;
    return x < 1.5 ? 1.5 : x;
}

/* A round axis maximum >= v: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power
 * of ten (quarters of it are still round numbers). */
static double nice_max(double v)
{
    if (v <= 0)
        return 1;
    double p = pow(10, floor(log10(v)));
    static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * p >= v)
            return steps[i] * p;
    return 10 * p;
}

int sib_svg_progress(sib_buf *b, long base, long current, long target, const char *aria_label)
{
    int bad = 0;
    const double W = 360, x0 = 2, len = 356;
    double span = (double)(target - base);
    double f = span > 0 ? (double)(current - base) / span : 0;
    double fill = f <= 0 ? 0 : f >= 1 ? len : f * len;
    char cur[48], bs[48], tg[48];
    sib_fmt_wan(current, cur, sizeof cur);
    sib_fmt_wan(base, bs, sizeof bs);
    sib_fmt_wan(target, tg, sizeof tg);
    P("<svg class=\"progress\" viewBox=\"0 0 %.0f 68\" role=\"img\" aria-label=\"", W);
    E(aria_label);
    P("\"><title>");
    E(aria_label);
    P("</title>");
    P("<rect x=\"%.1f\" y=\"22\" width=\"%.1f\" height=\"18\" rx=\"9\" fill=\"#e3e8ef\"/>", x0, len);
    if (fill > 0)
        P("<rect class=\"fill\" x=\"%.1f\" y=\"22\" width=\"%.1f\" height=\"18\" rx=\"9\" fill=\"%s\"/>",
          x0, fill < 18 ? 18 : fill, f >= 1 ? "#2e7d32" : "#1f5fa8");
    double cx = x0 + fill;
    const char *anchor = cx < 60 ? "start" : cx > W - 60 ? "end" : "middle";
    P("<text x=\"%.1f\" y=\"15\" text-anchor=\"%s\" font-size=\"14\" font-weight=\"600\" fill=\"#1b2a3a\">%s</text>",
      cx, anchor, cur);
    P("<text x=\"%.1f\" y=\"60\" font-size=\"14\" fill=\"#5b6675\">%s (2020)</text>", x0, bs);
    P("<text x=\"%.1f\" y=\"60\" text-anchor=\"end\" font-size=\"14\" fill=\"#5b6675\">%s (2025)</text>",
      x0 + len, tg);
    P("</svg>");
    return bad ? SIB_ERR : SIB_OK;
}

int sib_svg_dual_bars(sib_buf *b, const char *const *labels, const long *a, const long *bv,
                      size_t n, const char *a_title, const char *b_title,
                      const char *aria_label)
{
    int bad = 0;
    const double W = 520, row = 24, top = 26, lab = 150;
    const double ax = 154, alen = 154, bx = 372, blen = 88;
    long amax = 0, bmax = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] > amax)
            amax = a[i];
        if (bv[i] > bmax)
            bmax = bv[i];
    }
    double H = top + row * (double)n + 4;
    P("<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
    E(aria_label);
    P("\"><title>");
    E(aria_label);
    P("</title>");
    P("<text x=\"%.1f\" y=\"16\" font-size=\"12\" font-weight=\"600\" fill=\"#1f5fa8\">", ax);
    E(a_title);
    P("</text><text x=\"%.1f\" y=\"16\" font-size=\"12\" font-weight=\"600\" fill=\"#c0561b\">", bx);
    E(b_title);
    P("</text>");
    for (size_t i = 0; i < n; i++) {
        double y = top + row * (double)i;
        char va[32], vb[32];
        sib_fmt_int(a[i], va, sizeof va);
        sib_fmt_int(bv[i], vb, sizeof vb);
        double la = sib_svg_bar_len((double)a[i], (double)amax, alen);
        double lb = sib_svg_bar_len((double)bv[i], (double)bmax, blen);
        if (i % 2 == 0)
            P("<rect x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"#f5f7fa\"/>", y, W, row);
        P("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"13\" fill=\"#1b2a3a\">", lab - 4, y + 16.5);
        E(labels[i]);
        P("</text>");
        P("<rect class=\"bar a\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"2\" fill=\"#1f5fa8\"/>",
          ax, y + 5, la);
        P("<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1b2a3a\">%s</text>", ax + la + 4, y + 16.5, va);
        P("<rect class=\"bar b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"2\" fill=\"#e07b39\"/>",
          bx, y + 5, lb);
        P("<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1b2a3a\">%s</text>", bx + lb + 4, y + 16.5, vb);
    }
    P("</svg>");
    return bad ? SIB_ERR : SIB_OK;
}

int sib_svg_stacked_bars(sib_buf *b, const char *const *labels, const long *values, size_t n,
                         size_t nseg, const char *const *colors, const char *aria_label)
{
    int bad = 0;
    const double W = 600, row = 24, top = 4, lab = 150, bx = 156, blen = 380;
    long max = 0;
    for (size_t i = 0; i < n; i++) {
        long t = 0;
        for (size_t s = 0; s < nseg; s++)
            t += values[i * nseg + s];
        if (t > max)
            max = t;
    }
    double H = top + row * (double)n + 4;
    P("<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
    E(aria_label);
    P("\"><title>");
    E(aria_label);
    P("</title>");
    for (size_t i = 0; i < n; i++) {
        double y = top + row * (double)i;
        if (i % 2 == 0)
            P("<rect x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"#f5f7fa\"/>", y, W, row);
        P("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"13\" fill=\"#1b2a3a\">", lab - 4, y + 16.5);
        E(labels[i]);
        P("</text>");
        double x = bx;
        long t = 0;
        for (size_t s = 0; s < nseg; s++) {
            long v = values[i * nseg + s];
            t += v;
            if (v <= 0 || max <= 0)
                continue;
            double w = (double)v / (double)max * blen;
            P("<rect class=\"seg\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"14\" fill=\"%s\"/>",
              x, y + 5, w, colors[s]);
            x += w;
        }
        char vt[32];
        sib_fmt_int(t, vt, sizeof vt);
        P("<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1b2a3a\">%s</text>", x + 4, y + 16.5, vt);
    }
    P("</svg>");
    return bad ? SIB_ERR : SIB_OK;
}

int sib_svg_lines(sib_buf *b, const char *const *xlabels, size_t npoints,
                  const long *values, size_t nseries, const char *const *names,
                  const char *const *colors, const char *aria_label)
{
    int bad = 0;
    const double W = 560, H = 260, ml = 60, mr = 24, mt = 50, mb = 34;
    const double pw = W - ml - mr, ph = H - mt - mb;
    long vmax = 0;
    for (size_t i = 0; i < npoints * nseries; i++)
        if (values[i] > vmax)
            vmax = values[i];
    double ymax = nice_max((double)vmax * 1.1);
    P("<svg class=\"chart lines\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
    E(aria_label);
    P("\"><title>");
    E(aria_label);
    P("</title>");
    /* legend */
    double lx = ml;
    for (size_t s = 0; s < nseries; s++) {
        P("<rect x=\"%.1f\" y=\"8\" width=\"14\" height=\"4\" fill=\"%s\"/>", lx, colors[s]);
        P("<text x=\"%.1f\" y=\"15\" font-size=\"13\" fill=\"#1b2a3a\">", lx + 18);
        E(names[s]);
        P("</text>");
        lx += 44 + 7.0 * (double)strlen(names[s]);
    }
    /* grid and y axis */
    for (int k = 0; k <= 4; k++) {
        double y = mt + ph - ph * k / 4.0;
        char lab[32];
        sib_fmt_int(lround(ymax * k / 4.0), lab, sizeof lab);
        P("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>",
          ml, y, ml + pw, y, k == 0 ? "#8a94a3" : "#e3e8ef");
        P("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\" fill=\"#5b6675\">%s</text>",
          ml - 6, y + 4, lab);
    }
    double dx = npoints > 1 ? pw / (double)(npoints - 1) : 0;
    for (size_t i = 0; i < npoints; i++) {
        double x = npoints > 1 ? ml + dx * (double)i : ml + pw / 2;
        P("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" fill=\"#5b6675\">", x, H - 12,
          npoints > 1 && i == 0 ? "start" : npoints > 1 && i + 1 == npoints ? "end" : "middle");
        E(xlabels[i]);
        P("</text>");
    }
    for (size_t s = 0; s < nseries; s++) {
        P("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"",
          colors[s]);
        for (size_t i = 0; i < npoints; i++) {
            double x = npoints > 1 ? ml + dx * (double)i : ml + pw / 2;
            double y = mt + ph - ph * (double)values[s * npoints + i] / ymax;
            P("%s%.1f,%.1f", i ? " " : "", x, y);
        }
        P("\"/>");
        for (size_t i = 0; i < npoints; i++) {
            double x = npoints > 1 ? ml + dx * (double)i : ml + pw / 2;
            double y = mt + ph - ph * (double)values[s * npoints + i] / ymax;
            P("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", x, y, colors[s]);
        }
    }
    /* value labels above the dots, pushed apart where series meet */
    for (size_t i = 0; i < npoints; i++) {
        double x = npoints > 1 ? ml + dx * (double)i : ml + pw / 2;
        double ly[8];
        size_t order[8], ns = nseries < 8 ? nseries : 8;
        for (size_t s = 0; s < ns; s++) {
            ly[s] = mt + ph - ph * (double)values[s * npoints + i] / ymax - 8;
            order[s] = s;
        }
        for (size_t a = 1; a < ns; a++)         /* lowest label first */
            for (size_t k = a; k > 0 && ly[order[k]] > ly[order[k - 1]]; k--) {
                size_t t = order[k];
                order[k] = order[k - 1];
                order[k - 1] = t;
            }
        for (size_t k = 1; k < ns; k++)         /* move the higher ones up */
            if (ly[order[k - 1]] - ly[order[k]] < 15)
                ly[order[k]] = ly[order[k - 1]] - 15;
        const char *anchor = npoints == 1 ? "middle" : i == 0 ? "start" : i + 1 == npoints ? "end" : "middle";
        for (size_t s = 0; s < ns; s++) {
            char v[32];
            sib_fmt_int(values[s * npoints + i], v, sizeof v);
            P("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" font-weight=\"600\" fill=\"%s\">%s</text>",
              x, ly[s], anchor, colors[s], v);
        }
    }
    P("</svg>");
    return bad ? SIB_ERR : SIB_OK;
}
