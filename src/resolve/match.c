/*
 * match.c — Fellegi–Sunter scoring and EM (see match.h).
 */
#include "resolve/match.h"
#include "resolve/name.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLAMP_LO 1e-6
#define CLAMP_HI (1.0 - 1e-6)

typedef struct model_field {
    char name[24];
    sib_cmp_kind kind;
    int nlev;                           /* levels including 0 */
    double hi, lo;
    double m[SIB_MATCH_MAXLEVELS], u[SIB_MATCH_MAXLEVELS];
    double w[SIB_MATCH_MAXLEVELS];      /* log2(m/u), w[0] = 0 */
    int m_set, u_set;                   /* caller gave m / u */
} model_field;

struct sib_match_model {
    size_t n;
    model_field f[SIB_MATCH_MAXFIELDS];
    double lambda;
};

static const char *const lv_exact[] = {"missing", "exact", "different"};
static const char *const lv_name[] = {"missing", "exact", "simplified", "pinyin", "similar", "different"};
static const char *const lv_string[] = {"missing", "exact", "jw_high", "jw_low", "different"};
static const char *const lv_date[] = {"missing", "exact", "one_edit", "swap_dm", "one_part", "different"};
static const char *const lv_id[] = {"missing", "exact", "one_edit", "two_edit", "different"};

int sib_match_kind_levels(sib_cmp_kind kind)
{
    switch (kind) {
    case SIB_CMP_EXACT: return 3;
    case SIB_CMP_NAME_ZH: return 6;
    case SIB_CMP_STRING: return 5;
    case SIB_CMP_DATE: return 6;
    case SIB_CMP_IDNUM: return 5;
    }
    return 0;
}

const char *sib_match_level_name(sib_cmp_kind kind, int level)
{
    if (level < 0 || level >= sib_match_kind_levels(kind))
        return "?";
    switch (kind) {
    case SIB_CMP_EXACT: return lv_exact[level];
    case SIB_CMP_NAME_ZH: return lv_name[level];
    case SIB_CMP_STRING: return lv_string[level];
    case SIB_CMP_DATE: return lv_date[level];
    case SIB_CMP_IDNUM: return lv_id[level];
    }
    return "?";
}

static double clamp(double p)
{
    return p < CLAMP_LO ? CLAMP_LO : p > CLAMP_HI ? CLAMP_HI : p;
}

/* Recomputes the weights of one field from m and u. */
static void field_weights(model_field *f)
{
    f->w[0] = 0.0;
    for (int l = 1; l < f->nlev; l++)
        f->w[l] = log2(clamp(f->m[l]) / clamp(f->u[l]));
}

/* Default m: 0.9 at level 1, the remaining 0.1 halving per level. */
static void default_m(model_field *f)
{
    double rest = 0.1;
    f->m[1] = 0.9;
    for (int l = 2; l < f->nlev; l++) {
        f->m[l] = l == f->nlev - 1 ? rest : rest / 2;
        rest -= f->m[l];
    }
}

sib_match_model *sib_match_model_new(const sib_match_field *fields, size_t nfields, sib_error *err)
{
    if (nfields == 0 || nfields > SIB_MATCH_MAXFIELDS) {
        sib_error_set(err, "match: %zu fields (1..%d allowed)", nfields, SIB_MATCH_MAXFIELDS);
        return NULL;
    }
    sib_match_model *m = calloc(1, sizeof *m);
    if (m == NULL) {
        sib_error_set(err, "match: out of memory");
        return NULL;
    }
    m->n = nfields;
    m->lambda = 0.01;
    for (size_t i = 0; i < nfields; i++) {
        model_field *f = &m->f[i];
        const sib_match_field *s = &fields[i];
        f->kind = s->kind;
        f->nlev = sib_match_kind_levels(s->kind);
        if (f->nlev == 0) {
            sib_error_set(err, "match: field %zu: unknown comparator kind %d", i, (int)s->kind);
            free(m);
            return NULL;
        }
        snprintf(f->name, sizeof f->name, "%s", s->name ? s->name : "f");
        f->hi = s->hi > 0 ? s->hi : 0.92;
        f->lo = s->lo > 0 ? s->lo : 0.80;
        for (int l = 1; l < f->nlev; l++) {
            f->m_set |= s->m[l] > 0;
            f->u_set |= s->u[l] > 0;
        }
        if (f->m_set)
            memcpy(f->m, s->m, sizeof f->m);
        else
            default_m(f);
        if (f->u_set)
            memcpy(f->u, s->u, sizeof f->u);
        else
            for (int l = 1; l < f->nlev; l++)
                f->u[l] = 1.0 / (f->nlev - 1);
        field_weights(f);
    }
    return m;
}

void sib_match_model_free(sib_match_model *m)
{
    free(m);
}

size_t sib_match_nfields(const sib_match_model *m)
{
    return m->n;
}

/* 1 when s is 8 ASCII digits. */
static int is_ymd(const char *s)
{
    for (int i = 0; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[8] == '\0';
}

/* DATE levels of two values. */
static int cmp_date(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    int ea = sib_name_edit_distance(a, b, 1);
    if (!is_ymd(a) || !is_ymd(b))
        return ea <= 1 ? 2 : 5;
    if (ea <= 1)
        return 2;
    if (memcmp(a, b, 4) == 0 && memcmp(a + 4, b + 6, 2) == 0 && memcmp(a + 6, b + 4, 2) == 0)
        return 3;
    int same = (memcmp(a, b, 4) == 0) + (memcmp(a + 4, b + 4, 2) == 0) + (memcmp(a + 6, b + 6, 2) == 0);
    return same == 2 ? 4 : 5;
}

int sib_match_compare(const sib_match_model *m, size_t fi, const char *a, const char *b,
                      sib_name_ctx *ctx)
{
    const model_field *f = &m->f[fi];
    if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
        return 0;
    switch (f->kind) {
    case SIB_CMP_EXACT:
        return strcmp(a, b) == 0 ? 1 : 2;
    case SIB_CMP_NAME_ZH:
        return ctx ? (int)sib_name_compare(ctx, a, b)
                   : (int)sib_name_level_of(a, NULL, NULL, b, NULL, NULL);
    case SIB_CMP_STRING: {
        if (strcmp(a, b) == 0)
            return 1;
        double s = sib_name_jaro_winkler(a, b);
        return s >= f->hi ? 2 : s >= f->lo ? 3 : 4;
    }
    case SIB_CMP_DATE:
        return cmp_date(a, b);
    case SIB_CMP_IDNUM: {
        int d = sib_name_edit_distance(a, b, 2);
        return d == 0 ? 1 : d == 1 ? 2 : d == 2 ? 3 : 4;
    }
    }
    return 0;
}

double sib_match_level_weight(const sib_match_model *m, size_t f, int level)
{
    if (f >= m->n || level <= 0 || level >= m->f[f].nlev)
        return 0.0;
    return m->f[f].w[level];
}

double sib_match_weight(const sib_match_model *m, const uint8_t *levels)
{
    double w = 0.0;
    for (size_t i = 0; i < m->n; i++)
        w += levels[i] < m->f[i].nlev ? m->f[i].w[levels[i]] : 0.0;
    return w;
}

uint32_t sib_match_evidence(const sib_match_model *m, const uint8_t *levels)
{
    uint32_t e = 0;
    for (size_t i = 0; i < m->n; i++)
        e |= (uint32_t)(levels[i] & 7u) << (3 * i);
    return e;
}

const char *sib_match_evidence_text(const sib_match_model *m, uint32_t evidence, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n; i++) {
        int l = (int)((evidence >> (3 * i)) & 7u);
        if (l == 0)
            continue;
        int k = snprintf(buf + o, cap - o, "%s%s=%s", o ? "," : "", m->f[i].name,
                         sib_match_level_name(m->f[i].kind, l));
        if (k < 0 || (size_t)k >= cap - o)
            break;
        o += (size_t)k;
    }
    return buf;
}

void sib_match_set(sib_match_model *m, size_t f, int level, double mprob, double uprob)
{
    if (f >= m->n || level <= 0 || level >= m->f[f].nlev)
        return;
    m->f[f].m[level] = mprob;
    m->f[f].u[level] = uprob;
    field_weights(&m->f[f]);
}

void sib_match_get(const sib_match_model *m, size_t f, int level, double *mprob, double *uprob)
{
    *mprob = *uprob = 0.0;
    if (f >= m->n || level <= 0 || level >= m->f[f].nlev)
        return;
    *mprob = m->f[f].m[level];
    *uprob = m->f[f].u[level];
}

double sib_match_lambda(const sib_match_model *m)
{
    return m->lambda;
}

void sib_match_set_lambda(sib_match_model *m, double lambda)
{
    m->lambda = clamp(lambda);
}

double sib_match_threshold_for(const sib_match_model *m, double p)
{
    return log2(p / (1.0 - p)) + log2((1.0 - m->lambda) / m->lambda);
}

double sib_match_posterior(const sib_match_model *m, double weight)
{
    double odds = exp2(weight) * m->lambda / (1.0 - m->lambda);
    return odds / (1.0 + odds);
}

/* Packs a level vector (<= 10 fields, 3 bits each) for pattern counting. */
static uint32_t pack(const uint8_t *lv, size_t n)
{
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++)
        k |= (uint32_t)(lv[i] & 7u) << (3 * i);
    return k;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int sib_match_em(sib_match_model *m, const uint8_t *levels, size_t npairs, double lambda0,
                 int max_iter, sib_error *err)
{
    uint32_t *keys = NULL, *pat = NULL;
    double *cnt = NULL;
    size_t np = 0;
    int rounds = 0, rc = SIB_ERR;
    size_t n = m->n;

    if (npairs == 0)
        return sib_error_set(err, "match: EM needs at least one pair");
    keys = malloc(npairs * sizeof *keys);
    if (keys == NULL)
        goto oom;
    for (size_t i = 0; i < npairs; i++)
        keys[i] = pack(levels + i * n, n);
    qsort(keys, npairs, sizeof *keys, cmp_u32);
    pat = malloc(npairs * sizeof *pat);
    cnt = malloc(npairs * sizeof *cnt);
    if (pat == NULL || cnt == NULL)
        goto oom;
    for (size_t i = 0; i < npairs; i++) {
        if (np > 0 && pat[np - 1] == keys[i]) {
            cnt[np - 1] += 1.0;
        } else {
            pat[np] = keys[i];
            cnt[np++] = 1.0;
        }
    }
    /* u starts at the level shares among all pairs (nearly all non-matches) */
    for (size_t f = 0; f < n; f++) {
        model_field *mf = &m->f[f];
        double c[SIB_MATCH_MAXLEVELS] = {0}, tot = 0;
        for (size_t p = 0; p < np; p++) {
            int l = (int)((pat[p] >> (3 * f)) & 7u);
            if (l > 0) {
                c[l] += cnt[p];
                tot += cnt[p];
            }
        }
        if (!mf->u_set && tot > 0)
            for (int l = 1; l < mf->nlev; l++)
                mf->u[l] = clamp((c[l] + 0.5) / (tot + 0.5 * (mf->nlev - 1)));
        field_weights(mf);
    }
    m->lambda = clamp(lambda0);
    for (rounds = 1; rounds <= max_iter; rounds++) {
        double sm[SIB_MATCH_MAXFIELDS][SIB_MATCH_MAXLEVELS] = {{0}};
        double su[SIB_MATCH_MAXFIELDS][SIB_MATCH_MAXLEVELS] = {{0}};
        double gsum = 0.0, total = 0.0, delta = 0.0;
        for (size_t p = 0; p < np; p++) {
            double lm = log(m->lambda), lu = log(1.0 - m->lambda);
            for (size_t f = 0; f < n; f++) {
                int l = (int)((pat[p] >> (3 * f)) & 7u);
                if (l > 0) {
                    lm += log(clamp(m->f[f].m[l]));
                    lu += log(clamp(m->f[f].u[l]));
                }
            }
            double g = 1.0 / (1.0 + exp(lu - lm));
            gsum += g * cnt[p];
            total += cnt[p];
            for (size_t f = 0; f < n; f++) {
                int l = (int)((pat[p] >> (3 * f)) & 7u);
                sm[f][l] += g * cnt[p];
                su[f][l] += (1.0 - g) * cnt[p];
            }
        }
        double nl = clamp(gsum / total);
        delta = fabs(nl - m->lambda);
        m->lambda = nl;
        for (size_t f = 0; f < n; f++) {
            model_field *mf = &m->f[f];
            double tm = 0, tu = 0;
            for (int l = 1; l < mf->nlev; l++) {
                tm += sm[f][l];
                tu += su[f][l];
            }
            for (int l = 1; l < mf->nlev; l++) {
                double nm = tm > 0 ? clamp(sm[f][l] / tm) : mf->m[l];
                double nu = tu > 0 ? clamp(su[f][l] / tu) : mf->u[l];
                if (fabs(nm - mf->m[l]) > delta)
                    delta = fabs(nm - mf->m[l]);
                if (fabs(nu - mf->u[l]) > delta)
                    delta = fabs(nu - mf->u[l]);
                mf->m[l] = nm;
                mf->u[l] = nu;
            }
            field_weights(mf);
        }
        if (delta < 1e-7)
            break;
    }
    if (rounds > max_iter)
        rounds = max_iter;
    rc = rounds;
    goto done;
oom:
    sib_error_set(err, "match: EM: out of memory for %zu pairs", npairs);
done:
    free(keys);
    free(pat);
    free(cnt);
    return rc;
}
