/* truth.c — definitions.md §1-§5 for one true person (the answer key). */
#include "gen/truth.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

#define HIST 1200   /* months of history tracked back from A (100 years) */

static int midx(int yyyymm) { return (yyyymm / 100) * 12 + (yyyymm % 100) - 1; }
static int valid_month(int m) { return m >= 100001 && m <= 999912 && m % 100 >= 1 && m % 100 <= 12; }
static int is_pension(int s) { return s == SIB_S110 || s == SIB_S120 || s == SIB_S170; }

/* The row of one period that §1 keeps: latest paid_on (NULL earliest), then
 * the largest employer + personal amount. */
static int better(const sib_gen_crow *a, const sib_gen_crow *b)
{
    if (a->paid_on != b->paid_on)
        return a->paid_on > b->paid_on;
    return a->er + a->pr > b->er + b->pr;
}

static int cmp_period(const void *x, const void *y)
{
    const sib_gen_crow *a = *(const sib_gen_crow *const *)x, *b = *(const sib_gen_crow *const *)y;
    return (a->period > b->period) - (a->period < b->period);
}

/* Survivor order of §3: 1 when enrollment i goes before j. */
static int surv_before(const sib_gen_enr *e, const int *openok, const int *lastp, int i, int j)
{
    if (openok[i] != openok[j])
        return openok[i];
    if (lastp[i] != lastp[j])
        return lastp[i] > lastp[j];
    if (e[i].status != e[j].status)
        return e[i].status < e[j].status;
    if (e[i].start != e[j].start)
        return e[i].start < e[j].start;
    return e[i].id < e[j].id;
}

int sib_gen_truth_person(const sib_gen_enr *e, int n, int as_of, int deceased,
                         const int thr[SIB_NSCHEMES], sib_gen_truth *out)
{
    if (n > SIB_GEN_MAX_ENR)
        return SIB_ERR;
    memset(out, 0, sizeof *out);
    int A = midx(as_of);
    uint8_t paid[SIB_NSCHEMES][HIST];
    int64_t r170[HIST];
    memset(paid, 0, sizeof paid);
    memset(r170, 0, sizeof r170);
    int usable[SIB_GEN_MAX_ENR], openok[SIB_GEN_MAX_ENR], lastp[SIB_GEN_MAX_ENR];
    int comp[SIB_GEN_MAX_ENR];
    const sib_gen_crow *sorted[512];

    for (int i = 0; i < n; i++) {
        usable[i] = e[i].scheme >= 0 && e[i].start <= as_of;
        openok[i] = usable[i] && (e[i].end == 0 || e[i].end >= as_of) &&
                    (e[i].status == 1 || e[i].status == 2);
        lastp[i] = 0;
        comp[i] = i;
        if (!usable[i])
            continue;
        /* Kept rows (§1): valid period not after A, no negative amount, one per period. */
        int k = 0;
        for (int j = 0; j < e[i].nrows && k < 512; j++) {
            const sib_gen_crow *c = &e[i].rows[j];
            if (!valid_month(c->period) || c->period > as_of || c->base < 0 || c->er < 0 || c->pr < 0)
                continue;
            sorted[k++] = c;
        }
        qsort(sorted, (size_t)k, sizeof sorted[0], cmp_period);
        for (int a = 0; a < k;) {
            const sib_gen_crow *best = sorted[a];
            int b = a + 1;
            for (; b < k && sorted[b]->period == sorted[a]->period; b++)
                if (better(sorted[b], best))
                    best = sorted[b];
            int back = A - midx(best->period);
            if (back >= 0 && back < HIST) {
                paid[e[i].scheme][back] = 1;
                if (e[i].scheme == SIB_S170)
                    r170[back] += best->er + best->pr;
            }
            if (best->period > lastp[i])
                lastp[i] = best->period;
            a = b;
        }
    }

    /* Clusters (§3): connected components of overlapping periods per scheme. */
    for (int i = 0; i < n; i++) {
        if (!usable[i])
            continue;
        int ei = e[i].end ? e[i].end : as_of;
        for (int j = i + 1; j < n; j++) {
            if (!usable[j] || e[j].scheme != e[i].scheme)
                continue;
            int ej = e[j].end ? e[j].end : as_of;
            if (e[i].start <= ej && e[j].start <= ei) {
                int ci = comp[i], cj = comp[j];
                if (ci != cj)
                    for (int t = 0; t < n; t++)
                        if (comp[t] == cj)
                            comp[t] = ci;
            }
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j && usable[i] && usable[j] && comp[i] == comp[j] && e[i].id < e[j].id &&
                out->npairs < SIB_GEN_MAX_PAIRS) {
                out->pair_a[out->npairs] = e[i].id;
                out->pair_b[out->npairs] = e[j].id;
                out->npairs++;
            }

    for (int s = 0; s < SIB_NSCHEMES; s++) {
        out->record[s] = -1;
        int any_open = -1, pension = 0, ben = -1;
        for (int i = 0; i < n; i++) {
            if (!usable[i] || e[i].scheme != s)
                continue;
            out->has[s] = 1;
            if (openok[i] && any_open < 0)
                any_open = i;
            if (lastp[i] > out->last_paid[s])
                out->last_paid[s] = lastp[i];
            if (is_pension(s) && e[i].benefit && e[i].benefit <= as_of) {
                pension = 1;
                if (ben < 0 || e[i].benefit > e[ben].benefit ||
                    (e[i].benefit == e[ben].benefit && e[i].id < e[ben].id))
                    ben = i;
            }
        }
        if (!out->has[s])
            continue;
        /* Survivor of each cluster. */
        int surv[SIB_GEN_MAX_ENR];
        for (int i = 0; i < n; i++)
            surv[i] = -1;
        for (int i = 0; i < n; i++) {
            if (!usable[i] || e[i].scheme != s)
                continue;
            int c = comp[i];
            if (surv[c] < 0 || surv_before(e, openok, lastp, i, surv[c]))
                surv[c] = i;
        }
        int rec = -1;
        if (any_open >= 0) {
            rec = surv[comp[any_open]];
        } else if (ben >= 0) {
            rec = ben;
        } else {
            int best_paid = -1;
            for (int c = 0; c < n; c++) {
                if (surv[c] < 0)
                    continue;
                int cp = 0;
                for (int i = 0; i < n; i++)
                    if (usable[i] && e[i].scheme == s && comp[i] == c && lastp[i] > cp)
                        cp = lastp[i];
                int v = surv[c];
                if (rec < 0 || cp > best_paid ||
                    (cp == best_paid && (e[v].start > e[rec].start ||
                                         (e[v].start == e[rec].start && e[v].id < e[rec].id)))) {
                    rec = v;
                    best_paid = cp;
                }
            }
        }
        out->record[s] = rec;
        int S = midx(e[rec].start);
        int P = out->last_paid[s] ? midx(out->last_paid[s]) : -1;
        int from = P > S - 1 ? P : S - 1;
        out->months_unpaid[s] = A - from;
        out->insured[s] = !deceased && (any_open >= 0 || pension);
        out->beneficiary[s] = out->insured[s] && pension;
        out->lapsed[s] = out->insured[s] && !out->beneficiary[s] &&
                         e[rec].category != SIB_CAT_PROJECT && out->months_unpaid[s] >= thr[s];
    }

    /* Cross-scheme overlaps (§5), over the whole history. */
    for (int m = 0; m < HIST; m++) {
        if (paid[SIB_S170][m] && (paid[SIB_S110][m] || paid[SIB_S120][m])) {
            out->refund_months++;
            out->refund_cents += r170[m];
        }
        if (paid[SIB_S110][m] && paid[SIB_S120][m])
            out->ei_months++;
    }
    return SIB_OK;
}
