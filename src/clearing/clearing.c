/* clearing.c — flagged targets and the campaign state (include/clearing/clearing.h). */
#include "clearing/clearing.h"
#include "common/arena.h"
#include "common/log.h"
#include "common/month.h"
#include "common/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const resolution_names[] = { "", "paid", "enrolled", "excluded" };

const char *sib_resolution_name(int res)
{
    return res > 0 && res < 4 ? resolution_names[res] : "";
}

int sib_clearing_bucket_index(int m)
{
    return m >= 24 ? 4 : m >= 12 ? 3 : m >= 6 ? 2 : m >= 3 ? 1 : 0;
}

const char *sib_clearing_bucket_name(int index)
{
    static const char *const names[SIB_AGING_BUCKETS] = { "<3", "3-5", "6-11", "12-23", "24+" };
    return index >= 0 && index < SIB_AGING_BUCKETS ? names[index] : "";
}

/* 1 when the person is insured in a pension scheme (110, 120, 170) at A;
 * *last_paid (may be NULL) gets the latest month they paid in one of them, 0
 * when never: an uninsured row's last_paid_period. */
static int pension_insured(const sib_dedup *d, int32_t person, int32_t *last_paid)
{
    size_t first, n;
    int insured = 0;
    int32_t last = 0;
    sib_dedup_person(d, person, &first, &n);
    for (size_t j = first; j < first + n; j++)
        if (d->ps[j].scheme <= SIB_S170) {
            insured |= d->ps[j].insured;
            if (d->ps[j].last_paid > last)
                last = d->ps[j].last_paid;
        }
    if (last_paid)
        *last_paid = last;
    return insured;
}

/* Why a person of the population base is (not) a target at A: 0 = target,
 * else a reason to exclude. */
static int uninsured_excluded(const sib_source *src, const sib_persons *persons, int32_t p,
                              const sib_config *cfg)
{
    const sib_population *row = &src->pop[persons->pop[p]];
    int end_a = sib_month_last_day(src->as_of);
    if (persons->deceased[p])
        return 1;
    if (!persons->birth[p])
        return 2;
    int age = sib_age_years(persons->birth[p], end_a);
    if (age < cfg->age_min || age > cfg->age_max)
        return 2;
    if (row->in_school)
        return 3;
    return 0;
}

int sib_clearing_flag(const sib_source *src, const sib_dedup *d, const sib_persons *persons,
                      const sib_config *cfg, sib_flags **out, sib_error *err)
{
    *out = NULL;
    sib_flags *f = calloc(1, sizeof *f);
    size_t cap = 0;
    if (!f)
        return sib_error_set(err, "clearing: out of memory");
    for (size_t i = 0; i < d->nps; i++) {
        const sib_ps *ps = &d->ps[i];
        if (!ps->lapsed)
            continue;
        sib_flag *g = sib_append((void **)&f->v, &cap, &f->n, sizeof *f->v);
        if (!g)
            goto oom;
        g->person = ps->person;
        g->scheme = ps->scheme;
        g->reason = SIB_REASON_LAPSED;
        g->ps = (int32_t)i;
        g->pop = -1;
        g->months_unpaid = ps->months_unpaid;
        g->last_paid = ps->last_paid;
        memcpy(g->town, ps->town, sizeof g->town);
        f->lapsed++;
    }
    for (size_t p = 0; p < persons->n; p++) {
        if (persons->pop[p] < 0)
            continue;
        if (!persons->key[p]) {             /* an unresolved population row: review, not a target */
            f->unresolved_population++;
            continue;
        }
        int32_t last_paid;
        if (uninsured_excluded(src, persons, (int32_t)p, cfg) || pension_insured(d, (int32_t)p, &last_paid))
            continue;
        sib_flag *g = sib_append((void **)&f->v, &cap, &f->n, sizeof *f->v);
        if (!g)
            goto oom;
        g->person = (int32_t)p;
        g->scheme = -1;
        g->reason = SIB_REASON_UNINSURED;
        g->ps = -1;
        g->pop = persons->pop[p];
        g->last_paid = last_paid;
        sib_config_town(cfg, src->pop[g->pop].town_code, g->town);
        f->uninsured++;
    }
    sib_log_info("clearing", "lapsed=%ld uninsured=%ld unresolved_population=%ld", f->lapsed,
                 f->uninsured, f->unresolved_population);
    *out = f;
    return SIB_OK;
oom:
    sib_flags_free(f);
    return sib_error_set(err, "clearing: out of memory");
}

void sib_flags_free(sib_flags *f)
{
    if (!f)
        return;
    free(f->v);
    free(f);
}

/* ------------------------------------------------------------ campaign */

typedef struct open_target {
    int64_t id;
    char *ref;
    uint8_t reason;
    int8_t scheme;
    int32_t opened_as_of;
    char town[10];
    int32_t flag;               /* matching flag index, -1 when no longer flagged */
    uint8_t resolution;         /* when closing */
} open_target;

struct sib_campaign {
    open_target *open;
    size_t nopen;
    int dry_run;
    sib_campaign_count *counts;
    size_t ncounts, capcounts;
    long total_open, total_opened, total_closed[4];
    int32_t *opened;            /* the flags that open a target, in the index's order (see diff) */
    size_t nopened;
};

/* Target identity: (person_ref, reason, scheme). */
static int ident_cmp(const char *ra, int rsa, int sa, const char *rb, int rsb, int sb)
{
    int c = strcmp(ra, rb);
    if (c)
        return c;
    if (rsa != rsb)
        return rsa - rsb;
    return sa - sb;
}

static int open_cmp(const void *x, const void *y)
{
    const open_target *a = x, *b = y;
    return ident_cmp(a->ref, a->reason, a->scheme, b->ref, b->reason, b->scheme);
}

static int run_sql(sib_db *db, const char *name, int n, const char *const *params, sib_error *err)
{
    if (sib_db_query(db, sib_sql_get(name), n, params, NULL, err) != SIB_OK)
        return sib_error_prefix(err, "sql/%s.sql", name);
    return SIB_OK;
}

int sib_campaign_load(sib_db *db, int64_t run_id, int replace_from, int dry_run,
                      sib_campaign **out, sib_error *err)
{
    *out = NULL;
    sib_campaign *c = calloc(1, sizeof *c);
    if (!c)
        return sib_error_set(err, "campaign: out of memory");
    c->dry_run = dry_run;
    char from[16], rid[24];
    snprintf(from, sizeof from, "%d", replace_from);
    snprintf(rid, sizeof rid, "%lld", (long long)run_id);
    const char *params[2] = { from, rid };
    if (replace_from > 0 && !dry_run &&
        (run_sql(db, "campaign_undo_delete", 1, params, err) != SIB_OK ||
         run_sql(db, "campaign_undo_restore", 1, params, err) != SIB_OK ||
         run_sql(db, "campaign_undo_prior", 1, params, err) != SIB_OK ||
         run_sql(db, "campaign_undo_reopen", 1, params, err) != SIB_OK ||
         run_sql(db, "campaign_undo_runs", 2, params, err) != SIB_OK))
        goto fail;
    PGresult *res;
    if (sib_db_query(db, sib_sql_get("campaign_open"), 0, NULL, &res, err) != SIB_OK) {
        sib_error_prefix(err, "campaign: open targets");
        goto fail;
    }
    int nt = PQntuples(res);
    c->open = calloc((size_t)(nt ? nt : 1), sizeof *c->open);
    if (!c->open) {
        PQclear(res);
        sib_error_set(err, "campaign: out of memory");
        goto fail;
    }
    for (int i = 0; i < nt; i++) {
        open_target *o = &c->open[c->nopen];
        o->id = atoll(PQgetvalue(res, i, 0));
        o->ref = strdup(PQgetvalue(res, i, 1));
        o->reason = strcmp(PQgetvalue(res, i, 2), "uninsured") == 0 ? SIB_REASON_UNINSURED : SIB_REASON_LAPSED;
        o->scheme = (int8_t)sib_scheme_from_code(PQgetvalue(res, i, 3));
        o->opened_as_of = atoi(PQgetvalue(res, i, 4));
        snprintf(o->town, sizeof o->town, "%s", PQgetvalue(res, i, 5));
        o->flag = -1;
        if (!o->ref) {
            PQclear(res);
            sib_error_set(err, "campaign: out of memory");
            goto fail;
        }
        c->nopen++;
    }
    PQclear(res);
    qsort(c->open, c->nopen, sizeof *c->open, open_cmp);
    *out = c;
    return SIB_OK;
fail:
    sib_campaign_free(c);
    return SIB_ERR;
}

static sib_campaign_count *count_for(sib_campaign *c, const char *town, int scheme)
{
    for (size_t i = 0; i < c->ncounts; i++)
        if (c->counts[i].scheme == scheme && strcmp(c->counts[i].town, town) == 0)
            return &c->counts[i];
    sib_campaign_count *k = sib_append((void **)&c->counts, &c->capcounts, &c->ncounts, sizeof *c->counts);
    if (!k)
        return NULL;
    snprintf(k->town, sizeof k->town, "%s", town);
    k->scheme = (int8_t)scheme;
    return k;
}

typedef struct flag_sort {
    const sib_flags *f;
    const sib_persons *persons;
} flag_sort;

static int flag_cmp(const void *x, const void *y, void *ud)
{
    const flag_sort *s = ud;
    const sib_flag *a = &s->f->v[*(const int32_t *)x], *b = &s->f->v[*(const int32_t *)y];
    return ident_cmp(s->persons->ref[a->person], a->reason, a->scheme,
                     s->persons->ref[b->person], b->reason, b->scheme);
}

/* Finds the person whose ref is `ref` (persons' refs are unique): a map
 * from the ref's hash, built on the first lookup (a run that closes no
 * target never needs it); a hash shared by two refs falls back to a scan. */
typedef struct ref_index {
    sib_i64map *map;
    const sib_persons *persons;
    int failed;
} ref_index;

static int32_t ref_find(ref_index *ix, const char *ref)
{
    const sib_persons *P = ix->persons;
    if (!ix->map && !ix->failed) {
        ix->map = sib_i64map_new(P->n);
        for (size_t p = 0; ix->map && p < P->n; p++)
            if (sib_i64map_put(ix->map, (int64_t)sib_fnv1a_str(P->ref[p]), (int32_t)p) != SIB_OK) {
                sib_i64map_free(ix->map);
                ix->map = NULL;
            }
        ix->failed = !ix->map;
    }
    if (ix->map) {
        int32_t p = sib_i64map_get(ix->map, (int64_t)sib_fnv1a_str(ref));
        if (p < 0 || strcmp(P->ref[p], ref) == 0)
            return p;
    }
    for (size_t p = 0; p < P->n; p++)
        if (strcmp(P->ref[p], ref) == 0)
            return (int32_t)p;
    return -1;
}

/* Resolution of a target that is no longer flagged (issue 4 §3). */
static int closing_resolution(const open_target *o, int32_t person, const sib_dedup *d,
                              const sib_persons *persons)
{
    if (person < 0 || persons->deceased[person])
        return SIB_RES_EXCLUDED;
    size_t first, n;
    sib_dedup_person(d, person, &first, &n);
    if (o->reason == SIB_REASON_UNINSURED) {
        /* enrolled: insured in a pension scheme other than by drawing its
         * pension; insured only as a pensioner is the "now drawing a
         * pension": excluded, as aged out, in school or no longer resolvable */
        for (size_t j = first; j < first + n; j++)
            if (d->ps[j].scheme <= SIB_S170 && d->ps[j].insured && !d->ps[j].beneficiary)
                return SIB_RES_ENROLLED;
        return SIB_RES_EXCLUDED;
    }
    for (size_t j = first; j < first + n; j++) {
        const sib_ps *ps = &d->ps[j];
        if (ps->scheme != o->scheme)
            continue;
        if (!ps->insured || ps->beneficiary || ps->project)
            return SIB_RES_EXCLUDED;    /* terminated, drawing a pension, project-based */
        return SIB_RES_PAID;            /* insured, paying again */
    }
    return SIB_RES_EXCLUDED;
}

int sib_campaign_diff(sib_campaign *c, sib_flags *f, const sib_dedup *d, const sib_persons *persons,
                      const sib_source *src, sib_error *err)
{
    int32_t *order = malloc((f->n ? f->n : 1) * sizeof *order);
    ref_index ix = { NULL, persons, 0 };
    free(c->opened);
    c->opened = order;              /* reused in place: the opening flags in identity order */
    c->nopened = 0;
    if (!order)
        return sib_error_set(err, "campaign: out of memory");
    for (size_t i = 0; i < f->n; i++)
        order[i] = (int32_t)i;
    flag_sort fs = { f, persons };
    qsort_r(order, f->n, sizeof *order, flag_cmp, &fs);

    /* merge the two sorted lists */
    size_t i = 0, j = 0;
    int rc = SIB_OK;
    while (i < f->n || j < c->nopen) {
        sib_flag *g = i < f->n ? &f->v[order[i]] : NULL;
        open_target *o = j < c->nopen ? &c->open[j] : NULL;
        int cmp = !g ? 1 : !o ? -1
                  : ident_cmp(persons->ref[g->person], g->reason, g->scheme, o->ref, o->reason, o->scheme);
        if (cmp == 0) {                     /* still flagged: stays open */
            o->flag = order[i];
            g->first_flagged = o->opened_as_of;
            i++;
            j++;
        } else if (cmp < 0) {               /* newly flagged */
            g->first_flagged = src->as_of;
            order[c->nopened++] = order[i];     /* nopened <= i: not yet read */
            sib_campaign_count *k = count_for(c, g->town, g->scheme);
            if (!k) { rc = SIB_ERR; break; }
            k->opened++;
            c->total_opened++;
            i++;
        } else {                            /* no longer flagged: closes */
            o->resolution = (uint8_t)closing_resolution(o, ref_find(&ix, o->ref), d, persons);
            sib_campaign_count *k = count_for(c, o->town, o->scheme);
            if (!k) { rc = SIB_ERR; break; }
            k->closed[o->resolution]++;
            c->total_closed[o->resolution]++;
            j++;
        }
    }
    for (size_t k2 = 0; rc == SIB_OK && k2 < f->n; k2++) {
        sib_campaign_count *k = count_for(c, f->v[k2].town, f->v[k2].scheme);
        if (!k)
            rc = SIB_ERR;
        else
            k->open++;
    }
    c->total_open = (long)f->n;
    sib_i64map_free(ix.map);
    if (rc != SIB_OK)
        return sib_error_set(err, "campaign: out of memory");
    sib_log_info("clearing", "open=%ld opened=%ld closed_paid=%ld closed_enrolled=%ld closed_excluded=%ld",
                 c->total_open, c->total_opened, c->total_closed[SIB_RES_PAID],
                 c->total_closed[SIB_RES_ENROLLED], c->total_closed[SIB_RES_EXCLUDED]);
    return SIB_OK;
}

static const char *scheme_text(int scheme)
{
    return scheme >= 0 ? sib_scheme_code(scheme) : "";
}

static int copy_buf(sib_db *db, const char *sqlname, sib_buf *b, sib_error *err)
{
    if (sib_db_copy_in_begin(db, sib_sql_get(sqlname), err) != SIB_OK ||
        sib_db_copy_in_put(db, b->data ? b->data : "", b->len, err) != SIB_OK ||
        sib_db_copy_in_end(db, err) != SIB_OK)
        return sib_error_prefix(err, "campaign: sql/%s.sql", sqlname);
    return SIB_OK;
}

int sib_campaign_apply(sib_campaign *c, sib_db *db, int64_t run_id, int as_of,
                       const sib_flags *f, const sib_persons *persons, sib_error *err)
{
    if (c->dry_run)
        return SIB_OK;
    sib_buf nb = { 0 }, rb = { 0 }, cb = { 0 }, kb = { 0 };
    int rc = SIB_ERR;
    for (size_t j = 0; j < c->nopen; j++) {
        const open_target *o = &c->open[j];
        if (o->flag >= 0) {
            const sib_flag *g = &f->v[o->flag];
            if (sib_buf_printf(&rb, "%lld\t%s\t", (long long)o->id, g->town) != SIB_OK ||
                (g->reason == SIB_REASON_LAPSED ? sib_buf_printf(&rb, "%d\t", g->months_unpaid)
                                                : sib_buf_puts(&rb, "\\N\t")) != SIB_OK ||
                (g->last_paid ? sib_buf_printf(&rb, "%d\n", g->last_paid) : sib_buf_puts(&rb, "\\N\n")) != SIB_OK)
                goto oom;
        } else if (sib_buf_printf(&cb, "%lld\t%s\n", (long long)o->id, sib_resolution_name(o->resolution)) != SIB_OK) {
            goto oom;
        }
    }
    /* new targets in the order of target_open_idx (person_ref, reason,
     * insurance_type): each index entry lands next to the previous one
     * instead of on a random page (the 546,504 targets of scale 10 copied
     * with psql: 3.2-3.7 s against 4.5-5.8 s in the order of the flags) */
    for (size_t k = 0; k < c->nopened; k++) {
        const sib_flag *g = &f->v[c->opened[k]];
        if (sib_copy_field(&nb, persons->ref[g->person]) != SIB_OK ||
            sib_buf_printf(&nb, "\t%s\t%s\t%s\t%lld\t%d\t%lld\t%d\t",
                           g->reason == SIB_REASON_LAPSED ? "lapsed" : "uninsured", scheme_text(g->scheme),
                           g->town, (long long)run_id, as_of, (long long)run_id, as_of) != SIB_OK ||
            (g->reason == SIB_REASON_LAPSED ? sib_buf_printf(&nb, "%d\t", g->months_unpaid)
                                            : sib_buf_puts(&nb, "\\N\t")) != SIB_OK ||
            (g->last_paid ? sib_buf_printf(&nb, "%d\n", g->last_paid) : sib_buf_puts(&nb, "\\N\n")) != SIB_OK)
            goto oom;
    }
    for (size_t k = 0; k < c->ncounts; k++) {
        const sib_campaign_count *n = &c->counts[k];
        if (sib_buf_printf(&kb, "%lld\t%s\t%s\t%ld\t%ld\t%ld\t%ld\t%ld\n", (long long)run_id, n->town,
                           scheme_text(n->scheme), n->open, n->opened, n->closed[SIB_RES_PAID],
                           n->closed[SIB_RES_ENROLLED], n->closed[SIB_RES_EXCLUDED]) != SIB_OK)
            goto oom;
    }
    char rid[24], aof[16];
    snprintf(rid, sizeof rid, "%lld", (long long)run_id);
    snprintf(aof, sizeof aof, "%d", as_of);
    const char *params[2] = { rid, aof };
    if (sib_db_exec_file(db, "campaign_temp", err) != SIB_OK ||
        copy_buf(db, "campaign_copy_refresh", &rb, err) != SIB_OK ||
        copy_buf(db, "campaign_copy_close", &cb, err) != SIB_OK ||
        run_sql(db, "campaign_prior", 1, params, err) != SIB_OK ||
        run_sql(db, "campaign_apply", 2, params, err) != SIB_OK ||
        run_sql(db, "campaign_close", 2, params, err) != SIB_OK ||
        copy_buf(db, "campaign_copy_new", &nb, err) != SIB_OK ||
        copy_buf(db, "campaign_copy_counts", &kb, err) != SIB_OK)
        goto done;
    rc = SIB_OK;
    goto done;
oom:
    sib_error_set(err, "campaign: out of memory");
done:
    sib_buf_free(&nb);
    sib_buf_free(&rb);
    sib_buf_free(&cb);
    sib_buf_free(&kb);
    return rc;
}

void sib_campaign_totals(const sib_campaign *c, long *open, long *opened, long closed[4])
{
    *open = c->total_open;
    *opened = c->total_opened;
    memcpy(closed, c->total_closed, sizeof c->total_closed);
}

const sib_campaign_count *sib_campaign_counts(const sib_campaign *c, size_t *n)
{
    *n = c->ncounts;
    return c->counts;
}

void sib_campaign_free(sib_campaign *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nopen; i++)
        free(c->open[i].ref);
    free(c->open);
    free(c->opened);
    free(c->counts);
    free(c);
}
