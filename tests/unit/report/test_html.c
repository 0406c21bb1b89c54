/*
 * Unit tests of report/html and report/model: escaping, number formats
 * (thousands, 万), bar geometry, SVG pieces, the extract CSV splitter, and
 * rendering the page from the fixture run (fixtures/report/).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/model.h"
#include "report/report.h"

/* Occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The number after attr=" at the n-th occurrence of key in s. */
static double attr_after(const char *s, const char *key, int nth, const char *attr)
{
    const char *p = s;
    for (int i = 0; i <= nth; i++) {
        p = strstr(p, key);
        cr_assert_not_null(p, "occurrence %d of %s", nth, key);
        p += strlen(key);
    }
    char pat[32];
    snprintf(pat, sizeof pat, " %s=\"", attr);
    const char *a = strstr(p, pat);
    cr_assert_not_null(a);
    return strtod(a + strlen(pat), NULL);
}

Test(unit_report, escape)
{
    sib_buf b = { 0 };
    cr_assert_eq(sib_html_escape(&b, "<script>alert('x')</script> & \"q\""), SIB_OK);
    cr_assert_str_eq(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    b.len = 0;
    sib_html_escape(&b, "湖滨街道");
    cr_assert_str_eq(b.data, "湖滨街道");
    b.len = 0;
    b.data[0] = '\0';
    sib_html_escape(&b, NULL);
    cr_assert_eq(b.len, 0);
    sib_buf_free(&b);
}

Test(unit_report, thousands)
{
    struct { long v; const char *s; } c[] = {
        { 0, "0" }, { 999, "999" }, { 1000, "1,000" }, { 318500, "318,500" },
        { 1234567, "1,234,567" }, { -1234, "-1,234" }, { -999, "-999" },
    };
    char out[32];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        sib_fmt_int(c[i].v, out, sizeof out);
        cr_assert_str_eq(out, c[i].s, "%ld", c[i].v);
    }
}

Test(unit_report, wan)
{
    struct { long v; const char *s; } c[] = {
        { 308000, "30.80万" }, { 318500, "31.85万" }, { 55328, "5.5328万" }, { 65000, "6.50万" },
        { 94000, "9.40万" }, { 106000, "10.60万" }, { 0, "0.00万" }, { 5, "0.0005万" },
        { 1234567, "123.4567万" }, { 311510, "31.151万" }, { -7000, "-0.70万" },
    };
    char out[48];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        sib_fmt_wan(c[i].v, out, sizeof out);
        cr_assert_str_eq(out, c[i].s, "%ld", c[i].v);
    }
}

Test(unit_report, money_and_pct)
{
    char out[64];
    cr_assert_eq(sib_fmt_money("27646.41", out, sizeof out), SIB_OK);
    cr_assert_str_eq(out, "27,646.41");
    sib_fmt_money("847205025.92", out, sizeof out);
    cr_assert_str_eq(out, "847,205,025.92");
    sib_fmt_money("0.00", out, sizeof out);
    cr_assert_str_eq(out, "0.00");
    sib_fmt_money("-1500", out, sizeof out);
    cr_assert_str_eq(out, "-1,500");
    const char *badv[] = { "", "abc", "1.2.3", "1.", ".5", "1,000.00", "<b>", NULL };
    for (size_t i = 0; i < sizeof badv / sizeof badv[0]; i++) {
        cr_assert_eq(sib_fmt_money(badv[i], out, sizeof out), SIB_ERR, "%s", badv[i] ? badv[i] : "NULL");
        cr_assert_str_eq(out, "?");
    }
    sib_fmt_pct(3500, 10500, out, sizeof out);
    cr_assert_str_eq(out, "33.3%");
    sib_fmt_pct(1, 0, out, sizeof out);
    cr_assert_str_eq(out, "–");
}

Test(unit_report, bar_lengths)
{
    cr_assert_float_eq(sib_svg_bar_len(0, 100, 200), 0, 1e-9);
    cr_assert_float_eq(sib_svg_bar_len(-5, 100, 200), 0, 1e-9);
    cr_assert_float_eq(sib_svg_bar_len(50, 100, 200), 100, 1e-9);
    cr_assert_float_eq(sib_svg_bar_len(100, 100, 200), 200, 1e-9);
    cr_assert_float_eq(sib_svg_bar_len(150, 100, 200), 200, 1e-9);
    cr_assert_float_eq(sib_svg_bar_len(0.1, 100, 200), 1.5, 1e-9, "tiny values stay visible");
    cr_assert_float_eq(sib_svg_bar_len(5, 0, 200), 0, 1e-9);
}

Test(unit_report, dual_bars_scaled_and_escaped)
{
    const char *labels[] = { "湖滨街道", "<b>&x", "未知" };
    long ins[] = { 1000, 500, 0 }, lap[] = { 10, 40, 20 };
    sib_buf b = { 0 };
    cr_assert_eq(sib_svg_dual_bars(&b, labels, ins, lap, 3, "参保 Insured", "中断 Lapsed", "t<1>"), SIB_OK);
    cr_assert_eq(count(b.data, "class=\"bar a\""), 3);
    cr_assert_eq(count(b.data, "class=\"bar b\""), 3);
    cr_assert(strstr(b.data, "<b>&x") == NULL, "label not escaped");
    cr_assert(strstr(b.data, "&lt;b&gt;&amp;x") != NULL);
    cr_assert(strstr(b.data, "t&lt;1&gt;") != NULL, "aria label escaped");
    /* column a: 1000 fills 154, 500 half; column b: 40 fills 88, 10 a quarter */
    cr_assert_float_eq(attr_after(b.data, "class=\"bar a\"", 0, "width"), 154.0, 0.05);
    cr_assert_float_eq(attr_after(b.data, "class=\"bar a\"", 1, "width"), 77.0, 0.05);
    cr_assert_float_eq(attr_after(b.data, "class=\"bar a\"", 2, "width"), 0.0, 0.05);
    cr_assert_float_eq(attr_after(b.data, "class=\"bar b\"", 0, "width"), 22.0, 0.05);
    cr_assert_float_eq(attr_after(b.data, "class=\"bar b\"", 1, "width"), 88.0, 0.05);
    cr_assert(strstr(b.data, ">1,000<") != NULL, "value label with separator");
    sib_buf_free(&b);
}

Test(unit_report, progress_fill)
{
    sib_buf b = { 0 };
    /* halfway from base to target: half the track (356) */
    sib_svg_progress(&b, 300000, 310000, 320000, "p");
    cr_assert_float_eq(attr_after(b.data, "class=\"fill\"", 0, "width"), 178.0, 0.05);
    cr_assert(strstr(b.data, "31.00万") != NULL);
    cr_assert(strstr(b.data, "30.00万 (2020)") != NULL);
    cr_assert(strstr(b.data, "32.00万 (2025)") != NULL);
    b.len = 0;
    sib_svg_progress(&b, 300000, 290000, 320000, "p");
    cr_assert(strstr(b.data, "class=\"fill\"") == NULL, "below the base: nothing filled");
    b.len = 0;
    sib_svg_progress(&b, 300000, 330000, 320000, "p");
    cr_assert_float_eq(attr_after(b.data, "class=\"fill\"", 0, "width"), 356.0, 0.05);
    cr_assert(strstr(b.data, "#2e7d32") != NULL, "reached: green");
    sib_buf_free(&b);
}

Test(unit_report, stacked_and_lines)
{
    const char *labels[] = { "A", "B" };
    long v[] = { 10, 30, 0, 0, 5, 5 };      /* 2 rows x 3 segments */
    const char *colors[] = { "#111", "#222", "#333" };
    sib_buf b = { 0 };
    sib_svg_stacked_bars(&b, labels, v, 2, 3, colors, "s");
    cr_assert_eq(count(b.data, "class=\"seg\""), 4, "zero segments are not drawn");
    /* row A total 40 = max fills 380: segments 95 and 285 */
    cr_assert_float_eq(attr_after(b.data, "class=\"seg\"", 0, "width"), 95.0, 0.01);
    cr_assert_float_eq(attr_after(b.data, "class=\"seg\"", 1, "width"), 285.0, 0.01);
    cr_assert(strstr(b.data, ">40<") != NULL && strstr(b.data, ">10<") != NULL, "row totals");
    b.len = 0;
    const char *x[] = { "2025-10", "2025-11", "2025-12" };
    long lv[] = { 100, 80, 60, 100, 10, 5 };
    const char *names[] = { "open", "opened" };
    sib_svg_lines(&b, x, 3, lv, 2, names, colors, "trend");
    cr_assert_eq(count(b.data, "<polyline"), 2);
    cr_assert_eq(count(b.data, "<circle"), 6);
    cr_assert(strstr(b.data, ">2025-11<") != NULL);
    sib_buf_free(&b);
}

Test(unit_report, csv_split)
{
    char line[] = "2025-12,350581001,\"湖滨,街道\",\"say \"\"hi\"\"\",'-5,'x,";
    char *f[10];
    cr_assert_eq(sib_report_csv_split(line, f, 10), 7);
    cr_assert_str_eq(f[2], "湖滨,街道");
    cr_assert_str_eq(f[3], "say \"hi\"");
    cr_assert_str_eq(f[4], "-5", "guard removed");
    cr_assert_str_eq(f[5], "'x", "a plain leading quote stays");
    cr_assert_str_eq(f[6], "");
    char bad1[] = "a,\"open";
    cr_assert_eq(sib_report_csv_split(bad1, f, 10), -1);
    char bad2[] = "a,\"x\"y";
    cr_assert_eq(sib_report_csv_split(bad2, f, 10), -1);
    char many[] = "1,2,3";
    cr_assert_eq(sib_report_csv_split(many, f, 2), -1);
}

Test(unit_report, txt_path)
{
    char out[64];
    sib_report_txt_path("out/2025-12/summary.html", out, sizeof out);
    cr_assert_str_eq(out, "out/2025-12/summary.txt");
    sib_report_txt_path("/tmp/x.htm", out, sizeof out);
    cr_assert_str_eq(out, "/tmp/x.txt");
    sib_report_txt_path("page", out, sizeof out);
    cr_assert_str_eq(out, "page.txt");
    cr_assert_eq(sib_report_txt_path("abcdefgh.html", out, 6), SIB_ERR);
}

Test(unit_report, model_from_fixture)
{
    sib_report_model *m = NULL;
    sib_error err = { 0 };
    cr_assert_eq(sib_report_model_load("fixtures/report/2025-12/manifest.json", &m, &err), SIB_OK, "%s", err.msg);
    cr_assert_str_eq(m->as_of, "2025-12");
    cr_assert_eq(m->ntowns, 11);
    cr_assert_str_eq(m->towns[0].code, "350581001");
    cr_assert_str_eq(m->towns[0].name, "湖滨街道");
    cr_assert_str_eq(m->towns[10].code, "unknown", "unknown last");
    const char *codes[] = { "110", "120", "170", "210", "410" };
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        char path[64];
        snprintf(path, sizeof path, "totals.%s.insured_persons", codes[s]);
        cr_assert_eq(m->sums.insured[s], sib_report_num(m->manifest, path, -1), "%s", path);
        snprintf(path, sizeof path, "totals.%s.lapsed_persons", codes[s]);
        cr_assert_eq(m->sums.lapsed[s], sib_report_num(m->manifest, path, -1), "%s", path);
    }
    /* trend: 2025-11 from the directory beside, then this month */
    cr_assert_eq(m->npoints, 2);
    cr_assert_str_eq(m->points[0].as_of, "2025-11");
    cr_assert_eq(m->points[0].open, 1500);
    cr_assert_str_eq(m->points[1].as_of, "2025-12");
    cr_assert_eq(m->points[1].closed, 446);
    cr_assert_str_eq(sib_report_town_name(m, "350581002"), "凤里街道");
    cr_assert_str_eq(sib_report_town_name(m, "999"), "999");

    sib_buf b = { 0 };
    cr_assert_eq(sib_report_render_html(m, &b), SIB_OK);
    cr_assert(strstr(b.data, "<html lang=\"zh-CN\">") != NULL);
    cr_assert(strstr(b.data, "data-key=\"headline.pension.insured\">311,500<") != NULL);
    cr_assert(strstr(b.data, "data-key=\"headline.pension.gap\">7,000<") != NULL);
    cr_assert(strstr(b.data, "class=\"banner\"") == NULL, "extracts agree with the manifest");
    cr_assert_eq(count(b.data, "http://") + count(b.data, "https://") + count(b.data, "<script") +
                 count(b.data, "<link") + count(b.data, "<img") + count(b.data, "url("), 0,
                 "self-contained: no external resource, no script");
    cr_assert_eq(count(b.data, "<polyline"), 3, "trend with two runs");

    /* a town name with markup is escaped; disagreeing sums raise the banner */
    snprintf(m->towns[0].name, sizeof m->towns[0].name, "<img src=x onerror=alert(1)>");
    m->sums.insured[SIB_S110] += 1;
    b.len = 0;
    cr_assert_eq(sib_report_render_html(m, &b), SIB_OK);
    cr_assert(strstr(b.data, "<img") == NULL);
    cr_assert(strstr(b.data, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
    cr_assert(strstr(b.data, "class=\"banner\"") != NULL);
    cr_assert(strstr(b.data, "totals.110.insured_persons: manifest 110,500, extracts 110,501") != NULL);
    b.len = 0;
    cr_assert_eq(sib_report_render_text(m, &b), SIB_OK);
    cr_assert(strstr(b.data, "311,500 persons (31.15万)") != NULL);
    cr_assert(strstr(b.data, "WARNING") != NULL);
    sib_buf_free(&b);
    sib_report_model_free(m);
    sib_report_model_free(NULL);
}

Test(unit_report, model_errors_name_the_file)
{
    sib_report_model *m = NULL;
    sib_error err = { 0 };
    cr_assert_eq(sib_report_model_load("fixtures/report/none/manifest.json", &m, &err), SIB_ERR);
    cr_assert_null(m);
    cr_assert(strstr(err.msg, "fixtures/report/none/manifest.json") != NULL, "%s", err.msg);
}
