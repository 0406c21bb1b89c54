/*
 * gen.c — the generator: a model of Shishi's insured population, streamed
 * person by person into si_src with its ground truth in si_truth.
 *
 * Roles fix the calibration: every person is generated for one role
 * (enterprise employee, resident beneficiary, ...) whose counts are the
 * city's figures times the scale, so the distinct true insured persons per
 * scheme come out exactly at the targets; injected faults either add rows
 * that do not count (rejects, duplicates, extra deceased people) or change
 * no one's insured status. The truth of every person is computed from the
 * rows actually written (gen/truth.h), never assumed from the role.
 */
#include "gen/gen.h"
#include "common/arena.h"
#include "common/copybin.h"
#include "gen/ids.h"
#include "gen/names.h"
#include "gen/rng.h"
#include "gen/truth.h"
#include "common/db.h"
#include "common/log.h"
#include "common/sql.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NAME_CAP 6400
#define FLUSH_AT (4u << 20)
#define GEN_VERSION "1"

/* City figures, 2020 year-end (domain.md). */
#define F110 106712
#define F120 10894
#define F170 190394
#define F170_BEN 48855
#define F210 55328
#define F410 94093
#define F410_PROJ 8969
#define FLAND 23307

enum role {
    R_EMP, R_EMP_C170, R_FLEX, R_LAND110, R_RET110,
    R_INST, R_INST_C170, R_INST_C110, R_RET120,
    R_RES170, R_BEN170, R_LAND170, R_PROJ, R_DEAD_OPEN,
    R_UNINS, R_CHILD, R_STUDENT, R_ELDER, R_DEAD, R_COUNT
};
static const char *const role_name[R_COUNT] = {
    "employee", "employee_with_170", "flexible", "land_expropriated_110", "retiree_110",
    "institution", "institution_with_170", "institution_with_110", "retiree_120",
    "resident", "resident_beneficiary", "land_expropriated_170", "project", "deceased_open",
    "uninsured", "child", "student", "elderly", "deceased" };

enum sink_kind { K_EMPLOYER, K_ENR, K_CONTRIB, K_POP, K_TPERSON, K_TENR, K_TPOP, K_TFAULT,
                 K_TLAPSED, K_TUNINS, K_TCONFLICT, K_TPAIR, K_N };
static const char *const sink_table[K_N] = {
    "si_src.employer", "si_src.enrollment", "si_src.contribution", "si_src.population",
    "si_truth.person", "si_truth.enrollment_person", "si_truth.population_person",
    "si_truth.fault", "si_truth.expected_lapsed", "si_truth.expected_uninsured",
    "si_truth.expected_conflict", "si_truth.expected_duplicate_pair" };

/* Random stream families. */
enum { ST_PERSON = 1, ST_EMPLOYER, ST_SELECT, ST_ORPHAN };

static const char *const town_code[10] = {
    "350581001", "350581002", "350581100", "350581101", "350581102",
    "350581103", "350581104", "350581105", "350581106", "350581400" };
static const double town_w[10] = { 14, 14, 13, 16, 12, 8, 8, 6, 7, 2 };
static const char *const town_short[10] = {
    "湖滨", "凤里", "灵秀", "宝盖", "蚶江", "祥芝", "鸿山", "锦尚", "永宁", "高新" };
static const char *const junk_town[] = { "350581999", "350582100", "350500000", "3505811O1", "", "湖滨" };

static const char *const migrant_prefix[] = {
    "510722", "511321", "513030", "522121", "522427", "520203", "412722", "411522",
    "430523", "431022", "362330", "360121", "342221", "341221", "452123", "500230",
    "532128", "350628", "350822", "350426" };
static const double migrant_w[] = { 8, 7, 5, 7, 6, 4, 6, 5, 5, 4, 5, 3, 5, 4, 3, 4, 3, 4, 3, 3 };

/* Industries of enterprises: GB/T 4754 code, name part, risk class, weight. */
static const struct { const char *code, *part; int risk; double w; } industry[] = {
    { "C1810", "服装", 2, 22 }, { "C1820", "针织", 2, 10 }, { "C1951", "鞋业", 3, 9 },
    { "C1952", "皮鞋", 3, 4 }, { "C1954", "鞋材", 4, 4 }, { "C1711", "纺织", 3, 8 },
    { "C1762", "织造", 3, 4 }, { "C2926", "塑料包装", 4, 3 }, { "C3311", "五金", 5, 2 },
    { "C1361", "水产食品", 4, 3 }, { "A0411", "海洋渔业", 7, 1.5 }, { "B1019", "石材", 8, 0.8 },
    { "C3130", "钢材", 6, 0.8 }, { "C2614", "化工", 6, 0.8 }, { "G5430", "物流", 5, 3 },
    { "F5132", "服装贸易", 1, 8 }, { "F5232", "商贸", 1, 5 }, { "I6510", "信息技术", 1, 1.5 },
    { "K7010", "房地产", 2, 1.5 }, { "H6110", "酒店", 2, 2 }, { "D4411", "电力", 5, 0.3 },
    { "N7820", "环境", 3, 0.8 }, { "E4822", "海洋工程", 7, 0.4 } };
static const char *const brand[] = {
    "鸿兴", "锦华", "富贵鸟", "协盛", "恒安", "宝盛", "泉盛", "华联", "祥丰", "永盛",
    "金狮", "海峡", "闽南", "联兴", "荣达", "振兴", "豪盛", "凤凰", "万利", "嘉禾",
    "灵峰", "蚶江", "石湖", "东埔", "新华", "龙腾", "伟业", "德信", "和鑫", "源丰" };
static const int risk_bp[9] = { 0, 20, 40, 70, 90, 110, 130, 160, 190 };   /* 0.01 % */

typedef struct employer {
    int64_t unit_id;
    int risk;          /* true class 1..8 */
    int town;          /* index into town_code */
    int64_t wage;      /* typical base, cents */
} employer;

typedef struct sink {
    sib_db *db;
    sib_buf b;
    long rows;
} sink;

typedef struct person {
    int64_t id;
    char key[19];
    char prefix[7];
    char surname[8];
    int birth, gender, town, local, role;
    int deceased_on, in_school, in_school_null, has_pop, residence;
    char name[NAME_CAP];   /* last: make_person clears everything before it */
} person;

/* One enrollment as written, with its truth view. */
typedef struct genr {
    sib_gen_enr t;
    const char *system;
    const char *type;       /* NULL for SQL NULL */
    int64_t unit;           /* 0 = NULL */
    int town;               /* index, or -1 with town_txt */
    const char *town_txt;   /* when town < 0 (NULL = SQL NULL) */
    int town12;
    int id_null, name_null;
    char id[64];
    char *name;             /* NAME_CAP buffer */
    sib_gen_crow *rows;     /* capacity g->rowcap */
    int updated;            /* YYYYMMDD */
} genr;

typedef struct gen {
    const sib_gen_params *p;
    sib_error *err;
    sink sk[K_N];
    int as_of, w0;                     /* as-of and first month of the history */
    int64_t next_enr, next_pop, next_person;
    uint64_t *keys;
    size_t kcap;
    employer *emp;
    size_t nent, ncons, ninst;         /* employers: enterprises, then construction, then institutions */
    long nfault[SIB_F_COUNT];
    long cal_ins[SIB_NSCHEMES], cal_ben[SIB_NSCHEMES], cal_proj, cal_land;
    long exp_lapsed, exp_unins, exp_conf, exp_pairs;
    /* Exact selection of the 210 and 410 employees (Knuth's algorithm S). */
    sib_rng sel;
    long sel_left, need210, need410;
    /* Template for the next person when a twin or namesake is due. */
    int tmpl_kind;                     /* 0, SIB_F_TWINS or SIB_F_NAMESAKES */
    person tmpl;
    /* Per-person work space. */
    person pe;
    genr enr[SIB_GEN_MAX_ENR];
    int nenr;
    int rowcap;
    char namebuf[SIB_GEN_MAX_ENR][NAME_CAP];
    char popname[NAME_CAP], tmpname[NAME_CAP];
    sib_gen_crow *rowpool;
} gen;

/* ---- months and dates ---------------------------------------------------- */

static int mi(int m) { return (m / 100) * 12 + m % 100 - 1; }
static int mm(int i) { return (i / 12) * 100 + i % 12 + 1; }
static int madd(int m, int k) { return mm(mi(m) + k); }
static int mdays(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}
static int day_in(sib_rng *r, int m, int lo, int hi)
{
    int nd = mdays(m / 100, m % 100);
    if (hi > nd)
        hi = nd;
    return m * 100 + (int)sib_rng_range(r, lo, hi);
}
static int end_of(int m) { return m * 100 + mdays(m / 100, m % 100); }
static int age_at(int birth, int on)
{
    int a = on / 10000 - birth / 10000;
    if (on % 10000 < birth % 10000)
        a--;
    return a;
}

/* ---- sinks --------------------------------------------------------------- */

static int sink_flush(gen *g, int k)
{
    sink *s = &g->sk[k];
    if (s->b.len == 0)
        return SIB_OK;
    if (sib_db_copy_in_put(s->db, s->b.data, s->b.len, g->err) != SIB_OK)
        return sib_error_prefix(g->err, "%s", sink_table[k]);
    s->b.len = 0;
    return SIB_OK;
}

static int sink_row_done(gen *g, int k)
{
    sink *s = &g->sk[k];
    s->rows++;
    if (sib_buf_put(&s->b, "\n", 1) != SIB_OK)
        return sib_error_set(g->err, "%s: out of memory", sink_table[k]);
    return s->b.len >= FLUSH_AT ? sink_flush(g, k) : SIB_OK;
}

/* Field writers: text (escaped, NULL as \N), integers, money, dates. */
static void f_txt(gen *g, int k, const char *s) { sib_copy_field(&g->sk[k].b, s); }
static void f_tab(gen *g, int k) { sib_buf_put(&g->sk[k].b, "\t", 1); }
static void f_int(gen *g, int k, int64_t v)
{
    char t[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
    do
        t[n++] = (char)('0' + u % 10);
    while ((u /= 10));
    if (v < 0)
        t[n++] = '-';
    char o[24];
    for (int i = 0; i < n; i++)
        o[i] = t[n - 1 - i];
    sib_buf_put(&g->sk[k].b, o, (size_t)n);
}
static void f_money(gen *g, int k, int64_t cents)
{
    if (cents < 0) {
        sib_buf_put(&g->sk[k].b, "-", 1);
        cents = -cents;
    }
    f_int(g, k, cents / 100);
    char t[3] = { '.', (char)('0' + cents % 100 / 10), (char)('0' + cents % 10) };
    sib_buf_put(&g->sk[k].b, t, 3);
}
static void f_date(gen *g, int k, int ymd)
{
    if (!ymd) {
        sib_buf_put(&g->sk[k].b, "\\N", 2);
        return;
    }
    char t[11] = { (char)('0' + ymd / 10000000), (char)('0' + ymd / 1000000 % 10),
                   (char)('0' + ymd / 100000 % 10), (char)('0' + ymd / 10000 % 10), '-',
                   (char)('0' + ymd / 1000 % 10), (char)('0' + ymd / 100 % 10), '-',
                   (char)('0' + ymd / 10 % 10), (char)('0' + ymd % 10), 0 };
    sib_buf_put(&g->sk[k].b, t, 10);
}
static void f_null(gen *g, int k) { sib_buf_put(&g->sk[k].b, "\\N", 2); }


/* ---- contribution rows in COPY binary format ------------------------------
 * The biggest table by far: binary rows spare the server parsing numerics
 * and dates from text (about a third of its COPY time). */

static int contrib_row(gen *g, int64_t eid, int period, int64_t base, int64_t er, int64_t pr, int paid_on)
{
    sib_buf *b = &g->sk[K_CONTRIB].b;
    if (sib_buf_reserve(b, 128) != SIB_OK)
        return sib_error_set(g->err, "contribution: out of memory");
    sib_bin_row(b, 6);
    sib_bin_int8(b, eid);
    sib_bin_int4(b, period);
    sib_bin_money(b, base);
    sib_bin_money(b, er);
    sib_bin_money(b, pr);
    sib_bin_date(b, paid_on);   /* 0: unpaid, a null */
    g->sk[K_CONTRIB].rows++;
    return b->len >= FLUSH_AT ? sink_flush(g, K_CONTRIB) : SIB_OK;
}

/* Records one injected fault. */
static int fault(gen *g, int kind, const char *table, int64_t key, int period, const char *detail)
{
    g->nfault[kind]++;
    f_txt(g, K_TFAULT, sib_gen_fault_name(kind)); f_tab(g, K_TFAULT);
    f_txt(g, K_TFAULT, table); f_tab(g, K_TFAULT);
    f_int(g, K_TFAULT, key);
    if (period) {
        sib_buf_put(&g->sk[K_TFAULT].b, ":", 1);
        f_int(g, K_TFAULT, period);
    }
    f_tab(g, K_TFAULT);
    f_txt(g, K_TFAULT, detail);
    return sink_row_done(g, K_TFAULT);
}

/* Whether to inject fault kind on an eligible item: never at rate 0, always
 * on the first eligible item (so every kind is present even at small scale),
 * else with the kind's rate. */
static int want(gen *g, sib_rng *r, int kind)
{
    double rate = g->p->rate[kind];
    if (rate <= 0)
        return 0;
    if (g->nfault[kind] == 0)
        return 1;
    return sib_rng_chance(r, rate);
}

/* ---- ID uniqueness ------------------------------------------------------- */

static uint64_t key_hash(const char *k)
{
    return sib_fnv1a(k, 17) | 1;   /* 0 marks an empty slot */
}

/* Inserts the key; 0 when it was already there. */
static int key_insert(gen *g, const char *k)
{
    uint64_t h = key_hash(k);
    size_t i = (size_t)(h ^ (h >> 29)) & (g->kcap - 1);
    while (g->keys[i]) {
        if (g->keys[i] == h)
            return 0;     /* the same key (or, rarely, the same hash: avoid it too) */
        i = (i + 1) & (g->kcap - 1);
    }
    g->keys[i] = h;
    return 1;
}

/* ---- employers ----------------------------------------------------------- */

static int gen_employers(gen *g, long n_ent, long n_cons, long n_inst)
{
    g->nent = (size_t)n_ent;
    g->ncons = (size_t)n_cons;
    g->ninst = (size_t)n_inst;
    size_t n = g->nent + g->ncons + g->ninst;
    g->emp = calloc(n, sizeof *g->emp);
    if (!g->emp)
        return sib_error_set(g->err, "employers: out of memory");
    double iw[sizeof industry / sizeof industry[0]];
    for (size_t i = 0; i < sizeof iw / sizeof iw[0]; i++)
        iw[i] = industry[i].w;
    for (size_t i = 0; i < n; i++) {
        sib_rng r;
        sib_rng_init(&r, g->p->seed, ST_EMPLOYER, i);
        employer *e = &g->emp[i];
        e->unit_id = 1000001 + (int64_t)i;
        e->town = (int)sib_rng_weighted(&r, town_w, 10);
        const char *code, *part, *suffix = "有限公司";
        char head[9];
        const char *region = sib_rng_chance(&r, 0.9) ? "350581" : sib_rng_chance(&r, 0.5) ? "350582" : "350500";
        if (i < g->nent) {
            size_t k = sib_rng_weighted(&r, iw, sizeof iw / sizeof iw[0]);
            code = industry[k].code;
            part = industry[k].part;
            e->risk = industry[k].risk;
            e->wage = 380000 + (int64_t)sib_rng_below(&r, 350000);
            snprintf(head, sizeof head, "%s%s", sib_rng_chance(&r, 0.9) ? "91" : "92", region);
        } else if (i < g->nent + g->ncons) {
            code = sib_rng_chance(&r, 0.6) ? "E4790" : "E4812";
            part = sib_rng_chance(&r, 0.6) ? "建筑工程" : "市政工程";
            e->risk = sib_rng_chance(&r, 0.5) ? 5 : 6;
            e->wage = 450000 + (int64_t)sib_rng_below(&r, 300000);
            snprintf(head, sizeof head, "91%s", region);
        } else {
            static const char *const icode[] = { "S9221", "P8331", "Q8411", "S9224" };
            static const char *const ipart[] = { "人民政府", "中学", "医院", "事务中心" };
            int k = (int)sib_rng_below(&r, 4);
            code = icode[k];
            part = ipart[k];
            suffix = "";
            e->risk = 1;
            e->wage = 600000 + (int64_t)sib_rng_below(&r, 500000);
            snprintf(head, sizeof head, "%s350581", k == 0 ? "11" : "12");
        }
        char credit[19], name[160];
        sib_gen_credit_make(&r, head, credit);
        if (i >= g->nent + g->ncons)
            snprintf(name, sizeof name, "石狮市%s%s%s", town_short[e->town], part, suffix);
        else
            snprintf(name, sizeof name, "石狮市%s%s%s", brand[sib_rng_below(&r, sizeof brand / sizeof brand[0])], part, suffix);
        int k = K_EMPLOYER;
        f_int(g, k, e->unit_id); f_tab(g, k);
        if (want(g, &r, SIB_F_EMPLOYER_BAD_CREDIT)) {
            if (sib_rng_chance(&r, 0.3)) {
                f_null(g, k);
                if (fault(g, SIB_F_EMPLOYER_BAD_CREDIT, "employer", e->unit_id, 0, "null") != SIB_OK)
                    return SIB_ERR;
            } else {
                credit[17] = credit[17] == '0' ? '1' : '0';   /* a wrong check character */
                f_txt(g, k, credit);
                if (fault(g, SIB_F_EMPLOYER_BAD_CREDIT, "employer", e->unit_id, 0, "check") != SIB_OK)
                    return SIB_ERR;
            }
        } else {
            f_txt(g, k, credit);
        }
        f_tab(g, k);
        f_txt(g, k, name); f_tab(g, k);
        f_txt(g, k, code); f_tab(g, k);
        if (want(g, &r, SIB_F_EMPLOYER_BAD_RISK)) {
            int v = (int)sib_rng_below(&r, 3);
            if (v == 0)
                f_null(g, k);
            else
                f_int(g, k, v == 1 ? 0 : 9);
            if (fault(g, SIB_F_EMPLOYER_BAD_RISK, "employer", e->unit_id, 0, v == 0 ? "null" : v == 1 ? "0" : "9") != SIB_OK)
                return SIB_ERR;
        } else {
            f_int(g, k, e->risk);
        }
        f_tab(g, k);
        f_txt(g, k, town_code[e->town]);
        if (sink_row_done(g, k) != SIB_OK)
            return SIB_ERR;
    }
    return SIB_OK;
}

/* An employer index: a few big ones, many small (skewed). */
static size_t pick_employer(sib_rng *r, size_t lo, size_t n)
{
    double u = sib_rng_unit(r);
    return lo + (size_t)(u * u * (double)n);
}

/* ---- enrollments and contributions --------------------------------------- */

static const char *const sys_name[4] = { "institution", "enterprise", "resident", "employment" };
enum { SYS_INST, SYS_ENT, SYS_RES, SYS_EMPL };
static const char *const scheme_txt[SIB_NSCHEMES] = { "110", "120", "170", "210", "410" };

static genr *new_enr(gen *g, sib_rng *r, int sys, int scheme, int cat, int64_t unit, int town,
                     int start, int end, int status, int benefit)
{
    if (g->nenr >= SIB_GEN_MAX_ENR)
        return NULL;
    genr *e = &g->enr[g->nenr];
    memset(e, 0, sizeof *e);
    e->rows = g->rowpool + (size_t)g->nenr * (size_t)g->rowcap;
    e->name = g->namebuf[g->nenr];
    g->nenr++;
    /* One ascending sequence in generation order: contribution rows then
     * arrive sorted by (enrollment_id, period), and the index build after
     * the load sorts presorted input. source_system tells the agency. */
    e->t.id = 1000000000LL + ++g->next_enr;
    e->t.scheme = scheme;
    e->t.start = start;
    e->t.end = end;
    e->t.status = status;
    e->t.benefit = benefit;
    e->t.category = cat;
    e->system = sys_name[sys];
    e->type = scheme >= 0 ? scheme_txt[scheme] : NULL;
    e->unit = unit;
    e->town = town;
    snprintf(e->name, NAME_CAP, "%s", g->pe.name);
    snprintf(e->id, sizeof e->id, "%s", g->pe.key);
    int lo = start < madd(g->as_of, -120) ? madd(g->as_of, -120) : start;
    e->updated = day_in(r, lo > g->as_of ? g->as_of : lo, 1, 28);
    return e;
}

static void add_row(gen *g, genr *e, int period, int paid_on, int64_t base, int64_t er, int64_t pr)
{
    if (e->t.nrows >= g->rowcap)
        return;
    sib_gen_crow *c = &e->rows[e->t.nrows++];
    c->period = period;
    c->paid_on = paid_on;
    c->base = base;
    c->er = er;
    c->pr = pr;
    e->t.rows = e->rows;
}

/* Monthly rows for months from..to inside the history window, at employer
 * and personal rates in 0.01 % (basis points). */
static void add_monthly(gen *g, sib_rng *r, genr *e, int from, int to, int64_t base, int er_bp, int pr_bp)
{
    if (from < g->w0)
        from = g->w0;
    if (to > g->as_of)
        to = g->as_of;
    for (int m = from; m <= to; m = madd(m, 1)) {
        int64_t b = base;
        add_row(g, e, m, day_in(r, m, 8, 28), b, (b * er_bp + 5000) / 10000, (b * pr_bp + 5000) / 10000);
    }
}

/* 170: a yearly grade paid once a year, written as monthly rows sharing one
 * paid_on; the twelve personal amounts add up to the grade exactly. */
static void add_yearly(gen *g, sib_rng *r, genr *e, int from, int to, int64_t grade, int64_t subsidy)
{
    if (from < g->w0)
        from = g->w0;
    if (to > g->as_of)
        to = g->as_of;
    for (int y = from / 100; y <= to / 100; y++) {
        int m0 = y * 100 + 1, m1 = y * 100 + 12;
        int pm = y * 100 + (int)sib_rng_range(r, 3, 11);
        if (pm > g->as_of)
            pm = g->as_of;
        int paid = day_in(r, pm, 1, 28);
        for (int m = m0; m <= m1; m++) {
            if (m < from || m > to)
                continue;
            int64_t pr = grade / 12 + (m % 100 == 12 ? grade % 12 : 0);
            int64_t er = subsidy / 12 + (m % 100 == 12 ? subsidy % 12 : 0);
            add_row(g, e, m, paid, grade, er, pr);
        }
    }
}

static int64_t draw_base(sib_rng *r, int64_t typical)
{
    double f = exp((sib_rng_unit(r) - 0.5) * 0.7);
    int64_t b = (int64_t)((double)typical * f) / 100 * 100;
    if (b < 350000)
        b = 350000;
    if (b > 1200000)
        b = 1200000;
    return b;
}

static int64_t draw_grade(sib_rng *r)
{
    static const int grade[] = { 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000, 2500, 3000 };
    static const double w[] = { 40, 15, 10, 4, 8, 3, 2, 2, 1, 5, 2, 2, 1, 2 };
    return (int64_t)grade[sib_rng_weighted(r, w, sizeof w / sizeof w[0])] * 100;
}

/* ---- persons ------------------------------------------------------------- */

static const struct { int age_lo, age_hi; double male, local; } role_demo[R_COUNT] = {
    [R_EMP] = { 18, 59, 0.58, 0.40 },      [R_EMP_C170] = { 25, 55, 0.55, 1.0 },
    [R_FLEX] = { 25, 59, 0.50, 0.60 },     [R_LAND110] = { 40, 59, 0.50, 1.0 },
    [R_RET110] = { 56, 85, 0.50, 0.75 },   [R_INST] = { 23, 59, 0.50, 1.0 },
    [R_INST_C170] = { 30, 59, 0.50, 1.0 }, [R_INST_C110] = { 30, 59, 0.50, 1.0 },
    [R_RET120] = { 60, 90, 0.50, 1.0 },    [R_RES170] = { 16, 59, 0.45, 1.0 },
    [R_BEN170] = { 60, 95, 0.45, 1.0 },    [R_LAND170] = { 30, 59, 0.50, 1.0 },
    [R_PROJ] = { 20, 58, 0.90, 0.20 },     [R_DEAD_OPEN] = { 62, 95, 0.55, 1.0 },
    [R_UNINS] = { 16, 59, 0.50, 0.50 },    [R_CHILD] = { 0, 15, 0.52, 0.75 },
    [R_STUDENT] = { 16, 22, 0.52, 0.70 },  [R_ELDER] = { 60, 95, 0.45, 0.85 },
    [R_DEAD] = { 55, 95, 0.55, 0.90 } };

static int make_person(gen *g, sib_rng *r, int role, int twin_next, int namesake_next)
{
    person *p = &g->pe;
    memset(p, 0, offsetof(person, name));
    p->name[0] = 0;
    p->id = ++g->next_person;
    p->role = role;
    int ay = g->as_of / 100;
    if (g->tmpl_kind) {
        /* A twin (same birth date, surname, town, prefix) or a namesake
         * (same name and birth date). */
        p->birth = g->tmpl.birth;
        p->local = g->tmpl.local;
        p->town = g->tmpl.town;
        if (g->tmpl_kind == SIB_F_TWINS) {
            p->gender = sib_rng_chance(r, 0.5) ? 1 : 2;
            snprintf(p->prefix, sizeof p->prefix, "%s", g->tmpl.prefix);
            snprintf(p->surname, sizeof p->surname, "%s", g->tmpl.surname);
            char given[16];
            do
                sib_gen_given(r, p->gender, given, sizeof given);
            while (strcmp(given, g->tmpl.name + strlen(g->tmpl.surname)) == 0);
            snprintf(p->name, NAME_CAP, "%s%s", p->surname, given);
        } else {
            p->gender = g->tmpl.gender;
            snprintf(p->surname, sizeof p->surname, "%s", g->tmpl.surname);
            snprintf(p->name, NAME_CAP, "%s", g->tmpl.name);
            p->prefix[0] = 0;
        }
    } else {
        int lo = role_demo[role].age_lo, hi = role_demo[role].age_hi;
        int age;
        if (role == R_EMP || role == R_FLEX || role == R_PROJ) {
            double u = sib_rng_unit(r);
            age = lo + (int)(u * sqrt(u) * (hi - lo + 1));   /* younger workers more common */
        } else if (role == R_RES170 || role == R_UNINS) {
            double u = sib_rng_unit(r);
            age = hi - (int)(u * u * (hi - lo + 1));         /* residents older */
        } else {
            age = (int)sib_rng_range(r, lo, hi);
        }
        if (age > hi)
            age = hi;
        p->gender = sib_rng_chance(r, role_demo[role].male) ? 1 : 2;
        if (role == R_RET110 && p->gender == 1 && age < 60)
            age = 60 + (int)sib_rng_below(r, 20);
        int by = ay - age, bm = (int)sib_rng_range(r, 1, 12);
        p->birth = by * 10000 + bm * 100 + (int)sib_rng_range(r, 1, mdays(by, bm));
        p->local = sib_rng_chance(r, role_demo[role].local);
        p->town = (int)sib_rng_weighted(r, town_w, 10);
    }
    if (!p->prefix[0]) {
        if (p->local) {
            int by = p->birth / 10000;
            double u = sib_rng_unit(r);
            snprintf(p->prefix, sizeof p->prefix, "%s",
                     by >= 1988 ? (u < 0.8 ? "350581" : "350582")
                                : (u < 0.5 ? "350521" : u < 0.8 ? "350581" : "350582"));
        } else {
            snprintf(p->prefix, sizeof p->prefix, "%s",
                     migrant_prefix[sib_rng_weighted(r, migrant_w, sizeof migrant_w / sizeof migrant_w[0])]);
        }
    }
    for (int tries = 0;; tries++) {
        int seq = (int)sib_rng_below(r, 500) * 2 + (p->gender == 1 ? 1 : 0);
        sib_gen_id_make(p->prefix, p->birth, seq, p->key);
        if (key_insert(g, p->key))
            break;
        if (tries > 2000)
            return sib_error_set(g->err, "person %lld: no free ID sequence", (long long)p->id);
    }
    if (!p->name[0]) {
        sib_gen_name(r, p->gender, p->local, p->name, NAME_CAP);
        /* The surname is the first character (romanized names: the first word). */
        size_t sl = (unsigned char)p->name[0] < 0x80 ? strcspn(p->name, " ") : 3;
        snprintf(p->surname, sizeof p->surname, "%.*s", (int)(sl < 7 ? sl : 6), p->name);
    }
    if (want(g, r, SIB_F_HOSTILE_NAME)) {
        char d[32];
        if (sib_gen_name_mutate(SIB_F_HOSTILE_NAME, p->name, r, g->tmpname, NAME_CAP, d, sizeof d) == SIB_OK) {
            snprintf(p->name, NAME_CAP, "%s", g->tmpname);
            if (fault(g, SIB_F_HOSTILE_NAME, "person", p->id, 0, d) != SIB_OK)
                return SIB_ERR;
        }
    }
    /* Population facts. */
    int eoa = end_of(g->as_of);
    if (role == R_DEAD || role == R_DEAD_OPEN) {
        int back = (int)sib_rng_range(r, 0, role == R_DEAD ? 35 : 23);
        int dm = madd(g->as_of, -back);
        p->deceased_on = day_in(r, dm, 1, 28);
        if (p->deceased_on > eoa)
            p->deceased_on = eoa;
    }
    p->in_school = role == R_STUDENT || (role == R_CHILD && age_at(p->birth, eoa) >= 6);
    p->in_school_null = !p->in_school && sib_rng_chance(r, 0.02);
    int always = p->local || role >= R_DEAD_OPEN;
    p->has_pop = always || sib_rng_chance(r, 0.85);
    p->residence = p->local ? (sib_rng_chance(r, 0.97) ? 0 : 1) : (sib_rng_chance(r, 0.7) ? 2 : 1);
    /* Decide whether the next person is this one's twin or namesake. */
    g->tmpl_kind = 0;
    if (twin_next || namesake_next) {
        g->tmpl = *p;
        g->tmpl_kind = twin_next ? SIB_F_TWINS : SIB_F_NAMESAKES;
    }
    return SIB_OK;
}

/* ---- the role models ----------------------------------------------------- */

/* Working-age enterprise employee: 110 (+ 210, 410 as selected). */
static int model_employee(gen *g, sib_rng *r, int with210, int with410, int *stop, int *never)
{
    person *p = &g->pe;
    size_t ei = pick_employer(r, 0, g->nent);
    const employer *em = &g->emp[ei];
    int maxten = age_at(p->birth, end_of(g->as_of)) - 17;
    int tenure = (int)sib_rng_range(r, 0, maxten * 12 < 180 ? maxten * 12 : 180);
    int start = madd(g->as_of, -tenure);
    int64_t base = draw_base(r, em->wage);
    int status = 1;
    int last = g->as_of;
    if (*stop) {
        last = madd(g->as_of, -*stop);
        if (last < start)
            last = start;
        status = sib_rng_chance(r, 0.4) ? 2 : 1;
    }
    genr *e110 = new_enr(g, r, SYS_ENT, SIB_S110, SIB_CAT_EMPLOYEE, em->unit_id, em->town, start, 0, status, 0);
    if (!*never)
        add_monthly(g, r, e110, start, last, base, 1600, 800);
    if (with210) {
        genr *e = new_enr(g, r, SYS_EMPL, SIB_S210, SIB_CAT_EMPLOYEE, em->unit_id, em->town, start, 0, status, 0);
        if (!*never)
            add_monthly(g, r, e, start, last, base, 50, 50);
    }
    if (with410) {
        genr *e = new_enr(g, r, SYS_ENT, SIB_S410, SIB_CAT_EMPLOYEE, em->unit_id, em->town, start, 0, status, 0);
        if (!*never)
            add_monthly(g, r, e, start, last, base, risk_bp[em->risk], 0);
    }
    return SIB_OK;
}

static void model_flexible(gen *g, sib_rng *r, int cat, int stop, int never)
{
    int start = madd(g->as_of, -(int)sib_rng_range(r, 0, 150));
    int last = stop ? madd(g->as_of, -stop) : g->as_of;
    genr *e = new_enr(g, r, SYS_ENT, SIB_S110, cat, 0, g->pe.town, start, 0, stop && sib_rng_chance(r, 0.4) ? 2 : 1, 0);
    if (!never)
        add_monthly(g, r, e, start, last, 350000 + 100 * (int64_t)sib_rng_below(r, 3000), 1200, 800);
}

static void model_retiree(gen *g, sib_rng *r, int scheme)
{
    person *p = &g->pe;
    int retire_age = p->gender == 1 ? 60 : (scheme == SIB_S120 || sib_rng_chance(r, 0.4) ? 55 : 50);
    int rm = (p->birth / 10000 + retire_age) * 100 + p->birth / 100 % 100;
    if (rm > madd(g->as_of, -1))
        rm = madd(g->as_of, -1);
    int start = madd(rm, -(int)sib_rng_range(r, 180, 420));
    int sys = scheme == SIB_S120 ? SYS_INST : SYS_ENT;
    int64_t unit = 0;
    int town = p->town;
    if (scheme == SIB_S120) {
        const employer *em = &g->emp[g->nent + g->ncons + sib_rng_below(r, g->ninst)];
        unit = em->unit_id;
        town = em->town;
    }
    genr *e = new_enr(g, r, sys, scheme, SIB_CAT_EMPLOYEE, unit, town, start, rm, 3, madd(rm, 1));
    add_monthly(g, r, e, start, rm, 500000 + 100 * (int64_t)sib_rng_below(r, 4000), 1600, 800);
}

static genr *model_institution(gen *g, sib_rng *r, int stop, int never)
{
    const employer *em = &g->emp[g->nent + g->ncons + sib_rng_below(r, g->ninst)];
    int maxten = age_at(g->pe.birth, end_of(g->as_of)) - 22;
    int start = madd(g->as_of, -(int)sib_rng_range(r, 0, maxten * 12 < 300 ? maxten * 12 : 300));
    /* The 2014 reform: institution pension rolls start from 2014-10 at the earliest. */
    if (start < 201410 && g->as_of >= 201410)
        start = 201410;
    int last = stop ? madd(g->as_of, -stop) : g->as_of;
    genr *e = new_enr(g, r, SYS_INST, SIB_S120, SIB_CAT_EMPLOYEE, em->unit_id, em->town, start, 0,
                      stop && sib_rng_chance(r, 0.5) ? 2 : 1, 0);
    if (!never)
        add_monthly(g, r, e, start, last, draw_base(r, em->wage), 1600, 800);
    return e;
}

/* 170 contributor (resident or land-expropriated). stop: years before as-of's
 * year of the last payment (0 = paying). */
static genr *model_resident(gen *g, sib_rng *r, int cat, int stop_years, int never, int from_months)
{
    int start = madd(g->as_of, -from_months);
    genr *e = new_enr(g, r, SYS_RES, SIB_S170, cat, 0, g->pe.town, start, 0, 1, 0);
    int last = stop_years ? (g->as_of / 100 - stop_years) * 100 + 12 : g->as_of;
    int64_t grade = cat == SIB_CAT_LAND ? 300000 : draw_grade(r);
    int64_t subsidy = sib_rng_chance(r, 0.3) ? 100 * (int64_t)sib_rng_range(r, 50, 200) : 0;
    if (!never)
        add_yearly(g, r, e, start, last, grade, subsidy);
    return e;
}

static int model_beneficiary(gen *g, sib_rng *r)
{
    person *p = &g->pe;
    int b60 = (p->birth / 10000 + 60) * 100 + p->birth / 100 % 100;
    int bstart = madd(b60, 1);
    if (bstart < 201107)
        bstart = 201107;       /* the resident pension began paying in 2011 */
    if (bstart > g->as_of)
        bstart = g->as_of;
    int start = bstart < 201107 + 120 ? 201107 : madd(bstart, -(int)sib_rng_range(r, 12, 100));
    int status = 1, end = 0;
    int any = want(g, r, SIB_F_BENEFIT_ANY_STATUS);
    if (any) {
        status = 3;
        end = madd(g->as_of, -(int)sib_rng_range(r, 1, 24));
        if (end < bstart)
            end = bstart;
    }
    genr *e = new_enr(g, r, SYS_RES, SIB_S170, p->role == R_LAND170 ? SIB_CAT_LAND : SIB_CAT_RESIDENT,
                      0, p->town, start, end, status, bstart);
    add_yearly(g, r, e, start, madd(bstart, -1), draw_grade(r), 0);
    if (any && fault(g, SIB_F_BENEFIT_ANY_STATUS, "enrollment", e->t.id, 0, "status=3") != SIB_OK)
        return SIB_ERR;
    return SIB_OK;
}

static int model_project(gen *g, sib_rng *r)
{
    const employer *em = &g->emp[g->nent + pick_employer(r, 0, g->ncons)];
    int start = madd(g->as_of, -(int)sib_rng_range(r, 0, 30));
    int last = g->as_of;
    int stops = want(g, r, SIB_F_PROJECT_STOPS_PAYING);
    if (stops)
        last = madd(g->as_of, -(int)sib_rng_range(r, 1, 18));
    genr *e = new_enr(g, r, SYS_ENT, SIB_S410, SIB_CAT_PROJECT, em->unit_id, em->town, start, 0, 1, 0);
    add_monthly(g, r, e, start, last, draw_base(r, em->wage), risk_bp[em->risk], 0);
    if (stops) {
        char d[32];
        snprintf(d, sizeof d, "last_paid=%d", last < start ? 0 : last);
        if (fault(g, SIB_F_PROJECT_STOPS_PAYING, "enrollment", e->t.id, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    return SIB_OK;
}

/* ---- faults on rows ------------------------------------------------------ */

static const int id_faults[] = { SIB_F_ID_LOWERCASE_X, SIB_F_ID_FULLWIDTH, SIB_F_ID_INNER_SPACE,
                                 SIB_F_ID_LEGACY15, SIB_F_ID_TYPO, SIB_F_ID_TRANSPOSITION,
                                 SIB_F_ID_MISSING, SIB_F_ID_SPREADSHEET };

/* At most one ID fault, one name fault and one town fault per row. */
static int row_faults(gen *g, sib_rng *r, const char *table, int64_t key, char *id, size_t idcap,
                      int *id_null, char *name, int *town, const char **town_txt, int *town12)
{
    char d[48];
    for (size_t i = 0; strcmp(id, g->pe.key) == 0 && i < sizeof id_faults / sizeof id_faults[0]; i++) {
        int k = id_faults[i];
        if (k == SIB_F_ID_LOWERCASE_X && g->pe.key[17] != 'X')
            continue;
        if (k == SIB_F_ID_LEGACY15 && (g->pe.birth < 19000101 || g->pe.birth > 19991231))
            continue;
        if (!want(g, r, k))
            continue;
        if (sib_gen_id_mutate(k, g->pe.key, r, id, idcap, id_null, d, sizeof d) == SIB_OK) {
            if (fault(g, k, table, key, 0, d) != SIB_OK)
                return SIB_ERR;
            break;
        }
    }
    static const int nf[] = { SIB_F_NAME_SPACE, SIB_F_NAME_FULLWIDTH, SIB_F_NAME_TYPO };
    for (size_t i = 0; i < 3; i++) {
        if (nf[i] == SIB_F_NAME_FULLWIDTH && !sib_gen_name_has_latin(name))
            continue;
        if (!want(g, r, nf[i]))
            continue;
        if (sib_gen_name_mutate(nf[i], name, r, g->tmpname, NAME_CAP, d, sizeof d) == SIB_OK) {
            snprintf(name, NAME_CAP, "%s", g->tmpname);
            if (fault(g, nf[i], table, key, 0, d) != SIB_OK)
                return SIB_ERR;
            break;
        }
    }
    if (*town >= 0 && want(g, r, SIB_F_UNKNOWN_TOWN)) {
        size_t j = sib_rng_below(r, sizeof junk_town / sizeof junk_town[0] + 1);
        *town_txt = j < sizeof junk_town / sizeof junk_town[0] ? junk_town[j] : NULL;
        *town = -1;
        if (fault(g, SIB_F_UNKNOWN_TOWN, table, key, 0, *town_txt ? *town_txt : "null") != SIB_OK)
            return SIB_ERR;
    } else if (*town >= 0 && want(g, r, SIB_F_TOWN12)) {
        *town12 = 1;
        if (fault(g, SIB_F_TOWN12, table, key, 0, town_code[*town]) != SIB_OK)
            return SIB_ERR;
    }
    return SIB_OK;
}

/* Extra enrollments that do not change anyone's insured status. */
static int extra_enrollments(gen *g, sib_rng *r, int main_idx)
{
    if (main_idx < 0 || g->nenr + 4 > SIB_GEN_MAX_ENR)
        return SIB_OK;
    genr m = g->enr[main_idx];     /* a copy: new_enr may reuse nothing, but be safe */
    int sys = strcmp(m.system, "institution") == 0 ? SYS_INST : strcmp(m.system, "resident") == 0 ? SYS_RES
            : strcmp(m.system, "employment") == 0 ? SYS_EMPL : SYS_ENT;
    int64_t base = m.t.nrows ? m.rows[0].base : 400000;
    char d[48];
    if (want(g, r, SIB_F_DUP_TWO_AGENCIES)) {
        int other = sys == SYS_ENT ? SYS_EMPL : SYS_ENT;
        int start = madd(m.t.start, (int)sib_rng_range(r, 0, 12));
        if (start > g->as_of)
            start = g->as_of;
        int closed = sib_rng_chance(r, 0.5);
        genr *e = new_enr(g, r, other, m.t.scheme, m.t.category, m.unit, m.town, start,
                          closed ? g->as_of : 0, closed ? 3 : 1, 0);
        int to = madd(start, (int)sib_rng_range(r, 0, 11));
        if (m.t.scheme == SIB_S170)
            add_yearly(g, r, e, start, to, draw_grade(r), 0);
        else
            add_monthly(g, r, e, start, to, base, 1600, 800);
        snprintf(d, sizeof d, "duplicate of %lld", (long long)m.t.id);
        if (fault(g, SIB_F_DUP_TWO_AGENCIES, "enrollment", e->t.id, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    if (want(g, r, SIB_F_DUP_REKEYED)) {
        genr *e = new_enr(g, r, sys, m.t.scheme, m.t.category, m.unit, m.town, m.t.start, 0,
                          sib_rng_chance(r, 0.5) ? 2 : 3, 0);
        int nul;
        char dd[32];
        sib_gen_id_mutate(SIB_F_ID_TYPO, g->pe.key, r, e->id, sizeof e->id, &nul, dd, sizeof dd);
        snprintf(d, sizeof d, "re-key of %lld (%s)", (long long)m.t.id, dd);
        if (fault(g, SIB_F_DUP_REKEYED, "enrollment", e->t.id, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    if (want(g, r, SIB_F_BAD_INSURANCE_TYPE)) {
        static const char *const junk[] = { "11O", "999", "", "1l0", NULL };
        const char *t = junk[sib_rng_below(r, 5)];
        genr *e = new_enr(g, r, sys, -1, m.t.category, m.unit, m.town, m.t.start, 0, 1, 0);
        e->type = t;
        add_monthly(g, r, e, madd(g->as_of, -5), g->as_of, base, 1600, 800);
        if (fault(g, SIB_F_BAD_INSURANCE_TYPE, "enrollment", e->t.id, 0, t ? t : "null") != SIB_OK)
            return SIB_ERR;
    }
    if (want(g, r, SIB_F_OUT_OF_SCOPE)) {
        int med = sib_rng_chance(r, 0.7);
        genr *e = new_enr(g, r, sys == SYS_RES ? SYS_RES : SYS_ENT, -2, m.t.category, m.unit, m.town,
                          m.t.start, 0, 1, 0);
        e->type = med ? "310" : "510";
        add_monthly(g, r, e, madd(g->as_of, -11), g->as_of, base, med ? 800 : 70, med ? 200 : 0);
        if (fault(g, SIB_F_OUT_OF_SCOPE, "enrollment", e->t.id, 0, e->type) != SIB_OK)
            return SIB_ERR;
    }
    if (want(g, r, SIB_F_END_BEFORE_START)) {
        int start = madd(g->as_of, -(int)sib_rng_range(r, 0, 24));
        genr *e = new_enr(g, r, sys, -1, m.t.category, m.unit, m.town, start,
                          madd(start, -(int)sib_rng_range(r, 1, 24)), 3, 0);
        e->type = m.type;
        add_monthly(g, r, e, start, madd(start, 2), base, 1600, 800);
        snprintf(d, sizeof d, "end=%d start=%d", e->t.end, e->t.start);
        if (fault(g, SIB_F_END_BEFORE_START, "enrollment", e->t.id, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    if (want(g, r, SIB_F_NULL_IDENTITY)) {
        genr *e = new_enr(g, r, sys, -1, m.t.category, m.unit, m.town, m.t.start, 0, 1, 0);
        e->type = m.type;
        e->id_null = e->name_null = 1;
        add_monthly(g, r, e, madd(g->as_of, -2), g->as_of, base, 1600, 800);
        if (fault(g, SIB_F_NULL_IDENTITY, "enrollment", e->t.id, 0, "id and name null") != SIB_OK)
            return SIB_ERR;
    }
    return SIB_OK;
}

/* Contribution-row faults on the rows of usable enrollments. */
static int contribution_faults(gen *g, sib_rng *r, genr *e)
{
    int n = e->t.nrows;
    char d[48];
    for (int i = 0; i < n; i++) {
        if (want(g, r, SIB_F_REPEAT_ROW) && e->t.nrows < g->rowcap) {
            sib_gen_crow c = e->rows[i];
            int v = (int)sib_rng_below(r, 3);
            if (v == 0)
                c.paid_on = 0;
            else if (c.paid_on)
                c.paid_on = c.paid_on % 100 < 28 ? c.paid_on + 1 : c.paid_on - 1;
            c.er += (int64_t)sib_rng_range(r, -500, 500);
            if (c.er < 0)
                c.er = 0;
            add_row(g, e, c.period, c.paid_on, c.base, c.er, c.pr);
            snprintf(d, sizeof d, "%s", v == 0 ? "paid_on null" : v == 1 ? "later paid_on" : "earlier paid_on");
            if (fault(g, SIB_F_REPEAT_ROW, "contribution", e->t.id, c.period, d) != SIB_OK)
                return SIB_ERR;
        }
        if (want(g, r, SIB_F_NEGATIVE_AMOUNT)) {
            sib_gen_crow *c = &e->rows[i];
            c->pr = -(c->pr ? c->pr : 100);
            if (fault(g, SIB_F_NEGATIVE_AMOUNT, "contribution", e->t.id, c->period, "personal_amount") != SIB_OK)
                return SIB_ERR;
        }
    }
    if (n && want(g, r, SIB_F_FUTURE_PERIOD)) {
        int k = (int)sib_rng_range(r, 1, 3);
        for (int j = 1; j <= k && e->t.nrows < g->rowcap; j++) {
            sib_gen_crow c = e->rows[n - 1];
            int per = madd(g->as_of, j);
            add_row(g, e, per, day_in(r, g->as_of, 1, 28), c.base, c.er, c.pr);
            if (fault(g, SIB_F_FUTURE_PERIOD, "contribution", e->t.id, per, "after as-of") != SIB_OK)
                return SIB_ERR;
        }
    }
    return SIB_OK;
}

/* ---- writing a person ---------------------------------------------------- */

static int write_enrollments(gen *g, sib_rng *r)
{
    for (int i = 0; i < g->nenr; i++) {
        genr *e = &g->enr[i];
        if (!e->name_null && !e->id_null) {
            if (row_faults(g, r, "enrollment", e->t.id, e->id, sizeof e->id, &e->id_null, e->name,
                           &e->town, &e->town_txt, &e->town12) != SIB_OK)
                return SIB_ERR;
        }
        if (e->t.scheme >= 0 && contribution_faults(g, r, e) != SIB_OK)
            return SIB_ERR;
        int k = K_ENR;
        f_int(g, k, e->t.id); f_tab(g, k);
        f_txt(g, k, e->system); f_tab(g, k);
        f_txt(g, k, e->id_null ? NULL : e->id); f_tab(g, k);
        f_txt(g, k, e->name_null ? NULL : e->name); f_tab(g, k);
        f_txt(g, k, g->pe.gender == 1 ? "1" : "2"); f_tab(g, k);
        f_date(g, k, g->pe.birth); f_tab(g, k);
        f_txt(g, k, e->type); f_tab(g, k);
        if (e->unit)
            f_int(g, k, e->unit);
        else
            f_null(g, k);
        f_tab(g, k);
        static const char *const cat[] = { "employee", "flexible", "project", "land_expropriated", "resident" };
        f_txt(g, k, cat[e->t.category]); f_tab(g, k);
        if (e->town >= 0) {
            f_txt(g, k, town_code[e->town]);
            if (e->town12)
                sib_buf_puts(&g->sk[k].b, "000");
        } else {
            f_txt(g, k, e->town_txt);
        }
        f_tab(g, k);
        f_int(g, k, e->t.start); f_tab(g, k);
        if (e->t.end) f_int(g, k, e->t.end); else f_null(g, k);
        f_tab(g, k);
        char st[2] = { (char)('0' + e->t.status), 0 };
        f_txt(g, k, st); f_tab(g, k);
        if (e->t.benefit) f_int(g, k, e->t.benefit); else f_null(g, k);
        f_tab(g, k);
        f_date(g, k, e->updated);
        sib_buf_printf(&g->sk[k].b, " %02u:%02u:%02u+00", (unsigned)((e->t.id * 7) % 10 + 8),
                       (unsigned)((e->t.id * 13) % 60), (unsigned)((e->t.id * 31) % 60));
        if (sink_row_done(g, k) != SIB_OK)
            return SIB_ERR;
        /* Period order (stable: a repeated row follows the one it repeats). */
        for (int j = 1; j < e->t.nrows; j++) {
            sib_gen_crow c = e->rows[j];
            int q = j;
            for (; q > 0 && e->rows[q - 1].period > c.period; q--)
                e->rows[q] = e->rows[q - 1];
            e->rows[q] = c;
        }
        for (int j = 0; j < e->t.nrows; j++) {
            const sib_gen_crow *c = &e->rows[j];
            if (contrib_row(g, e->t.id, c->period, c->base, c->er, c->pr, c->paid_on) != SIB_OK)
                return SIB_ERR;
        }
        k = K_TENR;
        f_int(g, k, e->t.id); f_tab(g, k);
        f_int(g, k, g->pe.id);
        if (sink_row_done(g, k) != SIB_OK)
            return SIB_ERR;
    }
    return SIB_OK;
}

static int write_population_row(gen *g, sib_rng *r, int dup)
{
    person *p = &g->pe;
    int64_t pop = ++g->next_pop;
    char id[64];
    int id_null = 0, town = p->town, town12 = 0;
    const char *town_txt = NULL;
    snprintf(id, sizeof id, "%s", p->key);
    snprintf(g->popname, NAME_CAP, "%s", p->name);
    if (dup) {
        town = (int)sib_rng_weighted(r, town_w, 10);   /* moved: a second registration */
        char d[48];
        snprintf(d, sizeof d, "second row of person %lld", (long long)p->id);
        if (fault(g, SIB_F_DUPLICATE_POPULATION, "population", pop, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    if (row_faults(g, r, "population", pop, id, sizeof id, &id_null, g->popname, &town, &town_txt, &town12) != SIB_OK)
        return SIB_ERR;
    int k = K_POP;
    f_int(g, k, pop); f_tab(g, k);
    f_txt(g, k, id_null ? NULL : id); f_tab(g, k);
    f_txt(g, k, g->popname); f_tab(g, k);
    f_txt(g, k, p->gender == 1 ? "1" : "2"); f_tab(g, k);
    f_date(g, k, p->birth); f_tab(g, k);
    if (town >= 0) {
        f_txt(g, k, town_code[town]);
        if (town12)
            sib_buf_puts(&g->sk[k].b, "000");
    } else {
        f_txt(g, k, town_txt);
    }
    f_tab(g, k);
    static const char *const res[] = { "hukou", "resident", "new_citizen" };
    f_txt(g, k, res[p->residence]); f_tab(g, k);
    f_date(g, k, p->deceased_on); f_tab(g, k);
    f_txt(g, k, p->in_school_null ? NULL : p->in_school ? "t" : "f");
    if (sink_row_done(g, k) != SIB_OK)
        return SIB_ERR;
    k = K_TPOP;
    f_int(g, k, pop); f_tab(g, k);
    f_int(g, k, p->id);
    return sink_row_done(g, k);
}

static int write_truth(gen *g)
{
    person *p = &g->pe;
    sib_gen_enr te[SIB_GEN_MAX_ENR];
    for (int i = 0; i < g->nenr; i++)
        te[i] = g->enr[i].t;
    int eoa = end_of(g->as_of);
    int dead = p->has_pop && p->deceased_on && p->deceased_on <= eoa;
    sib_gen_truth t;
    if (sib_gen_truth_person(te, g->nenr, g->as_of, dead, g->p->lapse_threshold, &t) != SIB_OK)
        return sib_error_set(g->err, "person %lld: too many enrollments", (long long)p->id);
    int land = 0;
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        if (!t.insured[s])
            continue;
        g->cal_ins[s]++;
        if (t.beneficiary[s])
            g->cal_ben[s]++;
        int cat = te[t.record[s]].category;
        if (s == SIB_S410 && cat == SIB_CAT_PROJECT)
            g->cal_proj++;
        if ((s == SIB_S110 || s == SIB_S170) && cat == SIB_CAT_LAND)
            land = 1;
        if (t.lapsed[s]) {
            int k = K_TLAPSED;
            f_int(g, k, p->id); f_tab(g, k);
            f_txt(g, k, scheme_txt[s]); f_tab(g, k);
            f_int(g, k, t.months_unpaid[s]);
            g->exp_lapsed++;
            if (sink_row_done(g, k) != SIB_OK)
                return SIB_ERR;
        }
    }
    g->cal_land += land;
    if (t.refund_months || t.ei_months) {
        for (int v = 0; v < 2; v++) {
            int months = v == 0 ? t.refund_months : t.ei_months;
            if (!months)
                continue;
            int k = K_TCONFLICT;
            f_int(g, k, p->id); f_tab(g, k);
            f_txt(g, k, v == 0 ? "refund" : "employee_institution"); f_tab(g, k);
            f_int(g, k, months); f_tab(g, k);
            f_money(g, k, v == 0 ? t.refund_cents : 0);
            g->exp_conf++;
            if (sink_row_done(g, k) != SIB_OK)
                return SIB_ERR;
        }
    }
    for (int i = 0; i < t.npairs; i++) {
        int k = K_TPAIR;
        f_int(g, k, t.pair_a[i]); f_tab(g, k);
        f_int(g, k, t.pair_b[i]);
        g->exp_pairs++;
        if (sink_row_done(g, k) != SIB_OK)
            return SIB_ERR;
    }
    if (p->has_pop && !dead && !p->in_school) {
        int age = age_at(p->birth, eoa);
        if (age >= g->p->age_min && age <= g->p->age_max &&
            !t.insured[SIB_S110] && !t.insured[SIB_S120] && !t.insured[SIB_S170]) {
            int k = K_TUNINS;
            f_int(g, k, p->id);
            g->exp_unins++;
            if (sink_row_done(g, k) != SIB_OK)
                return SIB_ERR;
        }
    }
    int k = K_TPERSON;
    f_int(g, k, p->id); f_tab(g, k);
    f_txt(g, k, p->key); f_tab(g, k);
    f_txt(g, k, p->name); f_tab(g, k);
    f_date(g, k, p->birth); f_tab(g, k);
    f_int(g, k, p->gender); f_tab(g, k);
    f_txt(g, k, town_code[p->town]); f_tab(g, k);
    f_date(g, k, p->deceased_on); f_tab(g, k);
    f_txt(g, k, p->in_school ? "t" : "f"); f_tab(g, k);
    f_txt(g, k, role_name[p->role]);
    return sink_row_done(g, k);
}

/* Knuth's selection sampling: exactly `*need` of the remaining `left` items. */
static int select_next(gen *g, long *need, long left)
{
    if (*need <= 0)
        return 0;
    if (sib_rng_unit(&g->sel) * (double)left < (double)*need) {
        (*need)--;
        return 1;
    }
    return 0;
}

static int one_person(gen *g, int role, long slot, long count)
{
    sib_rng r;
    sib_rng_init(&r, g->p->seed, ST_PERSON, (uint64_t)g->next_person + 1);
    int was_tmpl = g->tmpl_kind;
    int64_t tmpl_of = g->tmpl.id;
    int twin = 0, namesake = 0;
    if (!was_tmpl && slot + 1 < count && role != R_DEAD_OPEN) {
        if (want(g, &r, SIB_F_TWINS))
            twin = 1;
        else if (want(g, &r, SIB_F_NAMESAKES))
            namesake = 1;
    }
    g->nenr = 0;
    if (make_person(g, &r, role, twin, namesake) != SIB_OK)
        return SIB_ERR;
    person *p = &g->pe;
    if (was_tmpl) {
        char d[48];
        snprintf(d, sizeof d, "%s of person %lld", was_tmpl == SIB_F_TWINS ? "twin" : "namesake", (long long)tmpl_of);
        if (fault(g, was_tmpl, "person", p->id, 0, d) != SIB_OK)
            return SIB_ERR;
    }

    /* Lapses and never-paid enrollments of paying roles. */
    int paying = role == R_EMP || role == R_EMP_C170 || role == R_FLEX || role == R_LAND110 ||
                 role == R_INST || role == R_INST_C170 || role == R_INST_C110 ||
                 role == R_RES170 || role == R_LAND170;
    int stop = 0, never = 0;
    if (paying && want(g, &r, SIB_F_LAPSE))
        stop = role == R_RES170 || role == R_LAND170 ? (int)sib_rng_range(&r, 1, 3) : (int)sib_rng_range(&r, 1, 30);
    else if (paying && want(g, &r, SIB_F_NEVER_PAID))
        never = 1;
    int new_after_old = (role == R_EMP || role == R_FLEX || role == R_RES170) && !never &&
                        want(g, &r, SIB_F_NEW_AFTER_OLD);

    int first = 0;
    switch (role) {
    case R_EMP:
    case R_EMP_C170: {
        long left = g->sel_left--;
        int w210 = select_next(g, &g->need210, left);
        int w410 = select_next(g, &g->need410, left);
        if (model_employee(g, &r, w210, w410, &stop, &never) != SIB_OK)
            return SIB_ERR;
        if (role == R_EMP_C170) {
            genr *e = model_resident(g, &r, SIB_CAT_RESIDENT, 0, 0, (int)sib_rng_range(&r, 24, 120));
            char d[48];
            snprintf(d, sizeof d, "with %lld", (long long)g->enr[0].t.id);
            if (fault(g, SIB_F_CONFLICT_170_WITH_110, "enrollment", e->t.id, 0, d) != SIB_OK)
                return SIB_ERR;
        }
        break;
    }
    case R_FLEX: model_flexible(g, &r, SIB_CAT_FLEXIBLE, stop, never); break;
    case R_LAND110: model_flexible(g, &r, SIB_CAT_LAND, stop, never); break;
    case R_RET110: model_retiree(g, &r, SIB_S110); break;
    case R_RET120: model_retiree(g, &r, SIB_S120); break;
    case R_INST:
    case R_INST_C170:
    case R_INST_C110: {
        genr *ins = model_institution(g, &r, stop, never);
        int64_t iid = ins->t.id;
        char d[48];
        snprintf(d, sizeof d, "with %lld", (long long)iid);
        if (role == R_INST_C170) {
            genr *e = model_resident(g, &r, SIB_CAT_RESIDENT, 0, 0, (int)sib_rng_range(&r, 24, 120));
            if (fault(g, SIB_F_CONFLICT_170_WITH_120, "enrollment", e->t.id, 0, d) != SIB_OK)
                return SIB_ERR;
        } else if (role == R_INST_C110) {
            int start = madd(g->as_of, -(int)sib_rng_range(&r, 6, 40));
            genr *e = new_enr(g, &r, SYS_ENT, SIB_S110, SIB_CAT_FLEXIBLE, 0, p->town, start, 0, 1, 0);
            add_monthly(g, &r, e, start, g->as_of, 400000, 1200, 800);
            if (fault(g, SIB_F_CONFLICT_110_120, "enrollment", e->t.id, 0, d) != SIB_OK)
                return SIB_ERR;
        }
        break;
    }
    case R_RES170:
        model_resident(g, &r, SIB_CAT_RESIDENT, stop, never, (int)sib_rng_range(&r, 0, 140));
        break;
    case R_LAND170:
        model_resident(g, &r, SIB_CAT_LAND, stop, never, (int)sib_rng_range(&r, 0, 100));
        break;
    case R_BEN170:
        if (model_beneficiary(g, &r) != SIB_OK)
            return SIB_ERR;
        break;
    case R_PROJ:
        if (model_project(g, &r) != SIB_OK)
            return SIB_ERR;
        break;
    case R_DEAD_OPEN:
        if (sib_rng_chance(&r, 0.6)) {
            if (model_beneficiary(g, &r) != SIB_OK)
                return SIB_ERR;
        } else {
            model_flexible(g, &r, SIB_CAT_FLEXIBLE, 0, 0);
        }
        if (fault(g, SIB_F_DECEASED_OPEN, "enrollment", g->enr[0].t.id, 0, "deceased, enrollment open") != SIB_OK)
            return SIB_ERR;
        break;
    case R_UNINS:
        /* A third have an old, ended enrollment. */
        if (sib_rng_chance(&r, 0.33)) {
            int end = madd(g->as_of, -(int)sib_rng_range(&r, 2, 40));
            int start = madd(end, -(int)sib_rng_range(&r, 3, 60));
            int s170 = p->local && sib_rng_chance(&r, 0.3);
            genr *e = new_enr(g, &r, s170 ? SYS_RES : SYS_ENT, s170 ? SIB_S170 : SIB_S110,
                              s170 ? SIB_CAT_RESIDENT : SIB_CAT_FLEXIBLE, 0, p->town, start, end, 3, 0);
            if (s170)
                add_yearly(g, &r, e, start, end, draw_grade(&r), 0);
            else
                add_monthly(g, &r, e, start, end, 350000, 1200, 800);
        }
        break;
    default:
        first = -1;
        break;
    }
    if (g->nenr == 0)
        first = -1;

    /* stop/never recorded on the first (main) enrollment of the scheme. */
    if (first == 0 && stop) {
        char d[48];
        snprintf(d, sizeof d, "stops %d %s before as-of", stop,
                 role == R_RES170 || role == R_LAND170 ? "years" : "months");
        if (fault(g, SIB_F_LAPSE, "enrollment", g->enr[0].t.id, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    if (first == 0 && never && fault(g, SIB_F_NEVER_PAID, "enrollment", g->enr[0].t.id, 0, "no contribution") != SIB_OK)
        return SIB_ERR;
    if (first == 0 && new_after_old) {
        genr *m = &g->enr[0];
        /* Move the current enrollment into the window and add an old one before it. */
        if (m->t.start < madd(g->w0, 8)) {
            int ns = madd(g->as_of, -(int)sib_rng_range(&r, 1, (g->p->months > 10 ? g->p->months - 8 : 2)));
            int k = 0;
            for (int j = 0; j < m->t.nrows; j++)
                if (m->rows[j].period >= ns)
                    m->rows[k++] = m->rows[j];
            m->t.nrows = k;
            m->t.start = ns;
            for (int j = 1; j < g->nenr; j++)
                if (g->enr[j].t.scheme == SIB_S210 || g->enr[j].t.scheme == SIB_S410) {
                    genr *o = &g->enr[j];
                    int kk = 0;
                    for (int q = 0; q < o->t.nrows; q++)
                        if (o->rows[q].period >= ns)
                            o->rows[kk++] = o->rows[q];
                    o->t.nrows = kk;
                    o->t.start = ns;
                }
        }
        int end = madd(m->t.start, -(int)sib_rng_range(&r, 1, 6));
        int start = madd(end, -(int)sib_rng_range(&r, 6, 60));
        genr *o = new_enr(g, &r, m->t.scheme == SIB_S170 ? SYS_RES : SYS_ENT, m->t.scheme, m->t.category,
                          m->unit, m->town, start, end, 3, 0);
        if (m->t.scheme == SIB_S170)
            add_yearly(g, &r, o, start, end, draw_grade(&r), 0);
        else
            add_monthly(g, &r, o, start, end, m->t.nrows ? m->rows[0].base : 400000, 1600, 800);
        char d[48];
        snprintf(d, sizeof d, "before %lld", (long long)m->t.id);
        if (fault(g, SIB_F_NEW_AFTER_OLD, "enrollment", o->t.id, 0, d) != SIB_OK)
            return SIB_ERR;
    }
    if (first == 0 && role != R_DEAD_OPEN && role != R_UNINS && extra_enrollments(g, &r, 0) != SIB_OK)
        return SIB_ERR;

    if (write_enrollments(g, &r) != SIB_OK)
        return SIB_ERR;
    if (p->has_pop) {
        if (write_population_row(g, &r, 0) != SIB_OK)
            return SIB_ERR;
        if (want(g, &r, SIB_F_DUPLICATE_POPULATION) && write_population_row(g, &r, 1) != SIB_OK)
            return SIB_ERR;
    }
    if (role == R_DEAD_OPEN && fault(g, SIB_F_DECEASED_OPEN, "person", p->id, 0, "deceased_on set") != SIB_OK)
        return SIB_ERR;
    return write_truth(g);
}

static int orphans(gen *g)
{
    long n = lround(g->p->rate[SIB_F_ORPHAN_CONTRIBUTION] * (double)g->sk[K_ENR].rows);
    if (g->p->rate[SIB_F_ORPHAN_CONTRIBUTION] > 0 && n < 1)
        n = 1;
    for (long i = 0; i < n; i++) {
        sib_rng r;
        sib_rng_init(&r, g->p->seed, ST_ORPHAN, (uint64_t)i);
        int64_t eid = 9000000000LL + (int64_t)i * 1000 + (int64_t)sib_rng_below(&r, 1000);   /* ascending */
        int k = (int)sib_rng_range(&r, 1, 6);
        int from = madd(g->as_of, -(int)sib_rng_range(&r, 0, g->p->months - 1));
        int64_t base = 400000;
        for (int j = 0; j < k; j++) {
            int per = madd(from, j);
            if (per > g->as_of)
                break;
            if (contrib_row(g, eid, per, base, base * 16 / 100, base * 8 / 100, day_in(&r, per, 8, 28)) != SIB_OK ||
                fault(g, SIB_F_ORPHAN_CONTRIBUTION, "contribution", eid, per, "no such enrollment") != SIB_OK)
                return SIB_ERR;
        }
    }
    return SIB_OK;
}

/* ---- public -------------------------------------------------------------- */

void sib_gen_params_default(sib_gen_params *p)
{
    memset(p, 0, sizeof *p);
    p->seed = 7;
    p->scale = 1.0;
    p->as_of = 202012;
    p->months = 36;
    for (int k = 0; k < SIB_F_COUNT; k++)
        p->rate[k] = sib_gen_fault_default(k);
    sib_config cfg;
    sib_config_defaults(&cfg);
    for (int s = 0; s < SIB_NSCHEMES; s++)
        p->lapse_threshold[s] = cfg.lapse_threshold[s];
    p->age_min = cfg.age_min;
    p->age_max = cfg.age_max;
}

long sib_gen_figure(int scheme)
{
    static const long f[SIB_NSCHEMES] = { F110, F120, F170, F210, F410 };
    return scheme >= 0 && scheme < SIB_NSCHEMES ? f[scheme] : 0;
}

/* Seconds since t0, for the phase log lines (timing only, never data). */
static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static long sc(const sib_gen_params *p, double x) { return lround(x * p->scale); }
static long atleast1(double rate, long n) { return rate > 0 && n < 1 ? 1 : n; }

static int open_sinks(gen *g, const char *dsn)
{
    for (int k = 0; k < K_N; k++) {
        char app[64];
        snprintf(app, sizeof app, "sibatch gen %s", sink_table[k]);
        g->sk[k].db = sib_db_connect(dsn, app, g->err);
        if (!g->sk[k].db)
            return SIB_ERR;
        char sql[256];
        snprintf(sql, sizeof sql, "BEGIN; TRUNCATE %s%s", sink_table[k],
                 k == K_CONTRIB ? "; DROP INDEX IF EXISTS si_src.contribution_enrollment_period_idx" : "");
        if (sib_db_exec(g->sk[k].db, sql, g->err) != SIB_OK)
            return sib_error_prefix(g->err, "%s", sink_table[k]);
        snprintf(sql, sizeof sql, "COPY %s FROM STDIN WITH (FREEZE%s)", sink_table[k],
                 k == K_CONTRIB ? ", FORMAT binary" : "");
        if (sib_db_copy_in_begin(g->sk[k].db, sql, g->err) != SIB_OK)
            return sib_error_prefix(g->err, "%s", sink_table[k]);
        if (k == K_CONTRIB) {
            sib_bin_header(&g->sk[k].b);
        }
    }
    return SIB_OK;
}

static int close_sinks(gen *g)
{
    sib_bin_trailer(&g->sk[K_CONTRIB].b);
    for (int k = 0; k < K_N; k++) {
        if (sink_flush(g, k) != SIB_OK || sib_db_copy_in_end(g->sk[k].db, g->err) != SIB_OK ||
            sib_db_exec(g->sk[k].db, "COMMIT", g->err) != SIB_OK)
            return sib_error_prefix(g->err, "%s", sink_table[k]);
    }
    return SIB_OK;
}

/* Rebuilds the contribution index and analyzes, two connections at once. */
static int finish_tables(gen *g)
{
    PGconn *a = sib_db_conn(g->sk[K_CONTRIB].db), *b = sib_db_conn(g->sk[K_ENR].db);
    const char *src = sib_sql_get("source");
    if (!src)
        return sib_error_set(g->err, "sql/source.sql is not embedded");
    size_t n = strlen(src) + 64;
    char *qa = malloc(n);
    if (!qa)
        return sib_error_set(g->err, "out of memory");
    snprintf(qa, n, "SET maintenance_work_mem = '1GB';\n%s;\nANALYZE si_src.contribution", src);
    int rc = SIB_OK;
    if (!PQsendQuery(a, qa) ||
        !PQsendQuery(b, "ANALYZE si_src.enrollment, si_src.population, si_src.employer, si_truth.person, "
                        "si_truth.enrollment_person, si_truth.population_person, si_truth.fault")) {
        free(qa);
        return sib_error_set(g->err, "finish: %s", PQerrorMessage(a));
    }
    free(qa);
    PGconn *cs[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        PGresult *res;
        while ((res = PQgetResult(cs[i]))) {
            if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK && rc == SIB_OK)
                rc = sib_error_set(g->err, "index/analyze: %s", PQresultErrorMessage(res));
            PQclear(res);
        }
    }
    return rc;
}

static int write_meta(gen *g, sib_db *db)
{
    const sib_gen_params *p = g->p;
    sib_buf f = { 0 };
    int rc = SIB_ERR;
    sib_buf_puts(&f, "{");
    for (int k = 0; k < SIB_F_COUNT; k++)
        sib_buf_printf(&f, "%s\"%s\": %.6g", k ? ", " : "", sib_gen_fault_name(k), p->rate[k]);
    sib_buf_puts(&f, "}");
    char thr[128];
    snprintf(thr, sizeof thr, "{\"110\": %d, \"120\": %d, \"170\": %d, \"210\": %d, \"410\": %d}",
             p->lapse_threshold[0], p->lapse_threshold[1], p->lapse_threshold[2],
             p->lapse_threshold[3], p->lapse_threshold[4]);
    char v[14][32];
    snprintf(v[0], 32, "%llu", (unsigned long long)p->seed);
    snprintf(v[1], 32, "%.17g", p->scale);
    snprintf(v[2], 32, "%d", p->as_of);
    snprintf(v[3], 32, "%d", p->months);
    snprintf(v[6], 32, "%d", p->age_min);
    snprintf(v[7], 32, "%d", p->age_max);
    snprintf(v[9], 32, "%lld", (long long)g->next_person);
    snprintf(v[10], 32, "%ld", g->sk[K_ENR].rows);
    snprintf(v[11], 32, "%ld", g->sk[K_CONTRIB].rows);
    snprintf(v[12], 32, "%ld", g->sk[K_POP].rows);
    snprintf(v[13], 32, "%ld", g->sk[K_EMPLOYER].rows);
    const char *pp[14] = { v[0], v[1], v[2], v[3], f.data, thr, v[6], v[7], GEN_VERSION,
                           v[9], v[10], v[11], v[12], v[13] };
    if (!f.data)
        goto done;
    if (sib_db_exec(db, "BEGIN; TRUNCATE si_truth.generation, si_truth.calibration", g->err) != SIB_OK)
        goto done;
    const char *ins = "INSERT INTO si_truth.generation VALUES ($1::bigint, $2::float8, $3::int, $4::int, $5, $6, "
                      "$7::int, $8::int, $9, $10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::bigint)";
    if (sib_db_query(db, ins, 14, pp, NULL, g->err) != SIB_OK)
        goto done;
    static const char *const fig_name[SIB_NSCHEMES] = { "110", "120", "170", "210", "410" };
    for (int s = 0; s <= SIB_NSCHEMES; s++) {
        char a[6][32];
        const char *q[7];
        if (s < SIB_NSCHEMES) {
            q[0] = fig_name[s];
            snprintf(a[0], 32, "%ld", g->cal_ins[s]);
            snprintf(a[1], 32, "%ld", g->cal_ben[s]);
            snprintf(a[2], 32, "%ld", g->cal_proj);
            snprintf(a[3], 32, "%ld", sc(p, (double)sib_gen_figure(s)));
            snprintf(a[4], 32, "%ld", sc(p, F170_BEN));
            snprintf(a[5], 32, "%ld", sc(p, F410_PROJ));
            q[1] = a[0];
            q[2] = s == SIB_S110 || s == SIB_S120 || s == SIB_S170 ? a[1] : NULL;
            q[3] = s == SIB_S410 ? a[2] : NULL;
            q[4] = a[3];
            q[5] = s == SIB_S170 ? a[4] : NULL;
            q[6] = s == SIB_S410 ? a[5] : NULL;
        } else {
            q[0] = "land_expropriated";
            snprintf(a[0], 32, "%ld", g->cal_land);
            snprintf(a[3], 32, "%ld", sc(p, FLAND));
            q[1] = a[0];
            q[2] = q[3] = q[5] = q[6] = NULL;
            q[4] = a[3];
        }
        if (sib_db_query(db, "INSERT INTO si_truth.calibration VALUES ($1, $2::bigint, $3::bigint, $4::bigint, "
                             "$5::bigint, $6::bigint, $7::bigint)", 7, q, NULL, g->err) != SIB_OK)
            goto done;
    }
    if (sib_db_exec(db, "COMMIT; ANALYZE si_truth.generation, si_truth.calibration", g->err) != SIB_OK)
        goto done;
    rc = SIB_OK;
done:
    sib_buf_free(&f);
    return rc;
}

int sib_gen_run(const char *dsn, const sib_gen_params *p, sib_gen_stats *st, sib_error *err)
{
    if (p->months < 1 || p->months > 360)
        return sib_error_setc(err, SIB_EXIT_USAGE, "--months must be 1..360");
    if (!(p->scale > 0) || p->scale > 1000)
        return sib_error_setc(err, SIB_EXIT_USAGE, "--scale must be > 0 and <= 1000");
    int rc = SIB_ERR;
    sib_db *db = NULL;
    gen *g = calloc(1, sizeof *g);
    if (!g)
        return sib_error_set(err, "out of memory");
    g->p = p;
    g->err = err;
    g->as_of = p->as_of;
    g->w0 = madd(p->as_of, -(p->months - 1));
    g->rowcap = p->months + 80;
    g->rowpool = calloc((size_t)SIB_GEN_MAX_ENR * (size_t)g->rowcap, sizeof *g->rowpool);
    sib_rng_init(&g->sel, p->seed, ST_SELECT, 0);

    /* Role counts: the city's figures times the scale (see the file comment). */
    const double *rt = p->rate;
    long c_emp170 = atleast1(rt[SIB_F_CONFLICT_170_WITH_110], sc(p, F110 * rt[SIB_F_CONFLICT_170_WITH_110]));
    long c_inst170 = atleast1(rt[SIB_F_CONFLICT_170_WITH_120], sc(p, F120 * rt[SIB_F_CONFLICT_170_WITH_120]));
    long c_inst110 = atleast1(rt[SIB_F_CONFLICT_110_120], sc(p, F120 * rt[SIB_F_CONFLICT_110_120]));
    long n_land110 = sc(p, FLAND * 0.12), n_land170 = sc(p, FLAND) - n_land110;
    long n_ret110 = sc(p, F110 * 0.06), n_flex = sc(p, F110 * 0.06);
    long n_emp = sc(p, F110) - c_inst110 - n_land110 - n_ret110 - n_flex - c_emp170;
    long n_ret120 = sc(p, F120 * 0.15);
    long n_inst = sc(p, F120) - n_ret120 - c_inst170 - c_inst110;
    long n_ben170 = sc(p, F170_BEN);
    long n_res170 = sc(p, F170) - n_ben170 - n_land170 - c_emp170 - c_inst170;
    long n_proj = sc(p, F410_PROJ);
    long n_dead_open = atleast1(rt[SIB_F_DECEASED_OPEN], sc(p, (F110 + F170) * rt[SIB_F_DECEASED_OPEN]));
    long count[R_COUNT] = {
        [R_EMP] = n_emp, [R_EMP_C170] = c_emp170, [R_FLEX] = n_flex, [R_LAND110] = n_land110,
        [R_RET110] = n_ret110, [R_INST] = n_inst, [R_INST_C170] = c_inst170, [R_INST_C110] = c_inst110,
        [R_RET120] = n_ret120, [R_RES170] = n_res170, [R_BEN170] = n_ben170, [R_LAND170] = n_land170,
        [R_PROJ] = n_proj, [R_DEAD_OPEN] = n_dead_open,
        [R_UNINS] = sc(p, 685930 * 0.04), [R_CHILD] = sc(p, 60000), [R_STUDENT] = sc(p, 20000),
        [R_ELDER] = sc(p, 15000), [R_DEAD] = sc(p, 4000) };
    g->sel_left = n_emp + c_emp170;
    g->need210 = sc(p, F210);
    g->need410 = sc(p, F410) - n_proj;
    long total = 0;
    for (int i = 0; i < R_COUNT; i++) {
        if (count[i] < 0) {
            sib_error_setc(err, SIB_EXIT_USAGE, "fault rates too high for the calibration (role %s)", role_name[i]);
            goto done;
        }
        total += count[i];
    }
    if (g->need210 > g->sel_left || g->need410 > g->sel_left) {
        sib_error_setc(err, SIB_EXIT_USAGE, "fault rates too high: not enough employees for 210/410");
        goto done;
    }
    for (g->kcap = 1024; g->kcap < (size_t)total * 3; g->kcap <<= 1)
        ;
    g->keys = calloc(g->kcap, sizeof *g->keys);
    if (!g->keys || !g->rowpool) {
        sib_error_set(err, "out of memory");
        goto done;
    }

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db = sib_db_connect(dsn, "sibatch gen", err);
    if (!db)
        goto done;
    if (sib_db_exec_file(db, "source", err) != SIB_OK || sib_db_exec_file(db, "truth", err) != SIB_OK)
        goto done;
    if (open_sinks(g, dsn) != SIB_OK)
        goto done;
    if (gen_employers(g, count[R_EMP] / 11 + 20, count[R_PROJ] / 60 + 3, count[R_INST] / 40 + 5) != SIB_OK)
        goto done;
    for (int role = 0; role < R_COUNT; role++)
        for (long i = 0; i < count[role]; i++)
            if (one_person(g, role, i, count[role]) != SIB_OK)
                goto done;
    if (orphans(g) != SIB_OK)
        goto done;
    sib_log_info("gen", "phase=generated seconds=%.1f", since(&t0));
    if (close_sinks(g) != SIB_OK)
        goto done;
    sib_log_info("gen", "phase=loaded seconds=%.1f", since(&t0));
    if (finish_tables(g) != SIB_OK)
        goto done;
    sib_log_info("gen", "phase=indexed seconds=%.1f", since(&t0));
    if (write_meta(g, db) != SIB_OK)
        goto done;

    memset(st, 0, sizeof *st);
    st->persons = (long)g->next_person;
    st->enrollments = g->sk[K_ENR].rows;
    st->contributions = g->sk[K_CONTRIB].rows;
    st->population = g->sk[K_POP].rows;
    st->employers = g->sk[K_EMPLOYER].rows;
    memcpy(st->faults, g->nfault, sizeof st->faults);
    for (int s = 0; s < SIB_NSCHEMES; s++) {
        st->insured[s] = g->cal_ins[s];
        st->beneficiaries[s] = g->cal_ben[s];
        st->target[s] = sc(p, (double)sib_gen_figure(s));
    }
    st->project_based = g->cal_proj;
    st->land = g->cal_land;
    st->expected_lapsed = g->exp_lapsed;
    st->expected_uninsured = g->exp_unins;
    st->expected_conflict = g->exp_conf;
    st->expected_pairs = g->exp_pairs;
    rc = SIB_OK;
done:
    for (int k = 0; k < K_N; k++) {
        sib_db_free(g->sk[k].db);     /* an unfinished COPY is rolled back */
        sib_buf_free(&g->sk[k].b);
    }
    sib_db_free(db);
    free(g->keys);
    free(g->emp);
    free(g->rowpool);
    free(g);
    return rc;
}
