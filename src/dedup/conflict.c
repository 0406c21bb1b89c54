/* conflict.c — cross-scheme pension conflicts and refunds (include/dedup/conflict.h). */
#include "dedup/conflict.h"
#include "read/contrib.h"
#include "common/arena.h"
#include "common/log.h"
#include "common/month.h"

#include <stdlib.h>
#include <string.h>

typedef struct collect {
    sib_conflicts *c;
    size_t cap;
    int32_t person;
    uint8_t kind;
    int as_of;
    int failed;
} collect;

static void add_month(int month_idx, void *ud)
{
    collect *k = ud;
    sib_conflicts *c = k->c;
    sib_conflict_month *m = sib_append((void **)&c->v, &k->cap, &c->n, sizeof *c->v);
    if (!m) {
        k->failed = 1;
        return;
    }
    *m = (sib_conflict_month){ k->person, sib_month_from_index(month_idx), k->kind, 0 };
}

static int month_cmp(const void *x, const void *y)
{
    const sib_conflict_month *a = x, *b = y;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

typedef struct refund_ctx {
    sib_conflicts *c;
    const sib_source *src;
} refund_ctx;

/* A kept 170 row: refunded when its month is a refund month of its person. */
static void add_refund(size_t enr, int month, int64_t cents, void *ud)
{
    refund_ctx *r = ud;
    sib_conflict_month key = { r->src->enr[enr].person, month, SIB_CONFLICT_REFUND, 0 };
    sib_conflict_month *m = bsearch(&key, r->c->v, r->c->n, sizeof key, month_cmp);
    if (m) {
        m->refund += cents;
        r->c->refund_total += cents;
    }
}

int sib_conflict_run(sib_dedup *d, sib_source *src, sib_db *db, sib_conflicts **out, sib_error *err)
{
    *out = NULL;
    sib_conflicts *c = calloc(1, sizeof *c);
    if (!c)
        return sib_error_set(err, "conflicts: out of memory");
    collect k = { .c = c, .as_of = src->as_of };
    const int aidx = sib_month_index(src->as_of);
    for (size_t i = 0; i < d->nps;) {
        size_t first, n;
        sib_dedup_person(d, d->ps[i].person, &first, &n);
        sib_ps *p110 = NULL, *p120 = NULL, *p170 = NULL;
        for (size_t j = first; j < first + n; j++) {
            if (d->ps[j].scheme == SIB_S110) p110 = &d->ps[j];
            if (d->ps[j].scheme == SIB_S120) p120 = &d->ps[j];
            if (d->ps[j].scheme == SIB_S170) p170 = &d->ps[j];
        }
        /* their paid months (empty when absent) */
        const sib_months *m110 = p110 ? sib_dedup_paid(d, (size_t)(p110 - d->ps)) : NULL;
        const sib_months *m120 = p120 ? sib_dedup_paid(d, (size_t)(p120 - d->ps)) : NULL;
        const sib_months *m170 = p170 ? sib_dedup_paid(d, (size_t)(p170 - d->ps)) : NULL;
        k.person = d->ps[i].person;
        size_t before = c->n;
        if (p170 && (p110 || p120)) {
            sib_months emp = { 0 };
            if ((p110 && sib_months_union(&emp, m110) != SIB_OK) ||
                (p120 && sib_months_union(&emp, m120) != SIB_OK)) {
                sib_months_clear(&emp);
                k.failed = 1;
                break;
            }
            k.kind = SIB_CONFLICT_REFUND;
            sib_months_intersect(m170, &emp, aidx, add_month, &k);
            sib_months_clear(&emp);
            if (c->n > before) {
                c->refund_persons++;
                p170->conflict = 1;
                /* every employee scheme that paid one of those months is involved */
                for (size_t m = before; m < c->n; m++) {
                    int mi = sib_month_index(c->v[m].month);
                    if (p110 && sib_months_has(m110, aidx, mi)) p110->conflict = 1;
                    if (p120 && sib_months_has(m120, aidx, mi)) p120->conflict = 1;
                }
            }
        }
        size_t mid = c->n;
        if (p110 && p120) {
            k.kind = SIB_CONFLICT_EMPLOYEE_INSTITUTION;
            sib_months_intersect(m110, m120, aidx, add_month, &k);
            if (c->n > mid) {
                c->ei_persons++;
                p110->conflict = p120->conflict = 1;
            }
        }
        if (k.failed)
            break;
        if (c->n > before)
            c->persons++;
        i = first + n;
    }
    if (k.failed) {
        sib_conflicts_free(c);
        return sib_error_set(err, "conflicts: out of memory");
    }
    qsort(c->v, c->n, sizeof *c->v, month_cmp);
    for (size_t m = 0; m < c->n; m++)
        c->months += m == 0 || c->v[m].person != c->v[m - 1].person || c->v[m].month != c->v[m - 1].month;

    /* Refunds: the kept 170 rows of the refund persons, read again. */
    size_t ne = 0, cap = 0;
    size_t *enr = NULL;
    for (size_t i = 0; i < src->nenr; i++) {
        const sib_enrollment *e = &src->enr[i];
        if (e->state != SIB_ROW_USABLE || e->scheme != SIB_S170 || e->person < 0)
            continue;
        sib_conflict_month key = { e->person, 0, 0, 0 };
        size_t lo = 0, hi = c->n;
        while (lo < hi) {
            size_t m = (lo + hi) / 2;
            if (month_cmp(&c->v[m], &key) < 0) lo = m + 1; else hi = m;
        }
        int has_refund = 0;
        for (size_t m = lo; m < c->n && c->v[m].person == e->person; m++)
            if (c->v[m].kind == SIB_CONFLICT_REFUND)
                has_refund = 1;
        if (!has_refund)
            continue;
        size_t *slot = sib_append((void **)&enr, &cap, &ne, sizeof *enr);
        if (!slot) {
            free(enr);
            sib_conflicts_free(c);
            return sib_error_set(err, "conflicts: out of memory");
        }
        *slot = i;
    }
    refund_ctx rctx = { c, src };
    int rc = SIB_OK;
    for (size_t off = 0; off < ne && rc == SIB_OK; off += 20000)
        rc = sib_source_kept_amounts(src, db, enr + off, ne - off < 20000 ? ne - off : 20000,
                                     add_refund, &rctx, err);
    free(enr);
    if (rc != SIB_OK) {
        sib_conflicts_free(c);
        return sib_error_prefix(err, "conflicts");
    }
    for (size_t m = 0; m < c->n; m++) {
        if (c->v[m].kind != SIB_CONFLICT_REFUND)
            continue;
        size_t first, n;
        sib_dedup_person(d, c->v[m].person, &first, &n);
        for (size_t j = first; j < first + n; j++)
            if (d->ps[j].scheme == SIB_S170)
                d->ps[j].refund += c->v[m].refund;
    }
    sib_log_info("conflict", "persons=%ld refund_persons=%ld employee_institution_persons=%ld overlap_months=%ld "
                 "refund_due=%lld.%02lld", c->persons, c->refund_persons, c->ei_persons, c->months,
                 (long long)(c->refund_total / 100), (long long)(c->refund_total % 100));
    *out = c;
    return SIB_OK;
}

void sib_conflicts_free(sib_conflicts *c)
{
    if (!c)
        return;
    free(c->v);
    free(c);
}
