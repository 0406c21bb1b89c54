/* months.c — paid-month sets (include/read/months.h). */
#include "read/months.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

/* Months older than the window, sorted ascending. */
struct sib_old_months {
    uint32_t n, cap;
    int32_t v[];
};

/* Index of the first old month >= idx. */
static uint32_t old_find(const struct sib_old_months *o, int idx)
{
    uint32_t lo = 0, hi = o ? o->n : 0;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (o->v[mid] < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int old_insert(sib_months *m, int idx)
{
    struct sib_old_months *o = m->old;
    uint32_t at = old_find(o, idx);
    if (o && at < o->n && o->v[at] == idx)
        return 0;
    if (!o || o->n == o->cap) {
        uint32_t cap = o ? o->cap * 2 : 8;
        struct sib_old_months *p = realloc(o, sizeof *p + cap * sizeof p->v[0]);
        if (!p)
            return -1;
        if (!o)
            p->n = 0;
        p->cap = cap;
        m->old = o = p;
    }
    memmove(o->v + at + 1, o->v + at, (o->n - at) * sizeof o->v[0]);
    o->v[at] = idx;
    o->n++;
    return 1;
}

int sib_months_add(sib_months *m, int as_of_idx, int month_idx)
{
    int k = as_of_idx - month_idx;
    if (k < 0)
        return 0;       /* after the as-of month: never a paid month */
    if (k < SIB_MONTHS_WINDOW) {
        uint64_t bit = 1ULL << (k & 63);
        if (m->win[k >> 6] & bit)
            return 0;
        m->win[k >> 6] |= bit;
        return 1;
    }
    return old_insert(m, month_idx);
}

int sib_months_add_shared(sib_months *m, int as_of_idx, int month_idx, pthread_mutex_t *old_lock)
{
    int k = as_of_idx - month_idx;
    if (k < 0)
        return 0;
    if (k < SIB_MONTHS_WINDOW) {
        uint64_t bit = 1ULL << (k & 63);
        return !(__atomic_fetch_or(&m->win[k >> 6], bit, __ATOMIC_RELAXED) & bit);
    }
    pthread_mutex_lock(old_lock);
    int rc = old_insert(m, month_idx);
    pthread_mutex_unlock(old_lock);
    return rc;
}

int sib_months_has(const sib_months *m, int as_of_idx, int month_idx)
{
    int k = as_of_idx - month_idx;
    if (k < 0)
        return 0;
    if (k < SIB_MONTHS_WINDOW)
        return (m->win[k >> 6] >> (k & 63)) & 1;
    uint32_t at = old_find(m->old, month_idx);
    return m->old && at < m->old->n && m->old->v[at] == month_idx;
}

int sib_months_union(sib_months *dst, const sib_months *src)
{
    dst->win[0] |= src->win[0];
    dst->win[1] |= src->win[1];
    for (uint32_t i = 0; src->old && i < src->old->n; i++)
        if (old_insert(dst, src->old->v[i]) < 0)
            return SIB_ERR;
    return SIB_OK;
}

void sib_months_intersect(const sib_months *a, const sib_months *b, int as_of_idx,
                          void (*fn)(int month_idx, void *ud), void *ud)
{
    for (int w = 0; w < 2; w++) {
        uint64_t both = a->win[w] & b->win[w];
        while (both) {
            int bit = __builtin_ctzll(both);
            both &= both - 1;
            fn(as_of_idx - (w * 64 + bit), ud);
        }
    }
    /* older months, descending */
    if (!a->old || !b->old)
        return;
    const int32_t *x = a->old->v, *y = b->old->v;
    uint32_t i = a->old->n, j = b->old->n;
    while (i > 0 && j > 0) {
        if (x[i - 1] == y[j - 1]) {
            fn(x[i - 1], ud);
            i--;
            j--;
        } else if (x[i - 1] > y[j - 1]) {
            i--;
        } else {
            j--;
        }
    }
}

int sib_months_latest(const sib_months *m, int as_of_idx)
{
    for (int w = 0; w < SIB_MONTHS_WINDOW / 64; w++)
        if (m->win[w])
            return as_of_idx - (w * 64 + __builtin_ctzll(m->win[w]));
    return m->old && m->old->n ? m->old->v[m->old->n - 1] : -1;
}

void sib_months_clear(sib_months *m)
{
    free(m->old);
    memset(m, 0, sizeof *m);
}
