/*
 * Integration tests of `sibatch report` (suite integ_report, no database):
 * runs the real binary on the fixture run (fixtures/report/), reads every
 * figure of the page back and compares it with the manifest, renders the
 * page in headless Chromium and checks the rendered DOM (headline numbers,
 * town names, chart elements); the screenshot is kept as
 * build/artifacts/summary.png.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/json.h"
#include "../support/testdb.h"

#define FIX12 "fixtures/report/2025-12/manifest.json"
#define FIX11 "fixtures/report/2025-11/manifest.json"

/* Occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Thousands separators, written independently of the product's formatter. */
static void commas(long v, char *out)
{
    char d[32];
    snprintf(d, sizeof d, "%ld", v < 0 ? -v : v);
    size_t n = strlen(d), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = d[i];
    }
    out[o] = '\0';
}

/* A node of the manifest at a dotted path. */
static const cJSON *node(const cJSON *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *n = root;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save))
        n = cJSON_GetObjectItemCaseSensitive(n, k);
    return n;
}

static long num(const cJSON *root, const char *path)
{
    const cJSON *n = node(root, path);
    cr_assert(cJSON_IsNumber(n), "manifest has no number at %s", path);
    return (long)n->valuedouble;
}

/* Insured persons of a headline group, summed from the manifest's totals. */
static long group_insured(const cJSON *man, const char *group)
{
    if (strcmp(group, "pension") == 0)
        return num(man, "totals.110.insured_persons") + num(man, "totals.120.insured_persons") +
               num(man, "totals.170.insured_persons");
    if (strcmp(group, "unemployment") == 0)
        return num(man, "totals.210.insured_persons");
    cr_assert_str_eq(group, "injury");
    return num(man, "totals.410.insured_persons");
}

/* The figure a data-key of the page must show, from the manifest alone;
 * writes it into want (as text without separators). */
static void expected(const cJSON *man, const char *key, char *want, size_t cap)
{
    char group[32], field[32];
    if (strcmp(key, "as_of") == 0) {
        snprintf(want, cap, "%s", cJSON_GetObjectItemCaseSensitive(man, "as_of")->valuestring);
    } else if (sscanf(key, "headline.%31[^.].%31s", group, field) == 2) {
        char p[64];
        long ins = group_insured(man, group);
        snprintf(p, sizeof p, "targets.%s.target", group);
        long target = num(man, p);
        if (strcmp(field, "insured") == 0)
            snprintf(want, cap, "%ld", ins);
        else if (strcmp(field, "gap") == 0)
            snprintf(want, cap, "%ld", target - ins);
        else if (strcmp(field, "above") == 0)
            snprintf(want, cap, "%ld", ins - target);
        else if (strcmp(field, "wan") == 0) {
            char f[32];
            snprintf(f, sizeof f, "%.4f", ins / 10000.0);
            size_t n = strlen(f);
            while (f[n - 1] == '0' && f[n - 3] != '.')
                f[--n] = '\0';
            snprintf(want, cap, "%s万", f);
        } else
            cr_assert_fail("unknown headline key %s", key);
    } else if (strcmp(key, "rejects.total") == 0) {
        long t = 0;
        const cJSON *tab, *r;
        cJSON_ArrayForEach(tab, node(man, "rejects")) cJSON_ArrayForEach(r, tab) t += (long)r->valuedouble;
        snprintf(want, cap, "%ld", t);
    } else if (strcmp(key, "clearing.closed") == 0) {
        snprintf(want, cap, "%ld", num(man, "clearing.closed.paid") + num(man, "clearing.closed.enrolled") +
                                       num(man, "clearing.closed.excluded"));
    } else {
        const cJSON *n = node(man, key);
        if (cJSON_IsNumber(n))
            snprintf(want, cap, "%ld", (long)n->valuedouble);
        else if (cJSON_IsString(n))
            snprintf(want, cap, "%s", n->valuestring);
        else
            snprintf(want, cap, "–");     /* absent in the manifest: a dash */
    }
}

/* Checks every data-key element of html against the manifest; returns how
 * many were checked. Separators are removed from the page's text. */
static int check_figures(const char *html, const cJSON *man)
{
    int n = 0;
    for (const char *p = html; (p = strstr(p, "data-key=\"")) != NULL;) {
        p += 10;
        const char *q = strchr(p, '"');
        char key[128], text[128], want[128];
        snprintf(key, sizeof key, "%.*s", (int)(q - p), p);
        const char *gt = strchr(q, '>'), *lt = strchr(gt, '<');
        size_t o = 0;
        for (const char *c = gt + 1; c < lt && o + 1 < sizeof text; c++)
            if (*c != ',')
                text[o++] = *c;
        text[o] = '\0';
        expected(man, key, want, sizeof want);
        cr_assert_str_eq(text, want, "page shows %s = '%s', manifest says '%s'", key, text, want);
        n++;
        p = lt;
    }
    return n;
}

/* Asserts that the page has an element for key. */
static void has_key(const char *html, const char *key)
{
    char pat[160];
    snprintf(pat, sizeof pat, "data-key=\"%s\"", key);
    cr_assert(strstr(html, pat) != NULL, "the page lacks %s", key);
}

Test(integ_report, figures_equal_the_manifest, .timeout = 60)
{
    char *dir = sibt_tmpdir("integ_report");
    char *out = NULL;
    int rc = sibt_run(&out, "report --manifest %s --out '%s/summary.html'", FIX12, dir);
    cr_assert_eq(rc, 0, "report failed: %s", out);
    free(out);
    char path[512];
    snprintf(path, sizeof path, "%s/summary.html", dir);
    char *html = sibt_read_file(path, NULL);
    cr_assert_not_null(html);
    sib_error err = { 0 };
    cJSON *man = sib_json_load(FIX12, &err);
    cr_assert_not_null(man, "%s", err.msg);

    int n = check_figures(html, man);
    cr_assert_gt(n, 150, "only %d figures checked", n);
    /* the figures that must be there */
    const char *groups[] = { "pension", "unemployment", "injury" };
    char k[128];
    for (int i = 0; i < 3; i++) {
        snprintf(k, sizeof k, "headline.%s.insured", groups[i]);
        has_key(html, k);
        snprintf(k, sizeof k, "headline.%s.wan", groups[i]);
        has_key(html, k);
        snprintf(k, sizeof k, "targets.%s.base", groups[i]);
        has_key(html, k);
        snprintf(k, sizeof k, "targets.%s.target", groups[i]);
        has_key(html, k);
    }
    const char *schemes[] = { "110", "120", "170", "210", "410" };
    for (int i = 0; i < 5; i++) {
        snprintf(k, sizeof k, "totals.%s.insured_persons", schemes[i]);
        has_key(html, k);
        snprintf(k, sizeof k, "totals.%s.lapsed_persons", schemes[i]);
        has_key(html, k);
        snprintf(k, sizeof k, "totals.%s.contributions_12m", schemes[i]);
        has_key(html, k);
    }
    const cJSON *t, *r;
    cJSON_ArrayForEach(t, node(man, "clearing.by_town")) {
        snprintf(k, sizeof k, "clearing.by_town.%s.open", t->string);
        has_key(html, k);
        snprintf(k, sizeof k, "clearing.by_town.%s.24+", t->string);
        has_key(html, k);
    }
    cJSON_ArrayForEach(t, node(man, "rejects")) cJSON_ArrayForEach(r, t) {
        snprintf(k, sizeof k, "rejects.%s.%s", t->string, r->string);
        has_key(html, k);
    }
    has_key(html, "clearing.open");
    has_key(html, "clearing.opened");
    has_key(html, "dedup.duplicate_enrollments");
    has_key(html, "conflicts.persons");
    has_key(html, "conflicts.refund_due");
    /* no pension headline gap key without its figure: the plan is not met */
    long ins = group_insured(man, "pension");
    cr_assert_lt(ins, num(man, "targets.pension.target"));
    has_key(html, "headline.pension.gap");

    /* the text summary carries the same headline numbers */
    snprintf(path, sizeof path, "%s/summary.txt", dir);
    char *txt = sibt_read_file(path, NULL);
    cr_assert_not_null(txt);
    for (int i = 0; i < 3; i++) {
        char v[32], p[64];
        commas(group_insured(man, groups[i]), v);
        cr_assert(strstr(txt, v) != NULL, "summary.txt lacks %s insured %s", groups[i], v);
        snprintf(p, sizeof p, "targets.%s.target", groups[i]);
        commas(num(man, p) - group_insured(man, groups[i]), v);
        cr_assert(strstr(txt, v) != NULL, "summary.txt lacks the %s gap %s", groups[i], v);
    }
    char v[32];
    commas(num(man, "clearing.open"), v);
    cr_assert(strstr(txt, v) != NULL);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640);
    free(txt);
    cJSON_Delete(man);
    free(html);
    sibt_rmtree(dir);
    free(dir);
}

/* Town names of an extract (third column), newline-separated into names. */
static int town_names(const char *gzpath, char names[][96], int max)
{
    char *text = sibt_read_gz(gzpath, NULL);
    cr_assert_not_null(text, "%s", gzpath);
    int n = 0;
    char *save = NULL;
    strtok_r(text, "\n", &save);            /* header */
    for (char *line; (line = strtok_r(NULL, "\n", &save)) != NULL;) {
        char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL, *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
        cr_assert(c3 != NULL);
        char name[96];
        snprintf(name, sizeof name, "%.*s", (int)(c3 - c2 - 1), c2 + 1);
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen |= strcmp(names[i], name) == 0;
        if (!seen && n < max)
            snprintf(names[n++], 96, "%s", name);
    }
    free(text);
    return n;
}

Test(integ_report, renders_in_chromium, .timeout = 180)
{
    cr_assert_eq(system("command -v chromium >/dev/null 2>&1"), 0,
                 "chromium is not installed (make deps / scripts/install-deps.sh installs it)");
    char *dir = sibt_tmpdir("integ_report_chromium");
    char *out = NULL;
    int rc = sibt_run(&out, "report --manifest %s --out '%s/summary.html'", FIX12, dir);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    char absdir[PATH_MAX];
    cr_assert_not_null(realpath(dir, absdir));
    cr_assert_eq(system("mkdir -p build/artifacts"), 0);
    char cmd[4 * PATH_MAX];
    const char *flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                        "--disable-background-networking --disable-component-update --disable-sync "
                        "--hide-scrollbars";
    snprintf(cmd, sizeof cmd,
             "timeout 90 chromium %s --user-data-dir='%s/chr1' --window-size=1280,2400 "
             "--screenshot=build/artifacts/summary.png 'file://%s/summary.html' >'%s/chr1.log' 2>&1",
             flags, absdir, absdir, absdir);
    cr_assert_eq(system(cmd), 0, "chromium screenshot failed: see %s/chr1.log", absdir);
    snprintf(cmd, sizeof cmd,
             "timeout 90 chromium %s --user-data-dir='%s/chr2' --window-size=1280,2400 --dump-dom "
             "'file://%s/summary.html' >'%s/dom.html' 2>'%s/chr2.log'",
             flags, absdir, absdir, absdir, absdir);
    cr_assert_eq(system(cmd), 0, "chromium --dump-dom failed: see %s/chr2.log", absdir);

    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/dom.html", absdir);
    char *dom = sibt_read_file(path, NULL);
    cr_assert_not_null(dom);
    sib_error err = { 0 };
    cJSON *man = sib_json_load(FIX12, &err);
    cr_assert_not_null(man);

    /* the rendered DOM carries every figure, equal to the manifest */
    int n = check_figures(dom, man);
    cr_assert_gt(n, 150, "only %d figures in the rendered DOM", n);
    const char *groups[] = { "pension", "unemployment", "injury" };
    for (int i = 0; i < 3; i++) {
        char v[32], pat[128];
        commas(group_insured(man, groups[i]), v);
        snprintf(pat, sizeof pat, "data-key=\"headline.%s.insured\">%s<", groups[i], v);
        cr_assert(strstr(dom, pat) != NULL, "rendered DOM lacks %s", pat);
    }
    /* every town of the extracts is named */
    char names[64][96];
    int nt = town_names("fixtures/report/2025-12/pension.csv.gz", names, 64);
    cr_assert_eq(nt, 11);
    for (int i = 0; i < nt; i++)
        cr_assert_geq(count(dom, names[i]), 6, "town %s: bars of 5 schemes and the clearing chart", names[i]);
    /* chart elements: 3 progress bars, 5 town charts, stacked bars, trend */
    cr_assert_geq(count(dom, "<svg"), 10, "%d svg", count(dom, "<svg"));
    cr_assert_geq(count(dom, "class=\"bar a\""), 5 * 11 - 1);
    cr_assert_geq(count(dom, "class=\"seg\""), 11);
    cr_assert_eq(count(dom, "<polyline"), 3, "trend lines: open, opened, closed");
    cr_assert_eq(count(dom, "class=\"fill\""), 3, "three progress bars");
    cr_assert_eq(count(dom, "<script"), 0);

    /* the screenshot: a real PNG of some size */
    size_t len = 0;
    char *png = sibt_read_file("build/artifacts/summary.png", &len);
    cr_assert_not_null(png, "no screenshot");
    cr_assert_gt(len, 50000, "screenshot of %zu bytes", len);
    cr_assert(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    free(png);
    free(dom);
    cJSON_Delete(man);
    sibt_rmtree(dir);
    free(dir);
}

Test(integ_report, first_run_has_no_trend_chart, .timeout = 60)
{
    char *dir = sibt_tmpdir("integ_report_first");
    char *out = NULL;
    cr_assert_eq(sibt_run(&out, "report --manifest %s --out '%s/s.html'", FIX11, dir), 0, "%s", out);
    free(out);
    char path[512];
    snprintf(path, sizeof path, "%s/s.html", dir);
    char *html = sibt_read_file(path, NULL);
    cr_assert(strstr(html, "id=\"trend-none\"") != NULL);
    cr_assert_eq(count(html, "<polyline"), 0);
    cr_assert(strstr(html, "data-key=\"as_of\">2025-11<") != NULL);
    snprintf(path, sizeof path, "%s/s.txt", dir);
    char *txt = sibt_read_file(path, NULL);
    cr_assert(strstr(txt, "first run") != NULL);
    free(txt);
    free(html);
    sibt_rmtree(dir);
    free(dir);
}

Test(integ_report, output_dir_escaping_and_errors, .timeout = 60)
{
    char *dir = sibt_tmpdir("integ_report_dir");
    char cmd[2048], path[512];
    snprintf(cmd, sizeof cmd, "cp -r fixtures/report/2025-11 fixtures/report/2025-12 '%s/'", dir);
    cr_assert_eq(system(cmd), 0);
    char *out = NULL;

    /* --dir/--as-of writes beside the manifest; no --as-of takes the latest */
    cr_assert_eq(sibt_run(&out, "report --dir '%s' --as-of 2025-12", dir), 0, "%s", out);
    free(out);
    snprintf(path, sizeof path, "%s/2025-12/summary.html", dir);
    cr_assert(sibt_file_exists(path));
    snprintf(path, sizeof path, "%s/2025-12/summary.txt", dir);
    cr_assert(sibt_file_exists(path));
    snprintf(path, sizeof path, "%s/2025-11/summary.html", dir);
    cr_assert(!sibt_file_exists(path));
    cr_assert_eq(sibt_run(&out, "report --dir '%s' 2>/dev/null", dir), 0);
    cr_assert(strstr(out, "2025-12/summary.html") != NULL, "%s", out);
    free(out);

    /* a town name with markup in an extract is shown, not executed; a row
     * dropped from an extract raises the disagreement banner */
    snprintf(cmd, sizeof cmd,
             "cd '%s/2025-12' && zcat pension.csv.gz | sed 's/湖滨街道/<script>alert(1)<\\/script>/' | gzip -n > p && mv p pension.csv.gz"
             " && zcat unemployment.csv.gz | sed '$d' | gzip -n > u && mv u unemployment.csv.gz", dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(sibt_run(&out, "report --dir '%s' --as-of 2025-12", dir), 0, "%s", out);
    free(out);
    snprintf(path, sizeof path, "%s/2025-12/summary.html", dir);
    char *html = sibt_read_file(path, NULL);
    cr_assert_eq(count(html, "<script"), 0, "markup from the data reached the page");
    cr_assert_geq(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;"), 5);
    cr_assert(strstr(html, "class=\"banner\"") != NULL);
    cr_assert(strstr(html, "totals.210.insured_persons: manifest") != NULL);
    free(html);

    /* errors: usage 2, unreadable run 1 with the file named */
    cr_assert_eq(sibt_run(NULL, "report --as-of 2025-13"), 2);
    cr_assert_eq(sibt_run(NULL, "report --as-of 2025-12 --manifest x.json"), 2);
    cr_assert_eq(sibt_run(NULL, "report --bogus"), 2);
    cr_assert_eq(sibt_run(&out, "report --dir '%s/none'", dir), 1);
    free(out);
    cr_assert_eq(sibt_run(&out, "report --manifest '%s/2025-10/manifest.json'", dir), 1);
    cr_assert(strstr(out, "2025-10/manifest.json") != NULL, "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "cd '%s/2025-11' && head -c 300 injury.csv.gz > i && mv i injury.csv.gz", dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(sibt_run(&out, "report --dir '%s' --as-of 2025-11", dir), 1);
    cr_assert(strstr(out, "injury.csv.gz") != NULL, "%s", out);
    free(out);
    snprintf(path, sizeof path, "%s/2025-11/summary.html", dir);
    cr_assert(!sibt_file_exists(path), "nothing written on failure");
    sibt_rmtree(dir);
    free(dir);
}
