/*
 * resolve.c — person resolution (see resolve.h for the rules; the m/u
 * values below are explained in docs/matching.md).
 */
#include "resolve/resolve.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/log.h"
#include "common/month.h"
#include "common/par.h"
#include "resolve/idnum.h"
#include "resolve/match.h"
#include "resolve/name.h"

#define NAME_CAP 192

/* The resolver's field list (order = SIB_EV_*), fixed m/u per level. The
 * exact levels of name and birth are replaced by term frequencies at run
 * time (u = share of keyed persons with that value). */
static const sib_match_field resolver_fields[SIB_EV_NFIELDS] = {
    {.name = "name", .kind = SIB_CMP_NAME_ZH,
     .m = {0, 0.92, 0.02, 0.02, 0.03, 0.01}, .u = {0, 1e-4, 1e-4, 1e-3, 1e-3, 0.99}},
    {.name = "birth", .kind = SIB_CMP_DATE,
     .m = {0, 0.95, 0.02, 0.005, 0.015, 0.01}, .u = {0, 5e-5, 3e-3, 5e-5, 3e-3, 0.994}},
    {.name = "gender", .kind = SIB_CMP_EXACT, .m = {0, 0.98, 0.02}, .u = {0, 0.5, 0.5}},
    {.name = "town", .kind = SIB_CMP_EXACT, .m = {0, 0.85, 0.15}, .u = {0, 0.15, 0.85}},
    {.name = "unit", .kind = SIB_CMP_EXACT, .m = {0, 0.6, 0.4}, .u = {0, 1e-3, 0.999}},
    {.name = "id", .kind = SIB_CMP_IDNUM,
     .m = {0, 0.01, 0.6, 0.1, 0.29}, .u = {0, 1e-12, 1e-9, 1e-7, 0.9999999}},
};

typedef struct review_entry {
    size_t rec;
    int32_t cand;
    float score;
    uint32_t evidence;
} review_entry;

struct sib_resolver {
    int as_of;
    double auto_link, review;
    double floor;               /* min(review, auto_link - margin): below it a
                                   candidate can change nothing, so it may be
                                   skipped or scored coarsely */
    sib_match_model *model;
    sib_name_ctx *names;
    int ran;
    int threads;                /* sib_resolver_set_threads, 1 by default */
    size_t npersons;
    char (*keys)[19];           /* per person; "" when unresolved */
    int64_t *first;             /* per person: first record */
    review_entry *rev;
    size_t nrev, caprev;
};

/* A value -> list-of-int32 index: map to a bucket, buckets in CSR form. */
typedef struct block_index {
    sib_i64map *map;
    int32_t *off;               /* nb + 1 */
    int32_t *items;
    int32_t nb;
} block_index;

/* What the candidate search needs of a person without touching its
 * records: 64-bit signatures of its names and employers (sig_bits: two
 * bits per value, a Bloom filter; a missing bit proves the value absent).
 * Per person. */
typedef struct bsig {
    uint64_t names, units;
} bsig;

/* Working state of one run. */
typedef struct run_state {
    sib_resolver *r;
    const sib_person_source *src;
    size_t n;
    int32_t *prov;              /* provisional person of a record, -1 */
    size_t nkp;                 /* keyed persons, numbered by birth date (renumber_by_birth) */
    char (*pkeys)[19];
    int32_t *poff, *precs;      /* person -> its keyed records */
    const char **norm;          /* normalised name per keyed record, NULL for the others */
    sib_i64map *keymap;         /* key (first 17 digits) -> person */
    block_index birth, names;
    bsig *bsigs;                /* per keyed person */
    uint64_t *name_sig;         /* per item of the name blocks: name_sig() of its person */
    double prior;               /* log2(number of keyed persons) */
    double name_inexact_w;      /* best name weight short of exact (>= 0) */
    sib_arena *arenas[SIB_PAR_MAX];     /* normalised names, one arena a thread (r->threads) */
    /* the forms of the candidates' names, shared by the link phase's
     * threads (each distinct name through ICU once) */
    pthread_mutex_t forms_lock;
    sib_i64map *formmap;        /* hash of a normalised name -> its entry in forms */
    char **forms;               /* per distinct name: "name\0simplified\0pinyin" */
    size_t nforms, capforms;
    sib_arena *forms_arena;
} run_state;

/* What one thread of the link phase owns; everything else it reads from
 * the run_state, which no thread changes then (but prov[] of the records
 * it resolves). */
typedef struct worker {
    run_state *s;
    sib_name_ctx *names;        /* its transliterators (ICU's are not thread-safe) */
    int32_t *seen;              /* per person: the last record (query) that scored it */
    review_entry *rev;          /* its review entries, in record order */
    size_t nrev, caprev;
    _Atomic size_t *next;       /* the next chunk of records to claim */
    sib_resolution *out;
    int rc;
} worker;

/* A query: one unkeyed record, its forms computed once. */
typedef struct query {
    size_t rec;
    char norm[NAME_CAP], simp[NAME_CAP], pin[NAME_CAP];
    int has_forms;              /* 0 not yet computed, 1 ok, -1 ICU failed */
    char fid[40];               /* folded broken ID, "" when none */
    uint64_t fid_hist;          /* id_hist(fid) */
    char birth[12];             /* YYYYMMDD or "" */
    char town[10];
    int64_t unit;               /* employer, 0 when none */
    uint64_t name_bits, unit_bits;  /* signature bits of norm and unit (0 when none) */
    int gender;                 /* 1, 2 or 0 */
    double tf_name;             /* share of persons with this name (>= 1/N) */
    int32_t best, second_p;
    double best_s, second_s;
    uint8_t best_lv[SIB_EV_NFIELDS];
} query;

/* 1 when raw is certainly its own normalised form (so no ICU call): ASCII
 * printable without blanks or lower case, and CJK unified ideographs
 * (lead bytes E4..E9). */
static int name_is_plain(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            if (*p <= ' ' || *p == 0x7f || (*p >= 'a' && *p <= 'z'))
                return 0;
            p++;
        } else if (*p >= 0xE4 && *p <= 0xE9 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            p += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Record i, read from the caller's rows. */
static sib_person_rec rec_at(const run_state *s, size_t i)
{
    sib_person_rec r;
    s->src->get(s->src->ud, i, &r);
    return r;
}

/* Normalised form of a raw name (NULL: ""): raw itself when plain, else
 * a copy in arena; NULL when out of memory. */
static const char *norm_name(const char *raw, sib_arena *arena)
{
    if (raw == NULL || name_is_plain(raw))
        return raw ? raw : "";
    char buf[NAME_CAP];
    sib_name_normalize(raw, buf, sizeof buf);
    return sib_arena_strndup(arena, buf, strlen(buf));
}

/* Normalised name of keyed record i (computed in the keys phase). */
static const char *rec_norm(const run_state *s, size_t i)
{
    return s->norm[i];
}

/* The cached forms of nm (hash h): "simplified\0pinyin\0", NULL when not
 * cached; *slot gets its entry in the map (-1: none). Under forms_lock. */
static const char *forms_find(const run_state *s, const char *nm, size_t ln, int64_t h, int32_t *slot)
{
    int32_t k = sib_i64map_get(s->formmap, h);
    *slot = k;
    return k >= 0 && strcmp(s->forms[k], nm) == 0 ? s->forms[k] + ln + 1 : NULL;
}

/* "simplified\0pinyin\0" of a normalised name (a candidate's or the
 * query's own); NULL when ICU failed or memory ran out (the levels that
 * need the forms are then skipped). The forms are computed once per
 * distinct name (most names recur, and the ICU transliterations are the
 * costly part of a comparison: ICU also serialises them across threads) and
 * found again through the small map of distinct names, not through an
 * array per record: that array's pages were mostly touched once each, and
 * a fresh page costs more than the hash (docs/performance-log.md). The map
 * is shared by the threads; ICU runs outside its lock, with the thread's
 * own transliterators. Under a hash collision with another name the forms
 * are computed into tmp. */
static const char *name_forms(worker *w, const char *nm, char tmp[3 * NAME_CAP])
{
    run_state *s = w->s;
    size_t ln = strlen(nm);
    int64_t h = (int64_t)sib_fnv1a(nm, ln);
    int32_t k;
    pthread_mutex_lock(&s->forms_lock);
    const char *f = forms_find(s, nm, ln, h, &k);
    pthread_mutex_unlock(&s->forms_lock);
    if (f)
        return f;
    char sb[NAME_CAP], pb[NAME_CAP];
    if (sib_name_simplify(w->names, nm, sb, sizeof sb) != SIB_OK ||
        sib_name_pinyin(w->names, sb, pb, sizeof pb) != SIB_OK)
        return NULL;
    size_t ls = strlen(sb), lp = strlen(pb);
    pthread_mutex_lock(&s->forms_lock);
    if ((f = forms_find(s, nm, ln, h, &k)) != NULL)     /* another thread was first */
        goto out;
    char *c = k < 0 ? sib_arena_alloc(s->forms_arena, ln + ls + lp + 3) : tmp;
    if (c == NULL)
        goto out;
    memcpy(c, nm, ln + 1);
    memcpy(c + ln + 1, sb, ls + 1);
    memcpy(c + ln + ls + 2, pb, lp + 1);
    if (k < 0) {
        if (s->nforms == s->capforms) {
            size_t cap = s->capforms ? 2 * s->capforms : 4096;
            char **nf = realloc(s->forms, cap * sizeof *nf);
            if (nf == NULL)
                goto out;
            s->forms = nf;
            s->capforms = cap;
        }
        if (sib_i64map_put(s->formmap, h, (int32_t)s->nforms) != SIB_OK)
            goto out;
        s->forms[s->nforms++] = c;
    }
    f = c + ln + 1;
out:
    pthread_mutex_unlock(&s->forms_lock);
    return f;
}

/* Builds a block index over n (key, item) pairs. */
static int block_build(block_index *b, const int64_t *keys, const int32_t *items, size_t n)
{
    int32_t *bucket = sib_malloc_huge(n * sizeof *bucket);
    b->map = sib_i64map_new(n / 4 + 16);
    b->nb = 0;
    b->off = NULL;
    b->items = NULL;
    if (bucket == NULL || b->map == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        if (i + 8 < n)
            sib_i64map_prefetch(b->map, keys[i + 8]);
        int32_t k = sib_i64map_get(b->map, keys[i]);
        if (k < 0) {
            k = b->nb++;
            if (sib_i64map_put(b->map, keys[i], k) != SIB_OK)
                goto fail;
        }
        bucket[i] = k;
    }
    b->off = sib_calloc_huge((size_t)b->nb + 1, sizeof *b->off);
    b->items = sib_malloc_huge(n * sizeof *b->items);
    if (b->off == NULL || b->items == NULL)
        goto fail;
    for (size_t i = 0; i < n; i++)
        b->off[bucket[i] + 1]++;
    for (int32_t k = 0; k < b->nb; k++)
        b->off[k + 1] += b->off[k];
    for (size_t i = 0; i < n; i++)
        b->items[b->off[bucket[i]]++] = items[i];
    for (int32_t k = b->nb; k > 0; k--)    /* restore the starts */
        b->off[k] = b->off[k - 1];
    b->off[0] = 0;
    free(bucket);
    return SIB_OK;
fail:
    free(bucket);
    return SIB_ERR;
}

static void block_free(block_index *b)
{
    sib_i64map_free(b->map);
    free(b->off);
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* The bucket of key: *items and its size (0 when absent). */
static int32_t block_get(const block_index *b, int64_t key, const int32_t **items)
{
    int32_t k = sib_i64map_get(b->map, key);
    if (k < 0) {
        *items = NULL;
        return 0;
    }
    *items = b->items + b->off[k];
    return b->off[k + 1] - b->off[k];
}

/* Key (18 chars, valid) -> int64 of its first 17 digits. */
static int64_t key64(const char *key)
{
    int64_t v = 0;
    for (int i = 0; i < 17; i++)
        v = v * 10 + (key[i] - '0');
    return v;
}

/* The provisional person of the valid key whose first 17 digits are k64:
 * found, or added as the next one. -1 when out of memory. */
static int32_t keyed_person(run_state *s, int64_t k64, size_t *capkp)
{
    int32_t p = sib_i64map_get(s->keymap, k64);
    if (p >= 0)
        return p;
    if (s->nkp == *capkp) {
        char (*nk)[19] = realloc(s->pkeys, *capkp * 2 * sizeof *nk);
        if (nk == NULL)
            return -1;
        s->pkeys = nk;
        *capkp *= 2;
    }
    p = (int32_t)s->nkp++;
    char *key = s->pkeys[p];
    int64_t v = k64;
    for (int i = 16; i >= 0; i--, v /= 10)
        key[i] = (char)('0' + v % 10);
    key[17] = sib_idnum_check_char(key);
    key[18] = '\0';
    return sib_i64map_put(s->keymap, k64, p) == SIB_OK ? p : -1;
}

/* person -> its keyed records (poff, precs: CSR over prov). */
static void person_records(run_state *s)
{
    memset(s->poff, 0, (s->nkp + 1) * sizeof *s->poff);
    for (size_t i = 0; i < s->n; i++)
        if (s->prov[i] >= 0)
            s->poff[s->prov[i] + 1]++;
    for (size_t p = 0; p < s->nkp; p++)
        s->poff[p + 1] += s->poff[p];
    for (size_t i = 0; i < s->n; i++)
        if (s->prov[i] >= 0)
            s->precs[s->poff[s->prov[i]]++] = (int32_t)i;
    for (size_t p = s->nkp; p > 0; p--)
        s->poff[p] = s->poff[p - 1];
    s->poff[0] = 0;
}

/* Numbers the keyed persons by birth date (then first appearance) and
 * builds the birth-date blocks: a block is then a run of consecutive
 * persons, and its scan reads the per-person arrays in order. Renumbers
 * everything indexed by person so far: pkeys and bsigs (into new arrays:
 * a scatter with independent writes, several times faster than following
 * the permutation's cycles in place), prov, poff and precs, the name
 * blocks' items and the key map. */
static int renumber_by_birth(run_state *s)
{
    size_t n = s->nkp;
    int64_t *bk = sib_malloc_huge(n * sizeof *bk);
    int32_t *to = sib_malloc_huge(n * sizeof *to);
    char (*keys)[19] = NULL;
    bsig *sigs = NULL;
    int rc = SIB_ERR;
    if (!bk || !to)
        goto done;
    for (size_t p = 0; p < n; p++) {
        bk[p] = sib_idnum_birth(s->pkeys[p]);
        to[p] = (int32_t)p;
    }
    if (block_build(&s->birth, bk, to, n) != SIB_OK)
        goto done;
    free(bk);
    bk = NULL;
    for (size_t k = 0; k < n; k++) {
        to[s->birth.items[k]] = (int32_t)k;
        s->birth.items[k] = (int32_t)k;
    }
    /* one array at a time: the run's memory peaks near here */
    if ((keys = sib_malloc_huge(n * sizeof *keys)) == NULL)
        goto done;
    for (size_t p = 0; p < n; p++)
        memcpy(keys[to[p]], s->pkeys[p], sizeof *keys);
    free(s->pkeys);
    s->pkeys = keys;
    keys = NULL;
    if ((sigs = sib_malloc_huge(n * sizeof *sigs)) == NULL)
        goto done;
    for (size_t p = 0; p < n; p++)
        sigs[to[p]] = s->bsigs[p];
    free(s->bsigs);
    s->bsigs = sigs;
    sigs = NULL;
    for (size_t i = 0; i < s->n; i++)
        if (s->prov[i] >= 0)
            s->prov[i] = to[s->prov[i]];
    for (int32_t k = 0; k < s->names.off[s->names.nb]; k++)
        s->names.items[k] = to[s->names.items[k]];
    person_records(s);
    sib_i64map_remap(s->keymap, to);
    rc = SIB_OK;
done:
    free(bk);
    free(to);
    free(keys);
    free(sigs);
    return rc;
}

/* Gender code of a raw value: 1, 2 or 0 (unknown). */
static int parse_gender(const char *g)
{
    if (g == NULL)
        return 0;
    while (*g == ' ')
        g++;
    if (*g == '1' || *g == 'M' || *g == 'm' || strncmp(g, "男", 3) == 0)
        return 1;
    if (*g == '2' || *g == 'F' || *g == 'f' || strncmp(g, "女", 3) == 0)
        return 2;
    return 0;
}

/* 9-digit town of a raw code into out ("" when not 9 or 12 digits). */
static void town9(const char *raw, char out[10])
{
    char f[24];
    out[0] = '\0';
    if (raw == NULL)
        return;
    size_t n = sib_idnum_fold(raw, f, sizeof f);
    if (n != 9 && !(n == 12 && strcmp(f + 9, "000") == 0))
        return;
    for (int i = 0; i < 9; i++)
        if (f[i] < '0' || f[i] > '9')
            return;
    memcpy(out, f, 9);
    out[9] = '\0';
}

/* The ID field's last level, "different": more than two edits apart
 * (sib_match_compare, SIB_CMP_IDNUM). */
#define ID_LEVEL_FAR 4

/* The two bits of a 64-bit signature for a value's hash. Two bits rather
 * than one: a person with one name shows a name it does not have 1 time in
 * 1,000 instead of 1 in 64, and every false show costs a scoring that reads
 * the person's records. */
static uint64_t sig_bits(uint64_t h)
{
    h *= 0x9E3779B97F4A7C15ULL;
    return 1ULL << (h >> 58) | 1ULL << ((h >> 52) & 63);
}

/* 1 when the signature may hold the value of these bits (0 bits: no value). */
static int sig_holds(uint64_t sig, uint64_t bits)
{
    return bits && (sig & bits) == bits;
}

/* What the name-block scan reads of a person, in one word laid out in
 * block order: its employer signature folded to 15 bits (bits 48..62) and
 * the character histogram of its key (digits, X, anything else: 12 classes
 * of 4 bits). NSIG_NOHIST: a count exceeds 15, no bound is claimed. Half
 * the L1 distance of two histograms is a lower bound of the edit distance
 * (a substitution moves 2, an insertion or deletion 1, a transposition 0). */
#define NSIG_NOHIST (1ULL << 63)

static uint64_t fold15(uint64_t sig)
{
    uint64_t f = 0;
    for (; sig; sig &= sig - 1)
        f |= 1ULL << (__builtin_ctzll(sig) % 15);
    return f << 48;
}

static uint64_t id_hist(const char *id)
{
    int h[12] = {0};
    uint64_t v = 0;
    for (; *id; id++)
        h[*id >= '0' && *id <= '9' ? *id - '0' : *id == 'X' ? 10 : 11]++;
    for (int c = 0; c < 12; c++) {
        if (h[c] > 15)
            return NSIG_NOHIST;
        v |= (uint64_t)h[c] << (4 * c);
    }
    return v;
}

static uint64_t name_sig(const bsig *g, const char *key)
{
    return fold15(g->units) | id_hist(key);
}

/* Edit distance of two IDs, or of two stretches of them, > 2 (ID_LEVEL_FAR),
 * proven by their histograms. */
static int id_far(uint64_t qh, uint64_t sig)
{
    if ((qh | sig) & NSIG_NOHIST)
        return 0;
    int d = 0;
    for (int c = 0; c < 12; c++)
        d += abs((int)((qh >> (4 * c)) & 15) - (int)((sig >> (4 * c)) & 15));
    return d > 4;
}

/* Computes the simplified and pinyin forms of the query on first need;
 * returns 1, or -1 when ICU failed (those levels are then skipped). */
static int query_forms(worker *w, query *q)
{
    if (q->has_forms == 0) {
        char tmp[3 * NAME_CAP];
        const char *f = name_forms(w, q->norm, tmp);
        q->has_forms = -1;
        if (f && strlen(f) < sizeof q->simp && strlen(f + strlen(f) + 1) < sizeof q->pin) {
            strcpy(q->simp, f);
            strcpy(q->pin, f + strlen(f) + 1);
            q->has_forms = 1;
        }
    }
    return q->has_forms;
}

/* Scores keyed person p for query q and keeps the best two. */
static void score_person(worker *w, query *q, int32_t p)
{
    const run_state *s = w->s;
    const sib_match_model *m = s->r->model;
    uint8_t lv[SIB_EV_NFIELDS] = {0};
    const char *key = s->pkeys[p];
    char kb[9];

    memcpy(kb, key + 6, 8);
    kb[8] = '\0';
    if (q->birth[0])
        lv[SIB_EV_BIRTH] = (uint8_t)sib_match_compare(m, SIB_EV_BIRTH, q->birth, kb, NULL);
    if (q->gender)
        lv[SIB_EV_GENDER] = q->gender == sib_idnum_gender(key) ? 1 : 2;
    if (q->fid[0])      /* most keys are proven far by their characters alone */
        lv[SIB_EV_ID] = id_far(q->fid_hist, id_hist(key))
                            ? ID_LEVEL_FAR : (uint8_t)sib_match_compare(m, SIB_EV_ID, q->fid, key, NULL);
    /* upper bound from the key alone: if even agreeing town, employer and an
     * exact name cannot reach review, the person's records are not read */
    {
        double ub = sib_match_weight(m, lv) - s->prior, mm, uu;
        if (lv[SIB_EV_BIRTH] == 1) {
            const int32_t *bit;
            int32_t bc = block_get(&s->birth, sib_idnum_birth(key), &bit);
            sib_match_get(m, SIB_EV_BIRTH, 1, &mm, &uu);
            ub += log2(uu / ((bc > 0 ? bc : 1) / (double)s->nkp));
        }
        /* the signatures prove a name or employer absent: then no exact agreement */
        const bsig *g = &s->bsigs[p];
        if (q->town[0])
            ub += sib_match_level_weight(m, SIB_EV_TOWN, 1);
        if (sig_holds(g->units, q->unit_bits))
            ub += sib_match_level_weight(m, SIB_EV_UNIT, 1);
        if (sig_holds(g->names, q->name_bits)) {
            sib_match_get(m, SIB_EV_NAME, 1, &mm, &uu);
            ub += log2(mm / q->tf_name);
        } else if (q->norm[0]) {
            ub += s->name_inexact_w;
        }
        if (ub < s->r->floor)
            return;
    }
    for (int32_t j = s->poff[p]; j < s->poff[p + 1]; j++) {
        sib_person_rec c = rec_at(s, (size_t)s->precs[j]);
        if (q->town[0] && c.town_code && lv[SIB_EV_TOWN] != 1) {
            char t[10];
            town9(c.town_code, t);
            if (t[0])
                lv[SIB_EV_TOWN] = strcmp(t, q->town) == 0 ? 1 : 2;
        }
        if (q->unit && c.unit_id && lv[SIB_EV_UNIT] != 1)
            lv[SIB_EV_UNIT] = c.unit_id == q->unit ? 1 : 2;
    }
    double wt = sib_match_weight(m, lv) - s->prior;
    if (lv[SIB_EV_BIRTH] == 1) {
        const int32_t *it;
        int32_t cnt = block_get(&s->birth, atoi(kb), &it);
        double mm, uu;
        sib_match_get(m, SIB_EV_BIRTH, 1, &mm, &uu);
        wt += log2(uu / ((cnt > 0 ? cnt : 1) / (double)s->nkp));
    }
    /* the name: best level over the person's records */
    int name_lv = 0;
    if (q->norm[0]) {
        double mm, uu, bound;
        sib_match_get(m, SIB_EV_NAME, 1, &mm, &uu);
        bound = wt + sib_match_level_weight(m, SIB_EV_NAME, SIB_NAME_SIMPLIFIED);
        for (int32_t j = s->poff[p]; j < s->poff[p + 1]; j++) {
            size_t ri = (size_t)s->precs[j];
            const char *cn = rec_norm(s, ri);
            int l;
            if (!*cn)
                continue;
            if (strcmp(cn, q->norm) == 0) {
                l = SIB_NAME_EXACT;
            } else if (bound < s->r->floor || query_forms(w, q) < 0) {
                l = (int)sib_name_level_of(q->norm, NULL, NULL, cn, NULL, NULL);
            } else {
                char tmp[3 * NAME_CAP];
                const char *cs = name_forms(w, cn, tmp);
                l = cs ? (int)sib_name_level_of(q->norm, q->simp, q->pin, cn, cs, cs + strlen(cs) + 1)
                       : (int)sib_name_level_of(q->norm, NULL, NULL, cn, NULL, NULL);
            }
            if (name_lv == 0 || l < name_lv)
                name_lv = l;
            if (name_lv == SIB_NAME_EXACT)
                break;
        }
        lv[SIB_EV_NAME] = (uint8_t)name_lv;
        wt += sib_match_level_weight(m, SIB_EV_NAME, name_lv);
        if (name_lv == SIB_NAME_EXACT)
            wt += log2(uu / q->tf_name);
    }
    if (q->best < 0 || wt > q->best_s) {
        q->second_p = q->best;
        q->second_s = q->best_s;
        q->best = p;
        q->best_s = wt;
        memcpy(q->best_lv, lv, sizeof lv);
    } else if (q->second_p < 0 || wt > q->second_s) {
        q->second_p = p;
        q->second_s = wt;
    }
}

/* 1 when a key and an 18-character folded ID are at most two edits apart
 * (the ID field's levels short of "different"), among keys that differ
 * from it in at most 4 of the first 17 characters. A common prefix and
 * suffix change no edit distance, so only what lies between the first and
 * the last difference counts: in a birth-date block that is mostly the
 * three sequence digits and the check character. The stretches' character
 * counts (id_far) settle most of them before the edit distance. */
static int key_within_two(const char *key, const char *fid)
{
    int f = -1, l = -1, h17 = 0;
    for (int i = 0; i < 18; i++)
        if (key[i] != fid[i]) {
            if (f < 0)
                f = i;
            l = i;
            h17 += i < 17;
        }
    if (h17 > 4)
        return 0;
    if (f < 0 || l - f < 2)     /* two differing characters at most */
        return 1;
    char a[19], b[19];
    memcpy(a, key + f, (size_t)(l - f + 1));
    memcpy(b, fid + f, (size_t)(l - f + 1));
    a[l - f + 1] = b[l - f + 1] = '\0';
    return !id_far(id_hist(a), id_hist(b)) && sib_name_edit_distance(a, b, 2) <= 2;
}

/* Scores p unless this query has seen it already. */
static void consider(worker *w, query *q, int32_t p)
{
    if (p < 0 || w->seen[p] == (int32_t)q->rec)
        return;
    w->seen[p] = (int32_t)q->rec;
    score_person(w, q, p);
}

/* Scans the birth-date block of the query. A person is scored only when it
 * can reach the review threshold: its name or employer signature holds the
 * query's, its key is within two edits of the broken ID (key_within_two),
 * or the best weight possible without those (birth exact, gender, town, a
 * simplified name, an ID more than two edits away) reaches review. */
static void scan_birth(worker *w, query *q, int bd)
{
    const run_state *s = w->s;
    const sib_match_model *m = s->r->model;
    const int32_t *it;
    int32_t cnt = block_get(&s->birth, bd, &it);
    if (cnt == 0)
        return;
    double mm, uu;
    sib_match_get(m, SIB_EV_BIRTH, 1, &mm, &uu);
    double bound = log2(mm / ((double)cnt / (double)s->nkp)) - s->prior +
                   sib_match_level_weight(m, SIB_EV_GENDER, 1) + sib_match_level_weight(m, SIB_EV_TOWN, 1) +
                   sib_match_level_weight(m, SIB_EV_NAME, SIB_NAME_SIMPLIFIED);
    int fid18 = strlen(q->fid) == 18;
    if (fid18)
        bound += sib_match_level_weight(m, SIB_EV_ID, ID_LEVEL_FAR);
    int all = bound >= s->r->floor;
    /* the block's persons are consecutive (renumber_by_birth): in order */
    for (int32_t k = 0; k < cnt; k++) {
        const bsig *g = &s->bsigs[it[k]];
        if (all || sig_holds(g->names, q->name_bits) || sig_holds(g->units, q->unit_bits) ||
            (fid18 && key_within_two(s->pkeys[it[k]], q->fid)))
            consider(w, q, it[k]);
    }
}

/* The keys one edit away from a broken ID that exist as strings (17 digits
 * and the right check character), gathered before any is looked up: their
 * map slots are fetched together instead of one cache miss after another. */
enum { ID_VARIANTS_MAX = 192 };     /* 17 x 9 + 1 + 17, 17 x 10 + 11, 19 */
typedef struct key_batch {
    int n;
    int64_t k[ID_VARIANTS_MAX];
} key_batch;

static void try_key(const run_state *s, key_batch *b, const char *k18)
{
    for (int i = 0; i < 17; i++)
        if (k18[i] < '0' || k18[i] > '9')
            return;
    if (sib_idnum_check_char(k18) != k18[17] || b->n == ID_VARIANTS_MAX)
        return;
    b->k[b->n] = key64(k18);
    sib_i64map_prefetch(s->keymap, b->k[b->n++]);
}

/* Keys one edit away from the folded broken ID (see resolve.h), in the
 * order generated. */
static void id_neighbours(worker *w, query *q)
{
    const run_state *s = w->s;
    const char *f = q->fid;
    size_t n = strlen(f);
    char v[20];
    key_batch b;

    b.n = 0;
    if (n == 18) {
        for (int i = 0; i < 18; i++) {
            memcpy(v, f, 19);
            if (i == 17) {
                char c = sib_idnum_check_char(v);
                v[17] = c ? c : 'Z';
            } else {
                /* of the nine other digits, only this one can pass the check */
                char d = sib_idnum_check_digit_at(f, i);
                if (d == 0 || d == f[i])
                    continue;
                v[i] = d;
            }
            try_key(s, &b, v);
        }
        for (int i = 0; i < 17; i++) {
            memcpy(v, f, 19);
            char t = v[i];
            v[i] = v[i + 1];
            v[i + 1] = t;
            try_key(s, &b, v);
        }
    } else if (n == 17) {
        for (int i = 0; i <= 17; i++) {
            for (char d = '0'; d <= '9' + 1; d++) {
                char c = d > '9' ? 'X' : d;
                if (c == 'X' && i != 17)
                    continue;
                memcpy(v, f, (size_t)i);
                v[i] = c;
                memcpy(v + i + 1, f + i, 17 - (size_t)i);
                v[18] = '\0';
                try_key(s, &b, v);
            }
        }
    } else if (n == 19) {
        for (int i = 0; i < 19; i++) {
            memcpy(v, f, (size_t)i);
            memcpy(v + i, f + i + 1, 19 - (size_t)i);
            try_key(s, &b, v);
        }
    }
    for (int j = 0; j < b.n; j++)
        consider(w, q, sib_i64map_get(s->keymap, b.k[j]));
}

/* Best weight among a field's levels from `from` on. */
static double best_level_weight(const sib_match_model *m, size_t f, int from)
{
    int n = sib_match_kind_levels(resolver_fields[f].kind);
    double best = -1e9;
    for (int l = from; l < n; l++) {
        double w = sib_match_level_weight(m, f, l);
        if (w > best)
            best = w;
    }
    return best;
}

/* Scans the exact-name block. A person found only there was not met by the
 * birth-date scan (so its birth date is not the query's) nor by the one-edit
 * ID lookup, which bounds its birth and ID levels; everything else is taken
 * at its best. Common names weigh little, so for them the (large) block is
 * skipped as a whole, and within a block a person is skipped when its
 * employer signature or its key's characters prove the best weight out of
 * reach — neither changes any result, and both keep resolution from growing
 * with the square of the population. */
static void scan_name(worker *w, query *q, int bd)
{
    const run_state *s = w->s;
    const sib_match_model *m = s->r->model;
    double mm, uu;
    sib_match_get(m, SIB_EV_NAME, 1, &mm, &uu);
    double base = sib_match_level_weight(m, SIB_EV_NAME, SIB_NAME_EXACT) + log2(uu / q->tf_name) - s->prior;
    base += bd > 0 ? best_level_weight(m, SIB_EV_BIRTH, 2) : best_level_weight(m, SIB_EV_BIRTH, 0);
    base += best_level_weight(m, SIB_EV_GENDER, 0) + best_level_weight(m, SIB_EV_TOWN, 0);
    double unit_w = q->unit ? best_level_weight(m, SIB_EV_UNIT, 0) : 0.0;
    double id_best = 0.0, id_far_w = 0.0;
    uint64_t qh = 0;
    if (q->fid[0]) {
        size_t n = strlen(q->fid);
        id_best = best_level_weight(m, SIB_EV_ID, n >= 17 && n <= 19 ? 3 : 1);
        id_far_w = sib_match_level_weight(m, SIB_EV_ID, ID_LEVEL_FAR);
        qh = q->fid_hist;
    }
    const double floor = s->r->floor;
    if (base + unit_w + id_best < floor)
        return;
    const int32_t *it;
    int32_t cnt = block_get(&s->names, (int64_t)sib_fnv1a_str(q->norm), &it);
    if (cnt == 0)
        return;
    const uint64_t *sig = s->name_sig + (it - s->names.items);     /* read in order */
    uint64_t unit_bits = fold15(q->unit_bits);
    for (int32_t k = 0; k < cnt; k++) {
        double ub = base + (sig_holds(sig[k], unit_bits) ? unit_w : 0.0);
        if (ub + id_best < floor)
            continue;
        if (ub + id_far_w < floor && id_far(qh, sig[k]))
            continue;
        consider(w, q, it[k]);
    }
}

/* Resolves one unkeyed record: sets out and s->prov[i] (probable person). */
static int resolve_one(worker *w, size_t i, sib_resolution *out)
{
    run_state *s = w->s;
    const sib_resolver *r = s->r;
    sib_person_rec rec0 = rec_at(s, i);
    const sib_person_rec *rec = &rec0;
    query q;
    const int32_t *it;
    int32_t cnt;

    memset(&q, 0, sizeof q);
    q.rec = i;
    q.best = q.second_p = -1;
    sib_name_normalize(rec->name, q.norm, sizeof q.norm);
    if (q.norm[0]) {
        cnt = block_get(&s->names, (int64_t)sib_fnv1a_str(q.norm), &it);
        q.tf_name = (cnt > 0 ? cnt : 1) / (double)s->nkp;
    }
    size_t ncp = sib_idnum_fold(rec->id_number, q.fid, sizeof q.fid);
    if (ncp != strlen(q.fid) || ncp < 8)
        q.fid[0] = '\0';                /* non-ASCII or too short to compare */
    q.fid_hist = id_hist(q.fid);
    int bd = sib_date_valid(rec->birth_date) ? rec->birth_date : 0;    /* -infinity, BC: unknown */
    if (bd <= 0 && strlen(q.fid) == 18) {
        int v = atoi((char[9]){q.fid[6], q.fid[7], q.fid[8], q.fid[9], q.fid[10], q.fid[11],
                               q.fid[12], q.fid[13], 0});
        if (sib_idnum_date_exists(v))
            bd = v;
    }
    if (bd > 0 && bd <= 99991231)
        snprintf(q.birth, sizeof q.birth, "%08d", bd);
    else
        bd = 0;
    q.gender = parse_gender(rec->gender);
    q.unit = rec->unit_id;
    q.name_bits = q.norm[0] ? sig_bits(sib_fnv1a_str(q.norm)) : 0;
    q.unit_bits = q.unit ? sig_bits((uint64_t)q.unit) : 0;
    town9(rec->town_code, q.town);

    if (q.fid[0])
        id_neighbours(w, &q);
    if (bd > 0)
        scan_birth(w, &q, bd);
    if (q.norm[0])
        scan_name(w, &q, bd);

    out->kind = SIB_LINK_UNRESOLVED;
    out->score = 0;
    out->evidence = 0;
    s->prov[i] = -1;
    if (q.best < 0 || q.best_s < r->review)
        return SIB_OK;
    out->score = (float)q.best_s;
    out->evidence = sib_match_evidence(r->model, q.best_lv);
    int clear = q.second_p < 0 || q.second_s < q.best_s - SIB_RESOLVE_MARGIN;
    if (q.best_s >= r->auto_link && clear) {
        out->kind = SIB_LINK_PROBABLE;
        s->prov[i] = q.best;
        return SIB_OK;
    }
    if (w->nrev == w->caprev) {
        size_t nc = w->caprev ? w->caprev * 2 : 256;
        review_entry *nr = realloc(w->rev, nc * sizeof *nr);
        if (nr == NULL)
            return SIB_ERR;
        w->rev = nr;
        w->caprev = nc;
    }
    w->rev[w->nrev++] = (review_entry){.rec = i, .cand = q.best, .score = (float)q.best_s,
                                       .evidence = out->evidence};
    return SIB_OK;
}

sib_resolver *sib_resolver_new(int as_of, double auto_link, double review, sib_error *err)
{
    sib_resolver *r = calloc(1, sizeof *r);
    if (r == NULL) {
        sib_error_set(err, "resolve: out of memory");
        return NULL;
    }
    r->as_of = as_of;
    r->threads = 1;
    r->auto_link = auto_link;
    r->review = review;
    r->floor = review < auto_link - SIB_RESOLVE_MARGIN ? review : auto_link - SIB_RESOLVE_MARGIN;
    r->model = sib_match_model_new(resolver_fields, SIB_EV_NFIELDS, err);
    if (r->model == NULL)
        goto fail;
    r->names = sib_name_ctx_new(err);
    if (r->names == NULL)
        goto fail;
    return r;
fail:
    sib_resolver_free(r);
    return NULL;
}

/* Frees what the search for candidates needs (all but the provisional
 * persons and their keys), before the final numbering allocates its own. */
static void run_free_search(run_state *s)
{
    free(s->poff);
    free(s->precs);
    free(s->norm);
    free(s->bsigs);
    free(s->name_sig);
    sib_i64map_free(s->keymap);
    block_free(&s->birth);
    block_free(&s->names);
    for (int t = 0; t < s->r->threads; t++) {
        sib_arena_free(s->arenas[t]);
        s->arenas[t] = NULL;
    }
    sib_i64map_free(s->formmap);
    free(s->forms);
    sib_arena_free(s->forms_arena);
    s->formmap = NULL;
    s->forms = NULL;
    s->forms_arena = NULL;
    s->poff = s->precs = NULL;
    s->norm = NULL;
    s->bsigs = NULL;
    s->name_sig = NULL;
    s->keymap = NULL;
}

/* Frees the working state. */
static void run_free(run_state *s)
{
    run_free_search(s);
    free(s->prov);
    free(s->pkeys);
    pthread_mutex_destroy(&s->forms_lock);
}

static void array_get(const void *ud, size_t i, sib_person_rec *out)
{
    *out = ((const sib_person_rec *)ud)[i];
}

void sib_resolver_set_threads(sib_resolver *r, int threads)
{
    r->threads = threads < 1 ? 1 : threads > SIB_PAR_MAX ? SIB_PAR_MAX : threads;
}

int sib_resolver_run(sib_resolver *r, const sib_person_rec *recs, size_t n, sib_resolution *out, sib_error *err)
{
    sib_person_source src = { n, array_get, recs };
    return sib_resolver_run_source(r, &src, out, err);
}

/* 1. Every record's ID and, for a valid one, its key (as key64, else -1)
 * and normalised name. */
typedef struct keys_job {
    run_state *s;
    sib_resolution *out;
    int64_t *k64;
    int oom[SIB_PAR_MAX];
} keys_job;

static void keys_part(void *ud, int t, int nt)
{
    keys_job *j = ud;
    run_state *s = j->s;
    size_t lo, hi;
    sib_par_range(s->n, t, nt, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        sib_person_rec ri = rec_at(s, i);
        sib_resolution *o = &j->out[i];
        char key[19];
        int canon = 0;
        sib_id_status st = sib_idnum_normalize(ri.id_number, s->r->as_of, ri.birth_date, key, &canon);
        o->id_status = (uint8_t)st;
        o->score = 0;
        o->evidence = 0;
        s->prov[i] = -1;
        s->norm[i] = NULL;
        j->k64[i] = -1;
        if (st != SIB_ID_VALID) {
            o->kind = SIB_LINK_UNRESOLVED;
            continue;
        }
        o->kind = canon ? SIB_LINK_EXACT : SIB_LINK_NORMALIZED;
        j->k64[i] = key64(key);
        if ((s->norm[i] = norm_name(ri.name, s->arenas[t])) == NULL)
            j->oom[t] = 1;
    }
}

/* 2. The signatures of each person's names and employers. */
static void sigs_part(void *ud, int t, int nt)
{
    run_state *s = ud;
    size_t lo, hi;
    sib_par_range(s->nkp, t, nt, &lo, &hi);
    for (size_t p = lo; p < hi; p++) {
        bsig *g = &s->bsigs[p];
        g->names = g->units = 0;
        for (int32_t j = s->poff[p]; j < s->poff[p + 1]; j++) {
            int64_t unit = rec_at(s, (size_t)s->precs[j]).unit_id;
            g->names |= sig_bits(sib_fnv1a_str(rec_norm(s, (size_t)s->precs[j])));
            if (unit)
                g->units |= sig_bits((uint64_t)unit);
        }
    }
}

/* ... and what the name-block scan reads of each item, in block order. */
static void name_sig_part(void *ud, int t, int nt)
{
    run_state *s = ud;
    size_t lo, hi;
    sib_par_range((size_t)s->names.off[s->names.nb], t, nt, &lo, &hi);
    for (size_t k = lo; k < hi; k++) {     /* the items are persons in name order: fetch ahead */
        if (k + 8 < hi) {
            __builtin_prefetch(&s->bsigs[s->names.items[k + 8]]);
            __builtin_prefetch(s->pkeys[s->names.items[k + 8]]);
        }
        s->name_sig[k] = name_sig(&s->bsigs[s->names.items[k]], s->pkeys[s->names.items[k]]);
    }
}

/* 3. The records without a valid key, claimed by chunks of records
 * (about 64 chunks a thread, 64 to 4,096 records each). */
static size_t link_chunk(size_t n, int nt)
{
    size_t c = n / ((size_t)nt * 64);
    return c < 64 ? 64 : c > 4096 ? 4096 : c;
}

static void link_part(void *ud, int t, int nt)
{
    worker *w = (worker *)ud + t;
    run_state *s = w->s;
    memset(w->seen, 0xff, (s->nkp ? s->nkp : 1) * sizeof *w->seen);
    size_t chunk = link_chunk(s->n, nt);
    for (;;) {
        size_t lo = atomic_fetch_add(w->next, chunk);
        if (lo >= s->n)
            return;
        size_t hi = s->n - lo < chunk ? s->n : lo + chunk;
        for (size_t i = lo; i < hi; i++) {
            if (w->out[i].id_status == SIB_ID_VALID)
                continue;
            if (resolve_one(w, i, &w->out[i]) != SIB_OK) {
                w->rc = SIB_ERR;
                return;
            }
        }
    }
}

static int worker_init(worker *w, run_state *s, int t, _Atomic size_t *next, sib_resolution *out,
                       sib_error *err)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    w->next = next;
    w->out = out;
    w->rc = SIB_OK;
    w->names = t == 0 ? s->r->names : sib_name_ctx_new(err);
    if (w->names == NULL)
        return SIB_ERR;
    w->seen = sib_malloc_huge((s->nkp ? s->nkp : 1) * sizeof *w->seen);
    if (!w->seen)
        return sib_error_set(err, "resolve: out of memory");
    return SIB_OK;
}

static void worker_free(worker *w, int t)
{
    if (t > 0)
        sib_name_ctx_free(w->names);
    free(w->seen);
    free(w->rev);
    memset(w, 0, sizeof *w);
}

static int rev_by_rec(const void *a, const void *b)
{
    size_t x = ((const review_entry *)a)->rec, y = ((const review_entry *)b)->rec;
    return (x > y) - (x < y);
}

/* The link phase on the resolver's threads; the review entries gathered into r, in
 * record order. */
static int link_all(run_state *s, sib_resolution *out, sib_error *err)
{
    sib_resolver *r = s->r;
    int nt = r->threads;
    worker w[SIB_PAR_MAX];
    _Atomic size_t next = 0;
    int rc = SIB_OK, ready = 0;
    for (; ready < nt && rc == SIB_OK; ready++)
        rc = worker_init(&w[ready], s, ready, &next, out, err);
    if (rc == SIB_OK) {
        sib_par_run(nt, link_part, w);
        size_t nrev = 0, composed = 0, whole = 0, nreadings = 0;
        for (int t = 0; t < nt; t++) {
            if (w[t].rc != SIB_OK)
                rc = sib_error_set(err, "resolve: out of memory in the link phase");
            nrev += w[t].nrev;
            size_t c, wh, rd;
            sib_name_pinyin_stats(w[t].names, &c, &wh, &rd);
            composed += c;
            whole += wh;
            nreadings += rd;
        }
        sib_log_debug("resolve", "pinyin_composed=%zu pinyin_whole=%zu pinyin_readings=%zu", composed, whole,
                      nreadings);
        if (rc == SIB_OK && nrev > 0) {
            r->rev = malloc(nrev * sizeof *r->rev);
            if (r->rev == NULL)
                rc = sib_error_set(err, "resolve: out of memory");
            for (int t = 0; t < nt && r->rev; t++) {
                if (w[t].nrev)
                    memcpy(r->rev + r->nrev, w[t].rev, w[t].nrev * sizeof *r->rev);
                r->nrev += w[t].nrev;
            }
            if (r->rev)
                qsort(r->rev, r->nrev, sizeof *r->rev, rev_by_rec);
        }
    }
    for (int t = 0; t < ready; t++)
        worker_free(&w[t], t);
    return rc;
}

int sib_resolver_run_source(sib_resolver *r, const sib_person_source *src, sib_resolution *out, sib_error *err)
{
    size_t n = src->n;
    run_state s;
    int64_t *bkeys = NULL;
    int32_t *bitems = NULL, *final = NULL;
    size_t capkp, nkeyed = 0, nb = 0;
    int rc = SIB_ERR;
    double t0 = sib_seconds();
    size_t counts[4] = {0};

    memset(&s, 0, sizeof s);
    if (r->ran)
        return sib_error_set(err, "resolve: a resolver runs once");
    r->ran = 1;
    if (n > INT32_MAX - 1)
        return sib_error_set(err, "resolve: %zu records is more than supported", n);
    s.r = r;
    s.src = src;
    s.n = n;
    pthread_mutex_init(&s.forms_lock, NULL);
    capkp = n / 2 + 1024;       /* address space: grown only for unusual data */
    s.prov = sib_malloc_huge(n * sizeof *s.prov);
    s.pkeys = sib_malloc_huge(capkp * sizeof *s.pkeys);
    /* most persons have two records or more (the roll, an enrollment): sized
     * for n / 2 keys, the map is not rehashed on the way (keys phase 0.38
     * against 0.41-0.52 s at scale 1) */
    s.keymap = sib_i64map_new(n / 2 + 16);
    s.norm = sib_malloc_huge(n * sizeof *s.norm);
    s.formmap = sib_i64map_new(1024);
    s.forms_arena = sib_arena_new(1 << 20);
    if (!s.prov || !s.pkeys || !s.keymap || !s.norm || !s.formmap || !s.forms_arena)
        goto oom;
    for (int t = 0; t < r->threads; t++)
        if ((s.arenas[t] = sib_arena_new(1 << 20)) == NULL)
            goto oom;

    /* 1. keys: normalised on every thread, then numbered in record order
     * (persons by first appearance), the map slots fetched ahead */
    {
        keys_job kj = { .s = &s, .out = out, .k64 = sib_malloc_huge(n * sizeof(int64_t)) };
        if (kj.k64 == NULL)
            goto oom;
        sib_par_run(r->threads, keys_part, &kj);
        int failed = 0;
        for (int t = 0; t < r->threads; t++)
            failed |= kj.oom[t];
        for (size_t i = 0; i < n && !failed; i++) {
            if (i + 16 < n && kj.k64[i + 16] >= 0)
                sib_i64map_prefetch(s.keymap, kj.k64[i + 16]);
            if (kj.k64[i] < 0)
                continue;
            if ((s.prov[i] = keyed_person(&s, kj.k64[i], &capkp)) < 0)
                failed = 1;
            nkeyed++;
        }
        free(kj.k64);
        if (failed)
            goto oom;
    }
    s.prior = log2(s.nkp > 1 ? (double)s.nkp : 2.0);
    s.name_inexact_w = fmax(0.0, best_level_weight(r->model, SIB_EV_NAME, SIB_NAME_SIMPLIFIED));

    double t_keys = (sib_seconds() - t0);

    /* 2. person -> records, and the birth-date and name blocks over persons */
    s.poff = sib_malloc_huge((s.nkp + 1) * sizeof *s.poff);
    s.precs = sib_malloc_huge((nkeyed ? nkeyed : 1) * sizeof *s.precs);
    bkeys = sib_malloc_huge((nkeyed + 1) * sizeof *bkeys);    /* the name blocks: at most one item a record */
    bitems = sib_malloc_huge((nkeyed + 1) * sizeof *bitems);
    s.bsigs = sib_malloc_huge((s.nkp ? s.nkp : 1) * sizeof *s.bsigs);
    if (!s.poff || !s.precs || !bkeys || !bitems || !s.bsigs)
        goto oom;
    person_records(&s);
    sib_par_run(r->threads, sigs_part, &s);
    /* names: each distinct normalised name of a person once */
    for (size_t p = 0; p < s.nkp; p++) {
        for (int32_t j = s.poff[p]; j < s.poff[p + 1]; j++) {
            const char *nm = rec_norm(&s, (size_t)s.precs[j]);
            int dup = !*nm;
            for (int32_t k = s.poff[p]; k < j && !dup; k++)
                dup = strcmp(rec_norm(&s, (size_t)s.precs[k]), nm) == 0;
            if (dup)
                continue;
            bkeys[nb] = (int64_t)sib_fnv1a_str(nm);
            bitems[nb++] = (int32_t)p;
        }
    }
    if (block_build(&s.names, bkeys, bitems, nb) != SIB_OK)
        goto oom;
    free(bkeys);
    free(bitems);
    bkeys = NULL;
    bitems = NULL;
    if (renumber_by_birth(&s) != SIB_OK)
        goto oom;
    s.name_sig = sib_malloc_huge((nb ? nb : 1) * sizeof *s.name_sig);
    if (s.name_sig == NULL)
        goto oom;
    sib_par_run(r->threads, name_sig_part, &s);

    double t_blocks = (sib_seconds() - t0);

    /* 3. unkeyed records */
    if (link_all(&s, out, err) != SIB_OK)
        goto done;
    size_t nunres = 0;
    for (size_t i = 0; i < n; i++)
        nunres += out[i].kind == SIB_LINK_UNRESOLVED;

    double t_link = (sib_seconds() - t0);
    run_free_search(&s);

    /* 4. final numbering in order of first appearance */
    final = sib_malloc_huge(s.nkp * sizeof *final);
    r->keys = sib_malloc_huge((s.nkp + nunres + 1) * sizeof *r->keys);
    r->first = sib_malloc_huge((s.nkp + nunres + 1) * sizeof *r->first);
    if (!final || !r->keys || !r->first)
        goto oom;
    memset(final, 0xff, s.nkp * sizeof *final);
    for (size_t i = 0; i < n; i++) {
        int32_t p = s.prov[i];
        counts[out[i].kind]++;
        if (p >= 0 && final[p] >= 0) {
            out[i].person = final[p];
            continue;
        }
        int32_t id = (int32_t)r->npersons++;
        r->first[id] = (int64_t)i;
        if (p >= 0) {
            final[p] = id;
            memcpy(r->keys[id], s.pkeys[p], 19);
        } else {
            r->keys[id][0] = '\0';
        }
        out[i].person = id;
    }
    for (size_t k = 0; k < r->nrev; k++)
        r->rev[k].cand = final[r->rev[k].cand];
    sib_log_debug("resolve", "keys_seconds=%.2f blocks_seconds=%.2f link_seconds=%.2f", t_keys,
                  t_blocks - t_keys, t_link - t_blocks);
    sib_log_info("resolve", "records=%zu persons=%zu keyed_persons=%zu exact=%zu normalized=%zu probable=%zu "
                 "unresolved=%zu review=%zu seconds=%.2f",
                 n, r->npersons, s.nkp, counts[SIB_LINK_EXACT], counts[SIB_LINK_NORMALIZED],
                 counts[SIB_LINK_PROBABLE], counts[SIB_LINK_UNRESOLVED], r->nrev,
                 (sib_seconds() - t0));
    rc = SIB_OK;
    goto done;
oom:
    sib_error_set(err, "resolve: out of memory with %zu records", n);
done:
    free(bkeys);
    free(bitems);
    free(final);
    run_free(&s);
    return rc;
}

size_t sib_resolver_npersons(const sib_resolver *r)
{
    return r->npersons;
}

const char *sib_resolver_person_key(const sib_resolver *r, int32_t person)
{
    if (person < 0 || (size_t)person >= r->npersons || r->keys[person][0] == '\0')
        return NULL;
    return r->keys[person];
}

int64_t sib_resolver_person_first_record(const sib_resolver *r, int32_t person)
{
    if (person < 0 || (size_t)person >= r->npersons)
        return -1;
    return r->first[person];
}

size_t sib_resolver_nreview(const sib_resolver *r)
{
    return r->nrev;
}

void sib_resolver_review(const sib_resolver *r, size_t i, size_t *rec, int32_t *candidate, float *score,
                         uint32_t *evidence)
{
    const review_entry *e = &r->rev[i];
    *rec = e->rec;
    *candidate = e->cand;
    *score = e->score;
    *evidence = e->evidence;
}

const char *sib_resolver_evidence_text(uint32_t evidence, char *buf, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    for (int f = 0; f < SIB_EV_NFIELDS; f++) {
        int l = (int)((evidence >> (3 * f)) & 7u);
        if (l == 0)
            continue;
        int k = snprintf(buf + o, cap - o, "%s%s=%s", o ? "," : "", resolver_fields[f].name,
                         sib_match_level_name(resolver_fields[f].kind, l));
        if (k < 0 || (size_t)k >= cap - o)
            break;
        o += (size_t)k;
    }
    return buf;
}

void sib_resolver_free(sib_resolver *r)
{
    if (r == NULL)
        return;
    sib_match_model_free(r->model);
    sib_name_ctx_free(r->names);
    free(r->keys);
    free(r->first);
    free(r->rev);
    free(r);
}
