/*
 * febrl_eval — runs the matcher of src/resolve/match.c on the FEBRL
 * benchmark (shared/data/febrl): deduplication of one file, or linkage of
 * two. Test tool, not part of bin/sibatch.
 *
 *   build/febrl_eval DATASET.csv              deduplicate (all pairs in blocks)
 *   build/febrl_eval A.csv B.csv              link A to B
 *
 * Fields (one model, no label ever read before the threshold is fixed):
 *   given_name, surname, address_1, address_2, suburb  STRING (Jaro-Winkler levels)
 *   street_number, postcode, soc_sec_id                IDNUM  (exact / one edit / two edits)
 *   state                                              EXACT
 *   date_of_birth                                      DATE
 * Blocking (union of single-field blocks): soc_sec_id, surname, given_name,
 * date_of_birth, postcode, suburb. Wide on purpose: EM needs the
 * non-matches, and every true pair shares at least one of them.
 * m, u and lambda by EM on the candidate pairs; a pair is a match when its
 * posterior match probability is >= 0.5, i.e. weight >= log2((1-l)/l).
 * Ground truth (rec-N-org / rec-N-dup-k) is read only to score the result.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "resolve/match.h"

#define NF 11           /* CSV columns */
#define NMF 10          /* model fields */
#define NBLOCK 6        /* blocking keys */

typedef struct rec {
    char *col[NF];      /* rec_id, given, surname, street_number, address_1,
                           address_2, suburb, postcode, state, dob, ssid */
    long entity;
    int file;
} rec;

enum { C_ID, C_GIVEN, C_SUR, C_STNO, C_ADDR1, C_ADDR2, C_SUBURB, C_POST, C_STATE, C_DOB, C_SSID };

static const sib_match_field febrl_fields[NMF] = {
    {.name = "given_name", .kind = SIB_CMP_STRING},
    {.name = "surname", .kind = SIB_CMP_STRING},
    {.name = "street_number", .kind = SIB_CMP_IDNUM},
    {.name = "address_1", .kind = SIB_CMP_STRING},
    {.name = "address_2", .kind = SIB_CMP_STRING},
    {.name = "suburb", .kind = SIB_CMP_STRING},
    {.name = "postcode", .kind = SIB_CMP_IDNUM},
    {.name = "state", .kind = SIB_CMP_EXACT},
    {.name = "date_of_birth", .kind = SIB_CMP_DATE},
    {.name = "soc_sec_id", .kind = SIB_CMP_IDNUM},
};
static const int field_col[NMF] = {C_GIVEN, C_SUR, C_STNO, C_ADDR1, C_ADDR2, C_SUBURB, C_POST, C_STATE, C_DOB, C_SSID};

/* Reads a FEBRL file: ", "-separated, header line, empty = missing. */
static int read_file(const char *path, int file, rec **recs, size_t *n, size_t *cap)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    if (f == NULL) {
        perror(path);
        return -1;
    }
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first) {
            first = 0;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            *recs = realloc(*recs, *cap * sizeof **recs);
        }
        rec *r = &(*recs)[(*n)++];
        memset(r, 0, sizeof *r);
        r->file = file;
        char *p = line;
        for (int c = 0; c < NF; c++) {
            char *e = strchr(p, ',');
            if (e)
                *e = '\0';
            while (*p == ' ')
                p++;
            size_t l = strlen(p);
            while (l && p[l - 1] == ' ')
                p[--l] = '\0';
            r->col[c] = strdup(p);
            p = e ? e + 1 : p + l;
        }
        /* rec-N-org / rec-N-dup-k */
        r->entity = strtol(r->col[C_ID] + 4, NULL, 10);
    }
    fclose(f);
    return 0;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
    return h;
}

/* Blocking key k of record r; 0 when a part is missing. */
static uint64_t block_key(const rec *r, int k)
{
    static const int parts[NBLOCK][2] = {{C_SSID, -1}, {C_SUR, -1}, {C_GIVEN, -1},
                                         {C_DOB, -1}, {C_POST, -1}, {C_SUBURB, -1}};
    uint64_t h = 1469598103934665603ULL + (uint64_t)k * 7919;
    for (int i = 0; i < 2 && parts[k][i] >= 0; i++) {
        const char *v = r->col[parts[k][i]];
        if (!*v)
            return 0;
        h = hash_str(h, v);
    }
    return h | 1;
}

typedef struct pair { int32_t a, b; } pair;

static int find(int32_t *par, int32_t x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static void report(const char *what, double tp, double pred, double truth)
{
    double p = pred > 0 ? tp / pred : 0, r = truth > 0 ? tp / truth : 0;
    printf("%-9s precision=%.4f recall=%.4f f1=%.4f (tp=%.0f predicted=%.0f true=%.0f)\n", what, p, r,
           p + r > 0 ? 2 * p * r / (p + r) : 0, tp, pred, truth);
}

int main(int argc, char **argv)
{
    rec *recs = NULL;
    size_t n = 0, cap = 0;
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: febrl_eval DATASET.csv | A.csv B.csv\n");
        return 2;
    }
    int link = argc == 3;
    if (read_file(argv[1], 0, &recs, &n, &cap) || (link && read_file(argv[2], 1, &recs, &n, &cap)))
        return 1;

    /* candidate pairs: the union of the blocks (sort (key, rec), pair within runs) */
    size_t nk = 0, npk = 0, capk = n * NBLOCK;
    typedef struct kr { uint64_t key; int32_t rec; } kr;
    kr *arr = malloc(capk * sizeof *arr);
    for (int k = 0; k < NBLOCK; k++)
        for (size_t i = 0; i < n; i++) {
            uint64_t h = block_key(&recs[i], k);
            if (h)
                arr[nk++] = (kr){h, (int32_t)i};
        }
    size_t *ord = malloc(nk * sizeof *ord);
    {
        /* pack key high bits and index into u64 pairs via two arrays */
        uint64_t *tmp = malloc(nk * 2 * sizeof *tmp);
        for (size_t i = 0; i < nk; i++) {
            tmp[2 * i] = arr[i].key;
            tmp[2 * i + 1] = i;
        }
        qsort(tmp, nk, 2 * sizeof *tmp, cmp_u64);
        for (size_t i = 0; i < nk; i++)
            ord[i] = (size_t)tmp[2 * i + 1];
        free(tmp);
    }
    uint64_t *pk = NULL;
    size_t cappk = 0;
    for (size_t s = 0; s < nk;) {
        size_t e = s;
        while (e < nk && arr[ord[e]].key == arr[ord[s]].key)
            e++;
        for (size_t i = s; i < e; i++)
            for (size_t j = i + 1; j < e; j++) {
                int32_t a = arr[ord[i]].rec, b = arr[ord[j]].rec;
                if (a == b || (link && recs[a].file == recs[b].file))
                    continue;
                if (a > b) {
                    int32_t t = a;
                    a = b;
                    b = t;
                }
                if (npk == cappk) {
                    cappk = cappk ? cappk * 2 : 65536;
                    pk = realloc(pk, cappk * sizeof *pk);
                }
                pk[npk++] = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
            }
        s = e;
    }
    qsort(pk, npk, sizeof *pk, cmp_u64);
    size_t np = 0;
    for (size_t i = 0; i < npk; i++)
        if (np == 0 || pk[np - 1] != pk[i])
            pk[np++] = pk[i];

    /* compare and EM */
    sib_error err;
    sib_match_model *m = sib_match_model_new(febrl_fields, NMF, &err);
    if (m == NULL) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    uint8_t *lv = malloc(np * NMF);
    for (size_t i = 0; i < np; i++) {
        const rec *a = &recs[pk[i] >> 32], *b = &recs[pk[i] & 0xFFFFFFFFu];
        for (int f = 0; f < NMF; f++)
            lv[i * NMF + f] = (uint8_t)sib_match_compare(m, (size_t)f, a->col[field_col[f]], b->col[field_col[f]], NULL);
    }
    int rounds = sib_match_em(m, lv, np, 0.1, 1000, &err);
    if (rounds < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double thr = sib_match_threshold_for(m, 0.5);
    printf("records=%zu candidate_pairs=%zu em_rounds=%d lambda=%.5f threshold=%.3f (posterior >= 0.5)\n", n, np,
           rounds, sib_match_lambda(m), thr);
    for (int f = 0; f < NMF; f++) {
        printf("  %-14s", febrl_fields[f].name);
        for (int l = 1; l < sib_match_kind_levels(febrl_fields[f].kind); l++)
            printf(" %s=%+.2f", sib_match_level_name(febrl_fields[f].kind, l), sib_match_level_weight(m, (size_t)f, l));
        printf("\n");
    }

    /* predictions, then truth */
    int32_t *par = malloc(n * sizeof *par);
    for (size_t i = 0; i < n; i++)
        par[i] = (int32_t)i;
    double tp = 0, pred = 0, truth = 0, blocked_true = 0;
    for (size_t i = 0; i < np; i++) {
        int32_t a = (int32_t)(pk[i] >> 32), b = (int32_t)(pk[i] & 0xFFFFFFFFu);
        int same = recs[a].entity == recs[b].entity;
        blocked_true += same;
        if (sib_match_weight(m, lv + i * NMF) >= thr) {
            pred++;
            tp += same;
            par[find(par, a)] = find(par, b);
        }
    }
    /* true pairs: per entity, n(n-1)/2 (dedup) or n_a * n_b (linkage) */
    {
        uint64_t *ek = malloc(n * sizeof *ek);
        for (size_t i = 0; i < n; i++)
            ek[i] = ((uint64_t)recs[i].entity << 1) | (uint64_t)recs[i].file;
        qsort(ek, n, sizeof *ek, cmp_u64);
        for (size_t s = 0; s < n;) {
            size_t e = s, c0 = 0, c1 = 0;
            while (e < n && (ek[e] >> 1) == (ek[s] >> 1)) {
                if (ek[e] & 1)
                    c1++;
                else
                    c0++;
                e++;
            }
            truth += link ? (double)c0 * c1 : (double)(c0 + c1) * (c0 + c1 - 1) / 2;
            s = e;
        }
        free(ek);
    }
    printf("blocking: %.0f of %.0f true pairs are candidates (recall %.4f)\n", blocked_true, truth, blocked_true / truth);
    report("pairwise", tp, pred, truth);
    /* clusters: every pair inside a connected component (cross-file pairs for linkage) */
    {
        uint64_t *ck = malloc(n * sizeof *ck);
        for (size_t i = 0; i < n; i++)
            ck[i] = ((uint64_t)find(par, (int32_t)i) << 32) | (uint32_t)i;
        qsort(ck, n, sizeof *ck, cmp_u64);
        double ctp = 0, cpred = 0;
        for (size_t s = 0; s < n;) {
            size_t e = s;
            while (e < n && (ck[e] >> 32) == (ck[s] >> 32))
                e++;
            for (size_t i = s; i < e; i++)
                for (size_t j = i + 1; j < e; j++) {
                    const rec *a = &recs[ck[i] & 0xFFFFFFFFu], *b = &recs[ck[j] & 0xFFFFFFFFu];
                    if (link && a->file == b->file)
                        continue;
                    cpred++;
                    ctp += a->entity == b->entity;
                }
            s = e;
        }
        report("cluster", ctp, cpred, truth);
        free(ck);
    }
    free(par);
    free(lv);
    sib_match_model_free(m);
    free(pk);
    free(ord);
    free(arr);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < NF; c++)
            free(recs[i].col[c]);
    free(recs);
    return 0;
}
