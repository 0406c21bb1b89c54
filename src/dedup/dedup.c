/* dedup.c — duplicate clusters, survivors, records and per-person facts
 * (include/dedup/dedup.h; definitions.md §3–§4). */
#include "dedup/dedup.h"
#include "common/arena.h"
#include "common/log.h"
#include "common/month.h"
#include "common/par.h"

#include <stdlib.h>
#include <string.h>

int sib_dedup_open_at(const sib_enrollment *e, int as_of)
{
    return e->start <= as_of && (e->end == 0 || e->end >= as_of);
}

static int open_paying(const sib_enrollment *e, int as_of)
{
    return sib_dedup_open_at(e, as_of) && (e->status == 1 || e->status == 2);
}

/* 1 = status 1, 2 = status 2, 3 = status 3, 4 = anything else. */
static int status_rank(const sib_enrollment *e)
{
    return e->status ? e->status : 4;
}

int sib_dedup_survivor_cmp(const sib_enrollment *a, const sib_enrollment *b, int as_of)
{
    int oa = open_paying(a, as_of), ob = open_paying(b, as_of);
    if (oa != ob)
        return ob - oa;                         /* open status 1/2 first */
    if (a->last_paid != b->last_paid)
        return a->last_paid > b->last_paid ? -1 : 1;   /* latest paid period */
    if (status_rank(a) != status_rank(b))
        return status_rank(a) - status_rank(b); /* 1 over 2 over 3 */
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;    /* earliest start */
    return a->id < b->id ? -1 : a->id > b->id;  /* lowest enrollment_id */
}

typedef struct sort_ctx {
    const sib_enrollment *enr;
} sort_ctx;

/* qsort_r comparator: (person, scheme, start, id). */
static int group_cmp(const void *x, const void *y, void *ud)
{
    const sib_enrollment *enr = ((const sort_ctx *)ud)->enr;
    const sib_enrollment *a = &enr[*(const int32_t *)x], *b = &enr[*(const int32_t *)y];
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    if (a->scheme != b->scheme)
        return a->scheme < b->scheme ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Orders the rows idx[0..n) as group_cmp does: a counting sort by person
 * (persons are numbered 0..npersons-1), then an insertion sort of each
 * person's few rows (qsort_r beyond 32). group_cmp is a total order
 * (enrollment ids are unique), so the order is that of one qsort_r over all
 * rows, which took seconds at 4.7 M rows, each read through its index.
 * Every row's person is in 0..npersons-1 (checked by the caller). */
static int order_rows(const sib_enrollment *enr, int32_t *idx, size_t n, size_t npersons)
{
    int32_t *off = sib_calloc_huge(npersons + 1, sizeof *off), *tmp = sib_malloc_huge(n * sizeof *tmp);
    if (!off || !tmp) {
        free(off);
        free(tmp);
        return SIB_ERR;
    }
    for (size_t i = 0; i < n; i++)
        off[enr[idx[i]].person + 1]++;
    for (size_t p = 0; p < npersons; p++)
        off[p + 1] += off[p];
    for (size_t i = 0; i < n; i++)
        tmp[off[enr[idx[i]].person]++] = idx[i];
    free(off);
    sort_ctx ctx = { enr };
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && enr[tmp[j]].person == enr[tmp[i]].person)
            j++;
        if (j - i > 32) {               /* a person with many rows: no quadratic sort */
            qsort_r(tmp + i, j - i, sizeof *tmp, group_cmp, &ctx);
            i = j;
            continue;
        }
        for (size_t k = i + 1; k < j; k++) {
            int32_t v = tmp[k];
            size_t m = k;
            for (; m > i && group_cmp(&tmp[m - 1], &v, &ctx) > 0; m--)
                tmp[m] = tmp[m - 1];
            tmp[m] = v;
        }
        i = j;
    }
    memcpy(idx, tmp, n * sizeof *idx);
    free(tmp);
    return SIB_OK;
}

static int is_pension(int scheme)
{
    return scheme == SIB_S110 || scheme == SIB_S120 || scheme == SIB_S170;
}

/* Facts of one person in one scheme from its enrollments idx[0..n), sorted by start. */
static void do_group(const sib_source *src, const int32_t *idx, size_t n, const uint8_t *deceased,
                     const sib_config *cfg, sib_dedup *d, sib_ps *ps, int32_t *next_cluster)
{
    const sib_enrollment *enr = src->enr;
    const int A = src->as_of;
    const int scheme = enr[idx[0]].scheme;
    memset(ps, 0, sizeof *ps);
    ps->person = enr[idx[0]].person;
    ps->scheme = (int8_t)scheme;

    /* Clusters: connected components of overlapping [start, end or A], by a
     * sweep over start-sorted intervals with the running maximum end. */
    int32_t rec_open = -1;              /* survivor of the cluster with an open 1/2 row */
    int32_t best_cl_surv = -1, best_cl_paid = -1;
    int32_t pension_rec = -1;
    int draws = 0, open12 = 0;
    size_t i = 0;
    while (i < n) {
        int32_t cl = (*next_cluster)++;
        int cur_end = enr[idx[i]].end ? enr[idx[i]].end : A;
        size_t j = i + 1;
        while (j < n && enr[idx[j]].start <= cur_end) {
            int e = enr[idx[j]].end ? enr[idx[j]].end : A;
            if (e > cur_end)
                cur_end = e;
            j++;
        }
        int32_t surv = idx[i];
        int32_t cl_paid = 0;
        int has_open12 = 0;
        for (size_t k = i; k < j; k++) {
            const sib_enrollment *e = &enr[idx[k]];
            if (sib_dedup_survivor_cmp(e, &enr[surv], A) < 0)
                surv = idx[k];
            if (e->last_paid > cl_paid)
                cl_paid = e->last_paid;
            if (open_paying(e, A))
                has_open12 = 1;
        }
        for (size_t k = i; k < j; k++) {
            d->cluster[idx[k]] = cl;
            d->survivor[idx[k]] = surv;
        }
        ps->clusters++;
        ps->duplicates += (int32_t)(j - i - 1);
        if (has_open12 && rec_open < 0)
            rec_open = surv;
        /* latest paid month, then survivor's latest start, then lowest id */
        if (best_cl_surv < 0 || cl_paid > best_cl_paid ||
            (cl_paid == best_cl_paid &&
             (enr[surv].start > enr[best_cl_surv].start ||
              (enr[surv].start == enr[best_cl_surv].start && enr[surv].id < enr[best_cl_surv].id)))) {
            best_cl_surv = surv;
            best_cl_paid = cl_paid;
        }
        i = j;
    }

    for (size_t k = 0; k < n; k++) {
        const sib_enrollment *e = &enr[idx[k]];
        if (open_paying(e, A))
            open12 = 1;
        if (is_pension(scheme) && e->benefit_start && e->benefit_start <= A) {
            draws = 1;
            if (pension_rec < 0 || e->benefit_start > enr[pension_rec].benefit_start ||
                (e->benefit_start == enr[pension_rec].benefit_start && e->id < enr[pension_rec].id))
                pension_rec = idx[k];
        }
        if (e->last_paid > ps->last_paid)
            ps->last_paid = e->last_paid;
        ps->sum12 += e->sum12;
    }

    ps->record = rec_open >= 0 ? rec_open : pension_rec >= 0 ? pension_rec : best_cl_surv;
    const sib_enrollment *rec = &enr[ps->record];
    sib_config_town(cfg, rec->town_code, ps->town);
    const sib_employer *emp = sib_source_employer(src, rec->unit_id);
    ps->risk_class = (int8_t)(emp ? emp->risk_class : 0);

    int dead = deceased && deceased[ps->person];
    ps->insured = !dead && (open12 || draws);
    ps->beneficiary = ps->insured && draws;
    int floor = sib_month_index(rec->start) - 1;
    int p = ps->last_paid ? sib_month_index(ps->last_paid) : floor;
    ps->months_unpaid = sib_month_index(A) - (p > floor ? p : floor);
    ps->project = sib_trim_eq(rec->worker_category, "project");
    ps->lapsed = ps->insured && !ps->beneficiary && !ps->project &&
                 ps->months_unpaid >= cfg->lapse_threshold[scheme];
    ps->contributing = ps->insured && !ps->lapsed && !ps->beneficiary;
}

/* The paid months of the pension person-schemes that can conflict: those of
 * persons in two or more pension schemes (170 with 110 or 120: refunds; 110
 * with 120).
 * ps i's enrollments are idx[start[i] .. start[i+1]). */
static int fold_paid(const sib_source *src, const int32_t *idx, const int32_t *start, sib_dedup *d)
{
    size_t cap = 0;
    d->paid_ix = sib_i64map_new(1024);
    if (!d->paid_ix)
        return SIB_ERR;
    for (size_t i = 0; i < d->nps;) {
        size_t j = i;
        int pension = 0;
        for (; j < d->nps && d->ps[j].person == d->ps[i].person; j++)
            pension += is_pension(d->ps[j].scheme);
        for (size_t k = i; k < j && pension >= 2; k++) {
            if (!is_pension(d->ps[k].scheme))
                continue;
            sib_months *m = sib_append((void **)&d->paid, &cap, &d->npaid, sizeof *d->paid);
            if (!m || sib_i64map_put(d->paid_ix, (int64_t)k, (int32_t)(d->npaid - 1)) != SIB_OK)
                return SIB_ERR;
            for (int32_t r = start[k]; r < start[k + 1]; r++)
                if (sib_months_union(m, &src->paid[idx[r]]) != SIB_OK)
                    return SIB_ERR;
        }
        i = j;
    }
    return SIB_OK;
}

const sib_months *sib_dedup_paid(const sib_dedup *d, size_t ps)
{
    static const sib_months none;
    int32_t k = d->paid_ix ? sib_i64map_get(d->paid_ix, (int64_t)ps) : -1;
    return k >= 0 ? &d->paid[k] : &none;
}

/* The person-schemes in parts of whole persons, one part a thread: each
 * numbers its clusters from 0, and they are shifted into one numbering
 * after (cluster numbers in row order, as on one thread). */
typedef struct dedup_part {
    size_t lo, hi;              /* rows idx[lo .. hi) */
    size_t ps0, nps;            /* its person-schemes ps[ps0 .. ps0 + nps) */
    int32_t clusters, cl0;      /* its clusters; the first one's number */
    long duplicates;
} dedup_part;

typedef struct dedup_job {
    const sib_source *src;
    const int32_t *idx;
    const uint8_t *deceased;
    const sib_config *cfg;
    sib_dedup *d;
    int32_t *start;             /* ps i's rows are idx[start[i] .. start[i + 1]) */
    dedup_part part[SIB_PAR_MAX];
} dedup_job;

/* 1 when row i of idx starts a person-scheme. */
static int group_starts(const sib_enrollment *enr, const int32_t *idx, size_t i, size_t lo)
{
    return i == lo || enr[idx[i]].person != enr[idx[i - 1]].person || enr[idx[i]].scheme != enr[idx[i - 1]].scheme;
}

static void count_part(void *ud, int t, int nt)
{
    (void)nt;
    dedup_job *j = ud;
    dedup_part *p = &j->part[t];
    p->nps = 0;
    for (size_t i = p->lo; i < p->hi; i++)
        p->nps += (size_t)group_starts(j->src->enr, j->idx, i, p->lo);
}

static void group_part(void *ud, int t, int nt)
{
    (void)nt;
    dedup_job *j = ud;
    dedup_part *p = &j->part[t];
    const sib_enrollment *enr = j->src->enr;
    size_t g = p->ps0;
    for (size_t i = p->lo; i < p->hi;) {
        size_t k = i + 1;
        while (k < p->hi && !group_starts(enr, j->idx, k, p->lo))
            k++;
        j->start[g] = (int32_t)i;
        sib_ps *ps = &j->d->ps[g++];
        do_group(j->src, j->idx + i, k - i, j->deceased, j->cfg, j->d, ps, &p->clusters);
        p->duplicates += ps->duplicates;
        i = k;
    }
}

static void shift_part(void *ud, int t, int nt)
{
    (void)nt;
    dedup_job *j = ud;
    const dedup_part *p = &j->part[t];
    if (p->cl0 == 0)
        return;
    for (size_t i = p->lo; i < p->hi; i++)
        j->d->cluster[j->idx[i]] += p->cl0;
}

int sib_dedup_run(const sib_source *src, size_t npersons, const uint8_t *deceased,
                  const sib_config *cfg, sib_dedup **out, sib_error *err)
{
    *out = NULL;
    sib_dedup *d = calloc(1, sizeof *d);
    int32_t *idx = NULL, *start = NULL;
    if (!d)
        goto oom;
    size_t n = src->nenr ? src->nenr : 1;
    d->cluster = sib_malloc_huge(n * sizeof *d->cluster);
    d->survivor = sib_malloc_huge(n * sizeof *d->survivor);
    idx = sib_malloc_huge(n * sizeof *idx);
    if (!d->cluster || !d->survivor || !idx)
        goto oom;
    size_t nu = 0;
    for (size_t i = 0; i < src->nenr; i++) {
        d->cluster[i] = d->survivor[i] = -1;
        if (src->enr[i].state == SIB_ROW_USABLE && src->enr[i].person >= 0) {
            if ((size_t)src->enr[i].person >= npersons) {
                sib_error_set(err, "dedup: enrollment %lld has person %d of %zu", (long long)src->enr[i].id,
                              src->enr[i].person, npersons);
                goto fail;
            }
            idx[nu++] = (int32_t)i;
        }
    }
    if (order_rows(src->enr, idx, nu, npersons) != SIB_OK)
        goto oom;

    int nt = cfg->threads < 1 ? 1 : cfg->threads > SIB_PAR_MAX ? SIB_PAR_MAX : cfg->threads;
    dedup_job job = { .src = src, .idx = idx, .deceased = deceased, .cfg = cfg, .d = d };
    for (int t = 0; t < nt; t++) {         /* parts end where a person does */
        size_t lo, hi;
        sib_par_range(nu, t, nt, &lo, &hi);
        while (lo > 0 && lo < nu && src->enr[idx[lo]].person == src->enr[idx[lo - 1]].person)
            lo++;
        job.part[t].lo = lo;
        if (t > 0)
            job.part[t - 1].hi = lo;
    }
    job.part[nt - 1].hi = nu;
    sib_par_run(nt, count_part, &job);
    size_t ngroups = 0;
    for (int t = 0; t < nt; t++) {
        job.part[t].ps0 = ngroups;
        ngroups += job.part[t].nps;
    }
    /* not zeroed here: do_group clears each person-scheme on its own thread */
    d->ps = sib_malloc_huge((ngroups ? ngroups : 1) * sizeof *d->ps);
    start = sib_malloc_huge((ngroups + 1) * sizeof *start);
    if (!d->ps || !start)
        goto oom;
    job.start = start;
    sib_par_run(nt, group_part, &job);
    int32_t next_cluster = 0;
    for (int t = 0; t < nt; t++) {
        job.part[t].cl0 = next_cluster;
        next_cluster += job.part[t].clusters;
        d->nduplicates += job.part[t].duplicates;
    }
    sib_par_run(nt, shift_part, &job);
    d->nps = ngroups;
    d->nclusters = next_cluster;
    start[d->nps] = (int32_t)nu;
    if (fold_paid(src, idx, start, d) != SIB_OK)
        goto oom;
    free(idx);
    free(start);
    sib_log_info("dedup", "person_schemes=%zu clusters=%ld duplicates=%ld", d->nps, d->nclusters,
                 d->nduplicates);
    *out = d;
    return SIB_OK;
oom:
    sib_error_set(err, "dedup: out of memory");
fail:
    free(idx);
    free(start);
    sib_dedup_free(d);
    return SIB_ERR;
}

void sib_dedup_person(const sib_dedup *d, int32_t person, size_t *first, size_t *n)
{
    size_t lo = 0, hi = d->nps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->ps[mid].person < person)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < d->nps && d->ps[k].person == person)
        k++;
    *first = lo;
    *n = k - lo;
}

void sib_dedup_drop_paid(sib_dedup *d)
{
    for (size_t i = 0; i < d->npaid; i++)
        sib_months_clear(&d->paid[i]);
    free(d->paid);
    sib_i64map_free(d->paid_ix);
    d->paid = NULL;
    d->paid_ix = NULL;
    d->npaid = 0;
}

void sib_dedup_free(sib_dedup *d)
{
    if (!d)
        return;
    sib_dedup_drop_paid(d);
    free(d->ps);
    free(d->cluster);
    free(d->survivor);
    free(d);
}
