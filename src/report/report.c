/* report.c — summary.html and summary.txt of a published run (include/report/report.h). */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/fsx.h"
#include "common/log.h"
#include "report/html.h"

#define P(...) (bad |= sib_buf_printf(b, __VA_ARGS__))
#define E(s) (bad |= sib_html_escape(b, s))

/* The three headline targets of the plan and the schemes they count. */
typedef struct headline {
    const char *key;            /* manifest "targets" member */
    const char *zh, *en, *note;
    int schemes[3];
    int nschemes;
} headline;

static const headline HEADLINES[] = {
    { "pension", "基本养老保险", "Basic pension", "企业职工 + 机关事业 + 城乡居民 (110 + 120 + 170)",
      { SIB_S110, SIB_S120, SIB_S170 }, 3 },
    { "unemployment", "失业保险", "Unemployment insurance", "失业保险 (210)", { SIB_S210 }, 1 },
    { "injury", "工伤保险", "Work-injury insurance", "工伤保险 (410)", { SIB_S410 }, 1 },
};
enum { NHEADLINES = sizeof HEADLINES / sizeof HEADLINES[0] };

/* Chinese labels of reject and warning keys; unknown keys show as they are. */
static const char *const LABELS[][2] = {
    { "enrollment", "参保登记 enrollment" }, { "contribution", "缴费记录 contribution" },
    { "population", "人口库 population" }, { "employer", "参保单位 employer" },
    { "id", "身份证号 ID number" },
    { "insurance_type", "险种代码无效 invalid insurance type" },
    { "period", "起止年月无效 invalid period" },
    { "identity", "无身份信息 no ID and no name" },
    { "orphan", "无对应参保记录 no such enrollment" },
    { "rejected_enrollment", "参保记录已拒收 enrollment rejected" },
    { "future", "所属期无效或在未来 invalid or future period" },
    { "negative", "金额为负 negative amount" },
    { "repeat", "同月重复缴费 repeated month" },
    { "credit_code", "统一社会信用代码无效 invalid credit code" },
    { "town", "未知镇街 unknown town" }, { "risk_class", "风险类别无效 invalid risk class" },
    { "length", "位数错误 wrong length" }, { "character", "含非法字符 bad character" },
    { "date", "出生日期无效 impossible birth date" }, { "check", "校验位错误 check digit" },
    { "missing", "缺失 missing" }, { "legacy_pre1900", "1900年前出生的15位旧号 pre-1900 legacy number" },
};

static const char *label_of(const char *key)
{
    for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
        if (strcmp(LABELS[i][0], key) == 0)
            return LABELS[i][1];
    return key;
}

/* Insured persons of a headline, from the manifest's totals. */
static long headline_insured(const cJSON *man, const headline *h)
{
    long n = 0;
    char path[64];
    for (int i = 0; i < h->nschemes; i++) {
        snprintf(path, sizeof path, "totals.%s.insured_persons", sib_scheme_code(h->schemes[i]));
        n += sib_report_num(man, path, 0);
    }
    return n;
}

/* A value as an HTML element carrying its manifest path (data-key), so a
 * test can read every figure back and compare it with the manifest. */
static int value_el(sib_buf *b, const char *tag, const char *path, const char *value)
{
    int bad = 0;
    P("<%s data-key=\"", tag);
    E(path);
    P("\">%s</%s>", value, tag);
    return bad;
}

/* A manifest count, formatted, as an element with data-key. */
static int num_el(sib_buf *b, const char *tag, const cJSON *man, const char *path)
{
    char v[32];
    const cJSON *n = sib_report_node(man, path);
    if (cJSON_IsNumber(n))
        sib_fmt_int((long)n->valuedouble, v, sizeof v);
    else
        snprintf(v, sizeof v, "–");
    return value_el(b, tag, path, v);
}

/* A money string of the manifest, formatted, as an element with data-key. */
static int money_el(sib_buf *b, const char *tag, const cJSON *man, const char *path)
{
    char v[64];
    const cJSON *n = sib_report_node(man, path);
    if (cJSON_IsString(n))
        sib_fmt_money(n->valuestring, v, sizeof v);
    else
        snprintf(v, sizeof v, "–");
    return value_el(b, tag, path, v);
}

static const char CSS[] =
    ":root{--ink:#1b2a3a;--muted:#5b6675;--line:#e3e8ef;--bg:#f4f6f9;--blue:#1f5fa8;--orange:#e07b39;--green:#2e7d32}"
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%}"
    "body{margin:0;font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
    "color:var(--ink);background:var(--bg);line-height:1.5;font-size:15px}"
    ".wrap{max-width:1180px;margin:0 auto;padding:0 20px}"
    "header.top{background:#14365e;color:#fff;padding:22px 0 18px}"
    "header.top h1{margin:0;font-size:24px;font-weight:700;letter-spacing:.02em}"
    "header.top h1 span{display:block;font-size:15px;font-weight:400;opacity:.85;letter-spacing:0}"
    ".meta{margin:10px 0 0;font-size:13px;opacity:.92}"
    ".meta b{font-weight:700}"
    "section{margin:28px 0}"
    "h2{font-size:19px;border-left:4px solid var(--blue);padding-left:10px;margin:0 0 14px}"
    "h2 small{font-weight:400;color:var(--muted);font-size:14px;margin-left:6px}"
    "h3{margin:0 0 8px;font-size:16px}"
    "h3 small{display:block;font-weight:400;color:var(--muted);font-size:12.5px}"
    ".grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(320px,1fr))}"
    ".grid.wide{grid-template-columns:repeat(auto-fit,minmax(480px,1fr))}"
    ".card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px;break-inside:avoid}"
    ".big{font-size:30px;font-weight:700;line-height:1.2;margin:6px 0 2px}"
    ".big .u{font-size:15px;font-weight:400;color:var(--muted);margin-left:4px}"
    ".wan{display:inline-block;margin-left:8px;font-size:16px;font-weight:600;color:var(--blue)}"
    ".gap{margin:6px 0 0;font-size:14px}"
    ".gap b{font-size:16px}"
    ".ok{color:var(--green)}"
    ".note{color:var(--muted);font-size:13px;margin:8px 0 0}"
    ".kpis{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}"
    ".kpi{flex:1 1 150px;background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}"
    ".kpi .l{font-size:13px;color:var(--muted)}"
    ".kpi .v{font-size:24px;font-weight:700}"
    ".kpi .s{font-size:12.5px;color:var(--muted)}"
    ".tablewrap{overflow-x:auto;border:1px solid var(--line);border-radius:10px;background:#fff}"
    ".tablewrap.full{margin-top:16px}"
    "table{width:100%;border-collapse:collapse;font-size:14px}"
    "th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}"
    "th:first-child,td:first-child{text-align:left}"
    "thead th{background:#eef2f7;font-weight:600;font-size:13px;vertical-align:bottom}"
    "thead th small{display:block;font-weight:400;color:var(--muted)}"
    "tbody tr:last-child td{border-bottom:0}"
    "td.t{white-space:normal;text-align:left;color:var(--muted);font-size:13px}"
    "tr.sum td{font-weight:700;background:#f7f9fc}"
    "td.na{color:#b0b8c4}"
    "td.mono,span.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:12.5px}"
    "svg{display:block;width:100%;height:auto}"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin:0 0 8px;padding:0;list-style:none}"
    ".legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}"
    ".banner{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:12px 16px;border-radius:8px;margin-top:20px}"
    "footer{color:var(--muted);font-size:12.5px;border-top:1px solid var(--line);margin-top:32px;padding:14px 0 28px}"
    "@media (max-width:640px){body{font-size:14px}.wrap{padding:0 12px}header.top h1{font-size:20px}"
    ".big{font-size:26px}.grid,.grid.wide{grid-template-columns:1fr}th,td{padding:6px 7px}"
    ".card{overflow-x:auto}svg.chart{min-width:440px}}"
    "@media print{@page{size:A4;margin:12mm}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{background:#fff;font-size:10.5pt}.wrap{max-width:none;padding:0}"
    "header.top{background:#fff;color:var(--ink);border-bottom:2px solid var(--ink);padding:0 0 8px}"
    ".grid,.grid.wide{grid-template-columns:repeat(auto-fit,minmax(300px,1fr))}"
    ".card,.kpi,.tablewrap{border-color:#c9d1dc;break-inside:avoid}"
    "section#towns,section#clearing,section#quality{break-before:page}"
    ".tablewrap,.card{overflow:visible}svg.chart{min-width:0}h2{break-after:avoid}}";

/* Page head, title bar and run line. */
static int render_head(sib_buf *b, const sib_report_model *m)
{
    int bad = 0;
    const cJSON *man = m->manifest;
    P("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"sibatch ");
    E(sib_json_str(man, "sibatch_version", "?"));
    P("\">\n<title>石狮市社会保险月度汇总 Shishi social insurance summary ");
    E(m->as_of);
    P("</title>\n<style>%s</style>\n</head>\n<body>\n", CSS);
    P("<header class=\"top\"><div class=\"wrap\">"
      "<h1>石狮市社会保险中心 · 月度汇总<span>Shishi Social Insurance Centre — monthly summary</span></h1>"
      "<p class=\"meta\">数据月份 As of <b data-key=\"as_of\">");
    E(m->as_of);
    P("</b> · 运行 Run #<b>");
    num_el(b, "span", man, "run_id");
    P("</b> · 完成于 Finished ");
    E(sib_json_str(man, "finished_at", "?"));
    P(" · sibatch ");
    E(sib_json_str(man, "sibatch_version", "?"));
    P("</p></div></header>\n<main class=\"wrap\">\n");
    return bad;
}

/* A red banner when the extracts do not add up to the manifest's totals. */
static int render_consistency(sib_buf *b, const sib_report_model *m)
{
    int bad = 0, n = 0;
    char path[64], x[32], y[32];
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        const char *col[2] = { "insured_persons", "lapsed_persons" };
        const long *got[2] = { m->sums.insured, m->sums.lapsed };
        for (int c = 0; c < 2; c++) {
            snprintf(path, sizeof path, "totals.%s.%s", sib_scheme_code(s), col[c]);
            long want = sib_report_num(m->manifest, path, -1);
            if (want == got[c][s])
                continue;
            if (n++ == 0)
                P("<div class=\"banner\" role=\"alert\"><b>提取文件与清单不一致 The extracts disagree with the manifest</b> "
                  "— run <code>sibatch reconcile</code>:<ul>");
            sib_fmt_int(want, x, sizeof x);
            sib_fmt_int(got[c][s], y, sizeof y);
            P("<li>%s: manifest %s, extracts %s</li>", path, x, y);
        }
    }
    if (n)
        P("</ul></div>\n");
    return bad;
}

/* Headline cards: insured persons against base and target. */
static int render_headline(sib_buf *b, const sib_report_model *m)
{
    int bad = 0;
    const cJSON *man = m->manifest;
    P("<section id=\"headline\"><h2>参保扩面目标<small>Coverage against the plan's 2025 targets</small></h2>\n"
      "<div class=\"grid\">\n");
    for (int i = 0; i < NHEADLINES; i++) {
        const headline *h = &HEADLINES[i];
        char path[64], cur[32], wan[48], gap[32], pct[16], diff[32];
        long insured = headline_insured(man, h);
        snprintf(path, sizeof path, "targets.%s.base", h->key);
        long base = sib_report_num(man, path, 0);
        snprintf(path, sizeof path, "targets.%s.target", h->key);
        long target = sib_report_num(man, path, 0);
        sib_fmt_int(insured, cur, sizeof cur);
        sib_fmt_wan(insured, wan, sizeof wan);
        sib_fmt_pct((double)(insured - base), (double)(target - base), pct, sizeof pct);
        sib_fmt_int(insured - base, diff, sizeof diff);
        P("<div class=\"card target\" id=\"target-%s\"><h3>%s %s<small>%s</small></h3>",
          h->key, h->zh, h->en, h->note);
        P("<div class=\"big\"><span data-key=\"headline.%s.insured\">%s</span><span class=\"u\">人 persons</span>"
          "<span class=\"wan\" data-key=\"headline.%s.wan\">%s</span></div>", h->key, cur, h->key, wan);
        char aria[256];
        snprintf(aria, sizeof aria, "%s %s: %s / 2025 target", h->zh, h->en, cur);
        bad |= sib_svg_progress(b, base, insured, target, aria);
        char bs[32], tg[32];
        sib_fmt_int(base, bs, sizeof bs);
        sib_fmt_int(target, tg, sizeof tg);
        if (target > insured) {
            sib_fmt_int(target - insured, gap, sizeof gap);
            P("<p class=\"gap\">距2025目标还差 Gap to target: <b data-key=\"headline.%s.gap\">%s</b> 人 persons</p>",
              h->key, gap);
        } else {
            sib_fmt_int(insured - target, gap, sizeof gap);
            P("<p class=\"gap ok\">已达到2025目标 Target reached: 超出 above by <b data-key=\"headline.%s.above\">%s</b> 人 persons</p>",
              h->key, gap);
        }
        P("<p class=\"note\">2020基数 base <span data-key=\"targets.%s.base\">%s</span> → 2025目标 target "
          "<span data-key=\"targets.%s.target\">%s</span> · 比基数 vs base %s%s · ",
          h->key, bs, h->key, tg, insured >= base ? "+" : "", diff);
        if (insured >= base)
            P("完成进度 progress %s</p></div>\n", pct);
        else
            P("低于2020基数 below the 2020 base</p></div>\n");
    }
    P("</div>\n");

    /* totals per scheme */
    P("<h3 style=\"margin-top:20px\">各险种合计 Totals by scheme</h3><div class=\"tablewrap\"><table>"
      "<thead><tr><th>险种 Scheme</th><th>参保人数<small>Insured</small></th><th>正常缴费<small>Contributing</small></th>"
      "<th>中断缴费<small>Lapsed</small></th><th>待遇领取<small>Beneficiaries</small></th>"
      "<th>单位数<small>Employers</small></th><th>工程参保<small>Project-based</small></th>"
      "<th>近12个月缴费 (元)<small>Contributions, 12 months (CNY)</small></th></tr></thead><tbody>");
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        const char *code = sib_scheme_code(s);
        char path[80];
        P("<tr><td>%s %s<br><small>%s</small></td>", code, sib_scheme_name_zh(s), sib_scheme_name_en(s));
        static const char *const cols[] = { "insured_persons", "contributing_persons", "lapsed_persons",
                                            "beneficiaries", "employers", "project_based_persons" };
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            snprintf(path, sizeof path, "totals.%s.%s", code, cols[c]);
            if (sib_report_node(man, path))
                bad |= num_el(b, "td", man, path);
            else
                P("<td class=\"na\">–</td>");
        }
        snprintf(path, sizeof path, "totals.%s.contributions_12m", code);
        bad |= money_el(b, "td", man, path);
        P("</tr>");
    }
    P("</tbody></table></div></section>\n");
    return bad;
}

/* By town: insured and lapsed persons per scheme, from the extracts. */
static int render_towns(sib_buf *b, const sib_report_model *m)
{
    int bad = 0;
    const char *labels[SIB_REPORT_MAX_TOWNS];
    long ins[SIB_REPORT_MAX_TOWNS], lap[SIB_REPORT_MAX_TOWNS];
    P("<section id=\"towns\"><h2>分镇街参保情况<small>By town (from the extracts)</small></h2>\n"
      "<ul class=\"legend\"><li><i style=\"background:#1f5fa8\"></i>参保人数 Insured persons</li>"
      "<li><i style=\"background:#e07b39\"></i>中断缴费人数 Lapsed persons</li></ul>\n<div class=\"grid wide\">\n");
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        size_t n = 0;
        for (size_t i = 0; i < m->ntowns; i++) {
            if (m->towns[i].insured[s] == 0 && m->towns[i].lapsed[s] == 0)
                continue;
            labels[n] = m->towns[i].name;
            ins[n] = m->towns[i].insured[s];
            lap[n] = m->towns[i].lapsed[s];
            n++;
        }
        P("<div class=\"card\" id=\"town-%s\"><h3>%s %s<small>%s</small></h3>", sib_scheme_code(s),
          sib_scheme_code(s), sib_scheme_name_zh(s), sib_scheme_name_en(s));
        if (n == 0) {
            P("<p class=\"note\">本险种无参保记录 No insured persons in this scheme.</p></div>\n");
            continue;
        }
        char aria[256];
        snprintf(aria, sizeof aria, "%s %s: 分镇街参保与中断缴费人数 insured and lapsed persons by town",
                 sib_scheme_code(s), sib_scheme_name_en(s));
        bad |= sib_svg_dual_bars(b, labels, ins, lap, n, "参保 Insured", "中断 Lapsed", aria);
        P("</div>\n");
    }
    P("</div></section>\n");
    return bad;
}

/* A KPI tile: a label, one big value (a manifest number or money string,
 * or a value computed here), an optional unit after it, and a small line of
 * "text value" parts. */
typedef struct kpi_tile {
    const char *label;
    const char *path;           /* data-key of the value */
    const char *value;          /* formatted value, or NULL: read path from the manifest */
    int money;                  /* path names a money string */
    const char *unit;           /* NULL for none */
    struct { const char *text, *path; } sub[3];
} kpi_tile;

static int render_kpi(sib_buf *b, const cJSON *man, const kpi_tile *k)
{
    int bad = 0;
    P("<div class=\"kpi\"><div class=\"l\">%s</div><div class=\"v\">", k->label);
    if (k->value)
        bad |= value_el(b, "span", k->path, k->value);
    else if (k->money)
        bad |= money_el(b, "span", man, k->path);
    else
        bad |= num_el(b, "span", man, k->path);
    if (k->unit)
        P("<span style=\"font-size:14px;font-weight:400\"> %s</span>", k->unit);
    P("</div>");
    for (size_t i = 0; i < 3 && k->sub[i].path; i++) {
        P("%s%s", i ? "" : "<div class=\"s\">", k->sub[i].text);
        bad |= num_el(b, "span", man, k->sub[i].path);
    }
    P("%s</div>", k->sub[0].path ? "</div>" : "");
    return bad;
}

static const char *const AGING[] = { "3-5", "6-11", "12-23", "24+" };
static const char *const AGING_COLORS[] = { "#f6c28b", "#ef9a4a", "#d9652b", "#a63d17", "#6b7fa8" };

/* The clearing campaign: counts, open targets by town and age, trend. */
static int render_clearing(sib_buf *b, const sib_report_model *m)
{
    int bad = 0;
    const cJSON *man = m->manifest;
    P("<section id=\"clearing\"><h2>全民参保动态清零<small>Clearing campaign (lapsed and uninsured persons)</small></h2>\n"
      "<div class=\"kpis\">");
    long closed = sib_report_num(man, "clearing.closed.paid", 0) + sib_report_num(man, "clearing.closed.enrolled", 0) +
                  sib_report_num(man, "clearing.closed.excluded", 0);
    char cl[32];
    sib_fmt_int(closed, cl, sizeof cl);
    const kpi_tile tiles[] = {
        { "待清零目标 Open targets", "clearing.open", NULL, 0, NULL,
          { { "中断缴费 lapsed ", "clearing.by_reason.lapsed" }, { " · 未参保 uninsured ", "clearing.by_reason.uninsured" } } },
        { "本次新增 Opened this run", "clearing.opened", NULL, 0, NULL, { { NULL, NULL } } },
        { "本次清零 Closed this run", "clearing.closed", cl, 0, NULL,
          { { "已缴费 paid ", "clearing.closed.paid" }, { " · 已参保 enrolled ", "clearing.closed.enrolled" },
            { " · 排除 excluded ", "clearing.closed.excluded" } } },
    };
    for (size_t i = 0; i < sizeof tiles / sizeof tiles[0]; i++)
        bad |= render_kpi(b, man, &tiles[i]);
    P("</div>\n");

    /* by town and aging bucket */
    const cJSON *by_town = sib_report_node(man, "clearing.by_town");
    size_t n = 0;
    const char *labels[SIB_REPORT_MAX_TOWNS];
    const char *codes[SIB_REPORT_MAX_TOWNS];
    long vals[SIB_REPORT_MAX_TOWNS * 5];
    const cJSON *t;
    /* known towns in code order, unknown last (the manifest's order is not
     * guaranteed to be sorted) */
    for (int pass = 0; pass < 2; pass++) {
        cJSON_ArrayForEach(t, by_town) {
            if (n == SIB_REPORT_MAX_TOWNS || !t->string || (strcmp(t->string, "unknown") == 0) != pass)
                continue;
            size_t at = n;
            while (pass == 0 && at > 0 && strcmp(codes[at - 1], t->string) > 0) {
                codes[at] = codes[at - 1];
                at--;
            }
            codes[at] = t->string;
            n++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const cJSON *row = cJSON_GetObjectItemCaseSensitive(by_town, codes[i]);
        labels[i] = sib_report_town_name(m, codes[i]);
        for (int k = 0; k < 4; k++)
            vals[i * 5 + k] = (long)sib_json_num(row, AGING[k], 0);
        vals[i * 5 + 4] = (long)sib_json_num(row, "uninsured", 0);
    }
    P("<div class=\"grid wide\">\n<div class=\"card\"><h3>分镇街待清零目标<small>Open targets by town: lapsed persons by months unpaid, and uninsured persons</small></h3>"
      "<ul class=\"legend\">");
    for (int k = 0; k < 4; k++)
        P("<li><i style=\"background:%s\"></i>中断 %s 个月 months</li>", AGING_COLORS[k], AGING[k]);
    P("<li><i style=\"background:%s\"></i>未参保 Uninsured</li></ul>", AGING_COLORS[4]);
    if (n > 0)
        bad |= sib_svg_stacked_bars(b, labels, vals, n, 5, AGING_COLORS,
                                    "分镇街待清零目标 open clearing targets by town and age");
    else
        P("<p class=\"note\">没有待清零目标 No open targets.</p>");
    P("</div>\n");

    /* trend */
    P("<div class=\"card\" id=\"trend\"><h3>清零进展<small>Trend of open, opened and closed targets over the runs</small></h3>");
    if (m->npoints >= 2) {
        const char *x[SIB_REPORT_MAX_RUNS];
        long *v = malloc(sizeof *v * 3 * m->npoints);
        if (!v)
            return SIB_ERR;
        for (size_t i = 0; i < m->npoints; i++) {
            x[i] = m->points[i].as_of;
            v[i] = m->points[i].open;
            v[m->npoints + i] = m->points[i].opened;
            v[2 * m->npoints + i] = m->points[i].closed;
        }
        static const char *const names[] = { "待清零 Open", "新增 Opened", "清零 Closed" };
        static const char *const colors[] = { "#1f5fa8", "#e07b39", "#2e7d32" };
        bad |= sib_svg_lines(b, x, m->npoints, v, 3, names, colors, "清零进展 campaign trend");
        free(v);
    } else {
        P("<p class=\"note\" id=\"trend-none\">这是第一次运行，趋势图将从下一次运行开始显示。 "
          "This is the first run on record: the trend starts with the next run.</p>");
    }
    P("</div>\n</div>\n");
    P("<div class=\"tablewrap full\"><table><thead><tr><th>镇街 Town</th>"
      "<th>待清零<small>Open</small></th><th>中断缴费<small>Lapsed</small></th>");
    for (int k = 0; k < 4; k++)
        P("<th>%s 个月<small>%s months</small></th>", AGING[k], AGING[k]);
    P("<th>未参保<small>Uninsured</small></th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        char path[96];
        P("<tr><td>");
        E(labels[i]);
        P("</td>");
        static const char *const cols[] = { "open", "lapsed", "3-5", "6-11", "12-23", "24+", "uninsured" };
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            snprintf(path, sizeof path, "clearing.by_town.%s.%s", codes[i], cols[c]);
            bad |= num_el(b, "td", man, path);
        }
        P("</tr>");
    }
    P("<tr class=\"sum\"><td>合计 Total</td>");
    bad |= num_el(b, "td", man, "clearing.open");
    bad |= num_el(b, "td", man, "clearing.by_reason.lapsed");
    for (int k = 0; k < 4; k++) {
        char path[64];
        snprintf(path, sizeof path, "clearing.aging.%s", AGING[k]);
        bad |= num_el(b, "td", man, path);
    }
    bad |= num_el(b, "td", man, "clearing.by_reason.uninsured");
    P("</tr></tbody></table></div>\n");

    P("</section>\n");
    return bad;
}

/* A two-level count object (rejects, warnings) as table rows. */
static int count_rows(sib_buf *b, const cJSON *man, const char *root, long *total)
{
    int bad = 0;
    const cJSON *tables = sib_report_node(man, root), *tab, *r;
    cJSON_ArrayForEach(tab, tables) {
        cJSON_ArrayForEach(r, tab) {
            if (!tab->string || !r->string)
                continue;
            char path[192];
            snprintf(path, sizeof path, "%s.%s.%s", root, tab->string, r->string);
            P("<tr><td>");
            E(label_of(tab->string));
            P("</td><td class=\"t\">");
            E(label_of(r->string));
            P("</td>");
            bad |= num_el(b, "td", man, path);
            P("</tr>");
            if (cJSON_IsNumber(r))
                *total += (long)r->valuedouble;
        }
    }
    return bad;
}

/* Data quality: duplicates, conflicts and refunds, identity, rejects. */
static int render_quality(sib_buf *b, const sib_report_model *m)
{
    int bad = 0;
    const cJSON *man = m->manifest;
    P("<section id=\"quality\"><h2>数据质量<small>Data quality</small></h2>\n<div class=\"kpis\">");
    static const kpi_tile tiles[] = {
        { "重复参保已合并 Duplicate enrollments folded", "dedup.duplicate_enrollments", NULL, 0, NULL,
          { { "重复簇 clusters ", "dedup.clusters" } } },
        { "跨险种重复缴费 Cross-scheme conflicts", "conflicts.persons", NULL, 0, "人 persons",
          { { "重叠月数 overlap months ", "conflicts.overlap_months" },
            { " · 职工/机关双缴 employee + institution ", "conflicts.employee_institution_persons" } } },
        { "应退城乡居民缴费 Refunds due (CNY)", "conflicts.refund_due", NULL, 1, NULL,
          { { "涉及 persons ", "conflicts.refund_persons" } } },
        { "识别人数 Persons resolved", "dedup.persons", NULL, 0, NULL,
          { { "待人工确认 review ", "dedup.review" }, { " · 无法识别 unresolved ", "dedup.persons_unresolved" } } },
    };
    for (size_t i = 0; i < sizeof tiles / sizeof tiles[0]; i++)
        bad |= render_kpi(b, man, &tiles[i]);
    P("</div>\n");

    P("<div class=\"grid\">");
    /* record links */
    P("<div class=\"tablewrap\"><table><thead><tr><th>记录关联方式 How records were linked</th><th>记录数<small>Records</small></th></tr></thead><tbody>");
    static const char *const links[][2] = {
        { "exact", "证号一致 exact ID" }, { "normalized", "证号规范化后一致 normalized ID" },
        { "probable", "概率匹配 probable match" }, { "unresolved", "未能识别 unresolved" } };
    for (size_t i = 0; i < 4; i++) {
        char path[64];
        snprintf(path, sizeof path, "dedup.links.%s", links[i][0]);
        P("<tr><td>%s</td>", links[i][1]);
        bad |= num_el(b, "td", man, path);
        P("</tr>");
    }
    P("</tbody></table></div>\n");

    /* rejects */
    long rej = 0;
    P("<div class=\"tablewrap\"><table><thead><tr><th>拒收记录 Rejected rows</th><th>原因 Reason</th><th>行数<small>Rows</small></th></tr></thead><tbody>");
    bad |= count_rows(b, man, "rejects", &rej);
    char tot[32];
    sib_fmt_int(rej, tot, sizeof tot);
    P("<tr class=\"sum\"><td>合计 Total</td><td></td><td data-key=\"rejects.total\">%s</td></tr></tbody></table></div>\n", tot);

    /* warnings and out of scope */
    long warn = 0;
    P("<div class=\"tablewrap\"><table><thead><tr><th>提示 Warnings (kept)</th><th>原因 Reason</th><th>行数<small>Rows</small></th></tr></thead><tbody>");
    bad |= count_rows(b, man, "warnings", &warn);
    P("<tr><td>不在范围 Out of scope</td><td class=\"t\">医疗、生育 medical, maternity (参保 enrollments)</td>");
    bad |= num_el(b, "td", man, "out_of_scope.enrollment");
    P("</tr><tr><td>不在范围 Out of scope</td><td class=\"t\">医疗、生育 medical, maternity (缴费 contributions)</td>");
    bad |= num_el(b, "td", man, "out_of_scope.contribution");
    P("</tr></tbody></table></div>\n</div></section>\n");
    return bad;
}

/* The files of the run and the source row counts. */
static int render_files(sib_buf *b, const sib_report_model *m)
{
    int bad = 0;
    const cJSON *man = m->manifest, *f;
    P("<section id=\"files\"><h2>文件与来源<small>Files and sources</small></h2>\n<div class=\"grid wide\">"
      "<div class=\"tablewrap\"><table><thead><tr><th>文件 File</th><th>行数<small>Rows</small></th>"
      "<th>字节<small>Bytes</small></th><th>SHA-256</th></tr></thead><tbody>");
    cJSON_ArrayForEach(f, sib_report_node(man, "files")) {
        const char *path = sib_json_str(f, "path", "?");
        if (strncmp(path, "clearing/", 9) == 0)
            continue;           /* one per town: summarised below */
        char rows[32], bytes[32];
        sib_fmt_int((long)sib_json_num(f, "rows", 0), rows, sizeof rows);
        sib_fmt_int((long)sib_json_num(f, "bytes", 0), bytes, sizeof bytes);
        P("<tr><td class=\"mono\">");
        E(path);
        P("</td><td>%s</td><td>%s</td><td class=\"mono\">", rows, bytes);
        char sha[20];
        snprintf(sha, sizeof sha, "%.16s", sib_json_str(f, "sha256", ""));
        E(sha);
        P("…</td></tr>");
    }
    long nclear = 0, crows = 0;
    cJSON_ArrayForEach(f, sib_report_node(man, "files")) {
        if (strncmp(sib_json_str(f, "path", ""), "clearing/", 9) == 0) {
            nclear++;
            crows += (long)sib_json_num(f, "rows", 0);
        }
    }
    char nc[32], cr[32];
    sib_fmt_int(nclear, nc, sizeof nc);
    sib_fmt_int(crows, cr, sizeof cr);
    P("<tr><td class=\"mono\">clearing/*.csv.gz (%s)</td><td>%s</td><td></td><td></td></tr></tbody></table></div>", nc, cr);
    P("<div class=\"tablewrap\"><table><thead><tr><th>来源表 Source table</th><th>行数<small>Rows</small></th></tr></thead><tbody>");
    cJSON_ArrayForEach(f, sib_report_node(man, "source_rows")) {
        if (!f->string)
            continue;
        char path[96];
        snprintf(path, sizeof path, "source_rows.%s", f->string);
        P("<tr><td>");
        E(label_of(f->string));
        P("</td>");
        bad |= num_el(b, "td", man, path);
        P("</tr>");
    }
    P("</tbody></table></div></div></section>\n");
    P("</main>\n<footer><div class=\"wrap\">本页由 sibatch 根据 manifest.json 与提取文件自动生成；数字口径见 definitions.md。 "
      "Generated by sibatch from manifest.json and the extracts of run #");
    bad |= num_el(b, "span", man, "run_id");
    P(" (snapshot ");
    E(sib_json_str(sib_report_node(man, "snapshot"), "snapshot_id", "?"));
    P("). 身份证号不在本页出现 No ID number appears on this page.</div></footer>\n</body>\n</html>\n");
    return bad;
}

int sib_report_render_html(const sib_report_model *m, sib_buf *b)
{
    int bad = 0;
    bad |= render_head(b, m);
    bad |= render_consistency(b, m);
    bad |= render_headline(b, m);
    bad |= render_towns(b, m);
    bad |= render_clearing(b, m);
    bad |= render_quality(b, m);
    bad |= render_files(b, m);
    return bad ? SIB_ERR : SIB_OK;
}

int sib_report_render_text(const sib_report_model *m, sib_buf *b)
{
    int bad = 0;
    const cJSON *man = m->manifest;
    char v1[48], v2[48], v3[48], v4[48], v5[48];
    P("石狮市社会保险中心 月度汇总 / Shishi Social Insurance Centre, monthly summary\n");
    sib_fmt_int(sib_report_num(man, "run_id", 0), v1, sizeof v1);
    P("数据月份 As of %s   运行 Run #%s   完成 Finished %s\n\n", m->as_of, v1,
      sib_json_str(man, "finished_at", "?"));
    P("参保扩面目标 Coverage against the 2025 targets\n");
    for (int i = 0; i < NHEADLINES; i++) {
        const headline *h = &HEADLINES[i];
        char path[64];
        long insured = headline_insured(man, h);
        snprintf(path, sizeof path, "targets.%s.base", h->key);
        long base = sib_report_num(man, path, 0);
        snprintf(path, sizeof path, "targets.%s.target", h->key);
        long target = sib_report_num(man, path, 0);
        sib_fmt_int(insured, v1, sizeof v1);
        sib_fmt_wan(insured, v2, sizeof v2);
        P("  %s %s: %s persons (%s)\n", h->zh, h->en, v1, v2);
        sib_fmt_int(base, v1, sizeof v1);
        sib_fmt_wan(base, v2, sizeof v2);
        sib_fmt_int(target, v3, sizeof v3);
        sib_fmt_wan(target, v4, sizeof v4);
        sib_fmt_pct((double)(insured - base), (double)(target - base), v5, sizeof v5);
        P("    2020 base %s (%s) -> 2025 target %s (%s), %s%s\n", v1, v2, v3, v4,
          insured >= base ? "progress " : "below the 2020 base", insured >= base ? v5 : "");
        if (target > insured) {
            sib_fmt_int(target - insured, v1, sizeof v1);
            P("    距目标还差 gap to target: %s persons\n", v1);
        } else {
            sib_fmt_int(insured - target, v1, sizeof v1);
            P("    已达到目标 target reached, above by %s persons\n", v1);
        }
    }
    P("\n各险种 By scheme   insured  contributing     lapsed  beneficiaries\n");
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        static const char *const cols[] = { "insured_persons", "contributing_persons", "lapsed_persons",
                                            "beneficiaries" };
        static const int width[] = { 10, 14, 11, 15 };
        P("  %s", sib_scheme_code(s));
        for (int c = 0; c < 4; c++) {
            char path[64];
            snprintf(path, sizeof path, "totals.%s.%s", sib_scheme_code(s), cols[c]);
            if (sib_report_node(man, path))
                sib_fmt_int(sib_report_num(man, path, 0), v1, sizeof v1);
            else
                snprintf(v1, sizeof v1, "-");
            P("%*s", width[c], v1);
        }
        P("  %s %s\n", sib_scheme_name_zh(s), sib_scheme_name_en(s));
    }
    sib_fmt_int(sib_report_num(man, "clearing.open", 0), v1, sizeof v1);
    sib_fmt_int(sib_report_num(man, "clearing.opened", 0), v2, sizeof v2);
    long closed = sib_report_num(man, "clearing.closed.paid", 0) + sib_report_num(man, "clearing.closed.enrolled", 0) +
                  sib_report_num(man, "clearing.closed.excluded", 0);
    sib_fmt_int(closed, v3, sizeof v3);
    P("\n动态清零 Clearing campaign: open %s, opened %s, closed %s", v1, v2, v3);
    sib_fmt_int(sib_report_num(man, "clearing.by_reason.lapsed", 0), v1, sizeof v1);
    sib_fmt_int(sib_report_num(man, "clearing.by_reason.uninsured", 0), v2, sizeof v2);
    P(" (open: lapsed %s, uninsured %s)\n  lapsed by months unpaid:", v1, v2);
    for (int k = 0; k < 4; k++) {
        char path[64];
        snprintf(path, sizeof path, "clearing.aging.%s", AGING[k]);
        sib_fmt_int(sib_report_num(man, path, 0), v1, sizeof v1);
        P(" %s: %s%s", AGING[k], v1, k < 3 ? "," : "\n");
    }
    if (m->npoints >= 2) {
        P("  trend (as of: open/opened/closed):");
        for (size_t i = 0; i < m->npoints; i++) {
            sib_fmt_int(m->points[i].open, v1, sizeof v1);
            sib_fmt_int(m->points[i].opened, v2, sizeof v2);
            sib_fmt_int(m->points[i].closed, v3, sizeof v3);
            P(" %s: %s/%s/%s%s", m->points[i].as_of, v1, v2, v3, i + 1 < m->npoints ? ";" : "\n");
        }
    } else {
        P("  trend: first run on record, the trend starts with the next run\n");
    }
    sib_fmt_int(sib_report_num(man, "dedup.duplicate_enrollments", 0), v1, sizeof v1);
    sib_fmt_int(sib_report_num(man, "conflicts.persons", 0), v2, sizeof v2);
    sib_fmt_money(sib_json_str(sib_report_node(man, "conflicts"), "refund_due", "?"), v3, sizeof v3);
    P("\n数据质量 Data quality: duplicate enrollments folded %s, conflict persons %s, refunds due CNY %s\n",
      v1, v2, v3);
    P("  rejects:");
    const cJSON *tab, *r;
    int first = 1;
    cJSON_ArrayForEach(tab, sib_report_node(man, "rejects")) {
        cJSON_ArrayForEach(r, tab) {
            if (!cJSON_IsNumber(r) || !tab->string || !r->string)
                continue;
            sib_fmt_int((long)r->valuedouble, v1, sizeof v1);
            P("%s %s/%s %s", first ? "" : ",", tab->string, r->string, v1);
            first = 0;
        }
    }
    P("%s\n", first ? " none" : "");
    int mismatch = 0;
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        char path[64];
        snprintf(path, sizeof path, "totals.%s.insured_persons", sib_scheme_code(s));
        mismatch |= sib_report_num(man, path, -1) != m->sums.insured[s];
        snprintf(path, sizeof path, "totals.%s.lapsed_persons", sib_scheme_code(s));
        mismatch |= sib_report_num(man, path, -1) != m->sums.lapsed[s];
    }
    if (mismatch)
        P("\nWARNING: the extracts do not add up to the manifest's totals; run sibatch reconcile.\n");
    return bad ? SIB_ERR : SIB_OK;
}

int sib_report_txt_path(const char *html_path, char *out, size_t cap)
{
    size_t n = strlen(html_path);
    size_t cut = n;
    if (n >= 5 && strcmp(html_path + n - 5, ".html") == 0)
        cut = n - 5;
    else if (n >= 4 && strcmp(html_path + n - 4, ".htm") == 0)
        cut = n - 4;
    if (cut + 5 > cap)
        return SIB_ERR;
    memcpy(out, html_path, cut);
    memcpy(out + cut, ".txt", 5);
    return SIB_OK;
}

int sib_report_write_in(const char *manifest_path, const char *history_dir,
                        const char *html_out, sib_error *err)
{
    int rc = SIB_ERR;
    sib_report_model *m = NULL;
    sib_buf html = { 0 }, text = { 0 };
    char hpath[4096], tpath[4096];
    if (sib_report_model_load_in(manifest_path, history_dir, &m, err) != SIB_OK)
        goto done;
    if (html_out) {
        if (snprintf(hpath, sizeof hpath, "%s", html_out) >= (int)sizeof hpath) {
            sib_error_set(err, "%s: path too long", html_out);
            goto done;
        }
    } else if (snprintf(hpath, sizeof hpath, "%s/summary.html", m->dir) >= (int)sizeof hpath) {
        sib_error_set(err, "%s: path too long", m->dir);
        goto done;
    }
    if (sib_report_txt_path(hpath, tpath, sizeof tpath) != SIB_OK) {
        sib_error_set(err, "%s: path too long", hpath);
        goto done;
    }
    if (sib_report_render_html(m, &html) != SIB_OK || sib_report_render_text(m, &text) != SIB_OK) {
        sib_error_set(err, "report: out of memory");
        goto done;
    }
    if (sib_fsx_write_file(hpath, html.data, html.len, 0640, err) != SIB_OK ||
        sib_fsx_write_file(tpath, text.data, text.len, 0640, err) != SIB_OK)
        goto done;
    sib_log_info("report", "as_of=%s html=%s text=%s bytes=%zu towns=%zu trend_points=%zu",
                 m->as_of, hpath, tpath, html.len, m->ntowns, m->npoints);
    rc = SIB_OK;
done:
    sib_buf_free(&html);
    sib_buf_free(&text);
    sib_report_model_free(m);
    return rc;
}

int sib_report_write(const char *manifest_path, const char *html_out, sib_error *err)
{
    return sib_report_write_in(manifest_path, NULL, html_out, err);
}
