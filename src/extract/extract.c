/* extract.c — pension, unemployment and injury extracts and the clearing
 * lists (include/extract/extract.h; definitions.md §8–§10). */
#include "extract/extract.h"
#include "common/csv.h"
#include "common/fsx.h"
#include "common/gz.h"
#include "common/log.h"
#include "common/mask.h"
#include "common/month.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GZ_LEVEL 6
#define NSUB 9                  /* pension: 3 schemes; injury: risk 1..8 + unknown */

void sib_money(int64_t cents, char *buf, size_t cap)
{
    char t[SIB_CENTS_CAP];
    snprintf(buf, cap, "%s", sib_cents_text(cents, t));
}

/* ------------------------------------------------------------ one file */

typedef struct out_file {
    sib_gz *gz;
    sib_csv *csv;
    char tmp[4096], final[4096];
    sib_file_entry *entry;
} out_file;

static int file_open(out_file *f, const char *dir, const char *rel, const char *const *header,
                     sib_extract_result *res, sib_error *err)
{
    memset(f, 0, sizeof *f);
    if (res->nfiles == SIB_MAX_FILES)
        return sib_error_set(err, "extract: more than %d files", SIB_MAX_FILES);
    f->entry = &res->files[res->nfiles];
    memset(f->entry, 0, sizeof *f->entry);
    snprintf(f->entry->path, sizeof f->entry->path, "%s", rel);
    snprintf(f->final, sizeof f->final, "%s/%s", dir, rel);
    char d[4096];
    sib_fsx_dirname(f->final, d, sizeof d);
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmp", d, base);
    f->gz = sib_gz_open(f->tmp, GZ_LEVEL, err);
    if (!f->gz)
        return sib_error_prefix(err, "extract %s", rel);
    f->csv = sib_csv_new(sib_gz_sink, f->gz);
    if (!f->csv) {
        sib_gz_abort(f->gz);
        return sib_error_set(err, "extract %s: out of memory", rel);
    }
    for (const char *const *h = header; *h; h++)
        if (sib_csv_field(f->csv, *h) != SIB_OK)
            goto fail;
    if (sib_csv_end_row(f->csv, err) != SIB_OK)
        goto fail;
    return SIB_OK;
fail:
    sib_csv_free(f->csv);
    sib_gz_abort(f->gz);
    return sib_error_prefix(err, "extract %s", rel);
}

static int file_close(out_file *f, sib_extract_result *res, sib_error *err)
{
    f->entry->rows = sib_csv_rows(f->csv) - 1;     /* without the header */
    int rc = sib_csv_flush(f->csv, err);
    sib_csv_free(f->csv);
    if (rc != SIB_OK) {
        sib_gz_abort(f->gz);
        return sib_error_prefix(err, "extract %s", f->entry->path);
    }
    if (sib_gz_close(f->gz, &f->entry->bytes, f->entry->sha256, err) != SIB_OK ||
        sib_fsx_publish(f->tmp, f->final, err) != SIB_OK)
        return sib_error_prefix(err, "extract %s", f->entry->path);
    res->nfiles++;
    return SIB_OK;
}

static void file_abort(out_file *f)
{
    sib_csv_free(f->csv);
    sib_gz_abort(f->gz);
}

/* ------------------------------------------------------------ aggregation */

typedef struct cell {
    long persons, insured, contributing, lapsed, beneficiaries, duplicates, conflict, project, employers;
    int64_t refund, sum12;
} cell;

typedef struct grid {
    int ntowns;                 /* configured towns; index ntowns = unknown */
    cell *c[SIB_NSCHEMES];      /* [town * NSUB + sub] */
} grid;

static int town_index(const sib_config *cfg, const char *town)
{
    for (int i = 0; i < cfg->ntowns; i++)
        if (strcmp(cfg->towns[i].code, town) == 0)
            return i;
    return cfg->ntowns;
}

static int sub_index(const sib_ps *ps)
{
    if (ps->scheme <= SIB_S170)
        return ps->scheme;
    if (ps->scheme == SIB_S410)
        return ps->risk_class >= 1 ? ps->risk_class - 1 : 8;
    return 0;
}

typedef struct emp_pair {
    int32_t cell;
    int64_t unit;
} emp_pair;

static int pair_cmp(const void *x, const void *y)
{
    const emp_pair *a = x, *b = y;
    if (a->cell != b->cell)
        return a->cell < b->cell ? -1 : 1;
    return a->unit < b->unit ? -1 : a->unit > b->unit;
}

static int grid_build(const sib_extract_input *in, grid *g)
{
    const sib_dedup *d = in->dedup;
    g->ntowns = in->cfg->ntowns;
    size_t ncells = (size_t)(g->ntowns + 1) * NSUB;
    for (int s = 0; s < SIB_NSCHEMES; s++)
        if (!(g->c[s] = calloc(ncells, sizeof(cell))))
            return SIB_ERR;
    emp_pair *pairs = malloc((d->nps ? d->nps : 1) * sizeof *pairs);
    size_t np[SIB_NSCHEMES] = { 0 }, total = 0;
    if (!pairs)
        return SIB_ERR;
    for (size_t i = 0; i < d->nps; i++) {
        const sib_ps *ps = &d->ps[i];
        int ci = town_index(in->cfg, ps->town) * NSUB + sub_index(ps);
        cell *c = &g->c[ps->scheme][ci];
        c->persons++;
        c->insured += ps->insured;
        c->contributing += ps->contributing;
        c->lapsed += ps->lapsed;
        c->beneficiaries += ps->beneficiary;
        c->duplicates += ps->duplicates;
        c->conflict += ps->conflict;
        c->project += ps->insured && ps->project;
        c->refund += ps->refund;
        c->sum12 += ps->sum12;
        const sib_enrollment *rec = &in->src->enr[ps->record];
        if (ps->insured && sib_source_employer(in->src, rec->unit_id)) {
            pairs[total++] = (emp_pair){ ci + ps->scheme * (int32_t)ncells, rec->unit_id };
            np[ps->scheme]++;
        }
    }
    qsort(pairs, total, sizeof *pairs, pair_cmp);
    for (size_t i = 0; i < total; i++)
        if (i == 0 || pair_cmp(&pairs[i], &pairs[i - 1]) != 0)
            g->c[pairs[i].cell / (int32_t)ncells][pairs[i].cell % (int32_t)ncells].employers++;
    free(pairs);
    return SIB_OK;
}

static void grid_free(grid *g)
{
    for (int s = 0; s < SIB_NSCHEMES; s++)
        free(g->c[s]);
}

static void add_totals(sib_totals *t, const cell *c)
{
    t->insured += c->insured;
    t->contributing += c->contributing;
    t->lapsed += c->lapsed;
    t->beneficiaries += c->beneficiaries;
    t->duplicates += c->duplicates;
    t->conflict += c->conflict;
    t->employers += c->employers;
    t->project += c->project;
    t->refund += c->refund;
    t->sum12 += c->sum12;
}

void sib_extract_totals(const sib_extract_input *in, sib_totals totals[SIB_NSCHEMES])
{
    memset(totals, 0, SIB_NSCHEMES * sizeof *totals);
    grid g = { 0 };
    if (grid_build(in, &g) == SIB_OK)
        for (int s = 0; s < SIB_NSCHEMES; s++)
            for (int i = 0; i < (g.ntowns + 1) * NSUB; i++)
                add_totals(&totals[s], &g.c[s][i]);
    grid_free(&g);
}

/* ------------------------------------------------------------ the extracts */

static const char *const pension_header[] = {
    "as_of", "town_code", "town_name", "scheme", "insured_persons", "contributing_persons",
    "lapsed_persons", "beneficiaries", "duplicate_enrollments", "conflict_persons", "refund_due",
    "contributions_12m", NULL
};
static const char *const unemployment_header[] = {
    "as_of", "town_code", "town_name", "insured_persons", "contributing_persons", "lapsed_persons",
    "employers", "duplicate_enrollments", "contributions_12m", NULL
};
static const char *const injury_header[] = {
    "as_of", "town_code", "town_name", "risk_class", "insured_persons", "project_based_persons",
    "employers", "lapsed_persons", "contributions_12m", NULL
};

/* The key cells (as_of, town_code, town_name) of a row. */
static int row_key(sib_csv *csv, const sib_config *cfg, int as_of, int town)
{
    char m[8];
    sib_month_format(as_of, m);
    int rc = sib_csv_field(csv, m);
    if (town < cfg->ntowns) {
        rc |= sib_csv_field(csv, cfg->towns[town].code);
        rc |= sib_csv_field(csv, cfg->towns[town].name);
    } else {
        rc |= sib_csv_field(csv, "unknown");
        rc |= sib_csv_field(csv, "未知");
    }
    return rc ? SIB_ERR : SIB_OK;
}

static int money_field(sib_csv *csv, int64_t cents)
{
    char buf[32];
    sib_money(cents, buf, sizeof buf);
    return sib_csv_field(csv, buf);
}

/* One extract: its file, header, and for each town the cells of its rows. */
typedef struct extract_spec {
    const char *file;
    const char *const *header;
    int nsub;                               /* rows per town */
    int (*scheme)(int sub);                 /* the scheme of a row */
    int (*fields)(sib_csv *csv, int sub, const cell *c);  /* the row after its key */
} extract_spec;

static int pension_scheme(int sub) { return sub; }
static int unemployment_scheme(int sub) { (void)sub; return SIB_S210; }
static int injury_scheme(int sub) { (void)sub; return SIB_S410; }

static int pension_fields(sib_csv *csv, int sub, const cell *c)
{
    return sib_csv_field(csv, sib_scheme_code(sub)) | sib_csv_fieldf(csv, "%ld", c->insured) |
           sib_csv_fieldf(csv, "%ld", c->contributing) | sib_csv_fieldf(csv, "%ld", c->lapsed) |
           sib_csv_fieldf(csv, "%ld", c->beneficiaries) | sib_csv_fieldf(csv, "%ld", c->duplicates) |
           sib_csv_fieldf(csv, "%ld", c->conflict) | money_field(csv, sub == SIB_S170 ? c->refund : 0) |
           money_field(csv, c->sum12);
}

static int unemployment_fields(sib_csv *csv, int sub, const cell *c)
{
    (void)sub;
    return sib_csv_fieldf(csv, "%ld", c->insured) | sib_csv_fieldf(csv, "%ld", c->contributing) |
           sib_csv_fieldf(csv, "%ld", c->lapsed) | sib_csv_fieldf(csv, "%ld", c->employers) |
           sib_csv_fieldf(csv, "%ld", c->duplicates) | money_field(csv, c->sum12);
}

static int injury_fields(sib_csv *csv, int sub, const cell *c)
{
    char risk[8];
    snprintf(risk, sizeof risk, sub < 8 ? "%d" : "unknown", sub + 1);
    return sib_csv_field(csv, risk) | sib_csv_fieldf(csv, "%ld", c->insured) |
           sib_csv_fieldf(csv, "%ld", c->project) | sib_csv_fieldf(csv, "%ld", c->employers) |
           sib_csv_fieldf(csv, "%ld", c->lapsed) | money_field(csv, c->sum12);
}

static const extract_spec extracts[] = {
    { "pension.csv.gz", pension_header, 3, pension_scheme, pension_fields },
    { "unemployment.csv.gz", unemployment_header, 1, unemployment_scheme, unemployment_fields },
    { "injury.csv.gz", injury_header, NSUB, injury_scheme, injury_fields },
};

/* Rows sorted by town (unknown last), then scheme or risk class; keys with no person omitted. */
static int write_extract(const char *dir, const sib_extract_input *in, const grid *g, const extract_spec *x,
                         sib_extract_result *res, sib_error *err)
{
    out_file f;
    if (file_open(&f, dir, x->file, x->header, res, err) != SIB_OK)
        return SIB_ERR;
    for (int t = 0; t <= g->ntowns; t++)
        for (int sub = 0; sub < x->nsub; sub++) {
            const cell *c = &g->c[x->scheme(sub)][t * NSUB + sub];
            if (!c->persons)
                continue;
            if (row_key(f.csv, in->cfg, in->src->as_of, t) != SIB_OK || x->fields(f.csv, sub, c) != SIB_OK) {
                file_abort(&f);
                return sib_error_set(err, "%s: out of memory", x->file);
            }
            if (sib_csv_end_row(f.csv, err) != SIB_OK) {
                file_abort(&f);
                return sib_error_prefix(err, "%s", x->file);
            }
        }
    return file_close(&f, res, err);
}

int sib_extract_write(const char *dir, const sib_extract_input *in, sib_extract_result *out,
                      sib_error *err)
{
    grid g = { 0 };
    if (grid_build(in, &g) != SIB_OK) {
        grid_free(&g);
        return sib_error_set(err, "extract: out of memory");
    }
    memset(out->totals, 0, sizeof out->totals);
    for (int s = 0; s < SIB_NSCHEMES; s++)
        for (int i = 0; i < (g.ntowns + 1) * NSUB; i++)
            add_totals(&out->totals[s], &g.c[s][i]);
    int rc = SIB_OK;
    for (size_t i = 0; i < sizeof extracts / sizeof extracts[0] && rc == SIB_OK; i++)
        rc = write_extract(dir, in, &g, &extracts[i], out, err);
    grid_free(&g);
    return rc;
}

/* ------------------------------------------------------------ clearing lists */

typedef struct list_row {
    const sib_flag *flag;
    char masked[SIB_MASK_CAP];
    const char *name;
} list_row;

static int list_cmp(const void *x, const void *y)
{
    const list_row *a = x, *b = y;
    if (a->flag->reason != b->flag->reason)
        return a->flag->reason == SIB_REASON_LAPSED ? -1 : 1;
    if (a->flag->reason == SIB_REASON_LAPSED && a->flag->months_unpaid != b->flag->months_unpaid)
        return a->flag->months_unpaid > b->flag->months_unpaid ? -1 : 1;
    int c = strcmp(a->masked, b->masked);
    if (c)
        return c;
    c = sib_csv_guarded_cmp(a->name, b->name);     /* the name as the file shows it */
    if (c)
        return c;
    return a->flag->scheme - b->flag->scheme;
}

static const char *const clearing_header[] = {
    "as_of", "town_code", "masked_id", "name", "gender", "age", "reason", "insurance_type",
    "months_unpaid", "last_paid_period", "employer_name", "employer_credit_code", "first_flagged", NULL
};

static int clearing_row(sib_csv *csv, const sib_extract_input *in, const list_row *r, sib_error *err)
{
    const sib_flag *g = r->flag;
    const sib_source *src = in->src;
    const char *gender;
    const sib_employer *emp = NULL;
    if (g->reason == SIB_REASON_LAPSED) {
        const sib_enrollment *rec = &src->enr[in->dedup->ps[g->ps].record];
        gender = rec->gender;
        emp = sib_source_employer(src, rec->unit_id);
    } else {
        gender = src->pop[g->pop].gender;
    }
    char m[8], ff[8];
    sib_month_format(src->as_of, m);
    sib_month_format(g->first_flagged, ff);
    int32_t birth = in->persons->birth[g->person];
    int rc = sib_csv_field(csv, m) | sib_csv_field(csv, g->town) | sib_csv_field(csv, r->masked) |
             sib_csv_field(csv, r->name) | sib_csv_field(csv, gender);
    rc |= birth ? sib_csv_fieldf(csv, "%d", sib_age_years(birth, sib_month_last_day(src->as_of)))
                : sib_csv_field(csv, NULL);
    rc |= sib_csv_field(csv, g->reason == SIB_REASON_LAPSED ? "lapsed" : "uninsured");
    rc |= sib_csv_field(csv, g->scheme >= 0 ? sib_scheme_code(g->scheme) : NULL);
    rc |= g->reason == SIB_REASON_LAPSED ? sib_csv_fieldf(csv, "%d", g->months_unpaid) : sib_csv_field(csv, NULL);
    rc |= g->last_paid ? sib_csv_fieldf(csv, "%d", g->last_paid) : sib_csv_field(csv, NULL);
    rc |= sib_csv_field(csv, emp ? emp->name : NULL);
    rc |= sib_csv_field(csv, emp ? emp->credit_code : NULL);
    rc |= sib_csv_field(csv, ff);
    if (rc)
        return sib_error_set(err, "clearing list: out of memory");
    return sib_csv_end_row(csv, err);
}

int sib_extract_clearing(const char *dir, const sib_extract_input *in, sib_extract_result *out,
                         sib_error *err)
{
    const sib_flags *f = in->flags;
    const sib_config *cfg = in->cfg;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/clearing", dir);
    if (sib_fsx_mkdirs(sub, 0750, err) != SIB_OK)
        return SIB_ERR;
    list_row *rows = malloc((f->n ? f->n : 1) * sizeof *rows);
    if (!rows)
        return sib_error_set(err, "clearing list: out of memory");
    for (size_t i = 0; i < f->n; i++) {
        const sib_flag *g = &f->v[i];
        rows[i].flag = g;
        const char *key = in->persons->key[g->person];
        if (key)
            sib_mask_id(key, rows[i].masked, sizeof rows[i].masked);
        else
            snprintf(rows[i].masked, sizeof rows[i].masked, "%s", in->persons->ref[g->person]);
        rows[i].name = g->reason == SIB_REASON_LAPSED ? in->src->enr[in->dedup->ps[g->ps].record].name
                                                      : in->src->pop[g->pop].name;
    }
    qsort(rows, f->n, sizeof *rows, list_cmp);
    int rc = SIB_OK;
    for (int t = 0; t <= cfg->ntowns && rc == SIB_OK; t++) {
        const char *town = t < cfg->ntowns ? cfg->towns[t].code : "unknown";
        char rel[64];
        snprintf(rel, sizeof rel, "clearing/%s.csv.gz", town);
        out_file of;
        if (file_open(&of, dir, rel, clearing_header, out, err) != SIB_OK) {
            rc = SIB_ERR;
            break;
        }
        for (size_t i = 0; i < f->n && rc == SIB_OK; i++)
            if (strcmp(rows[i].flag->town, town) == 0)
                rc = clearing_row(of.csv, in, &rows[i], err);
        if (rc != SIB_OK) {
            file_abort(&of);
            sib_error_prefix(err, "%s", rel);
        } else {
            rc = file_close(&of, out, err);
        }
    }
    free(rows);
    return rc;
}
