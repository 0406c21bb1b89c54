/* contrib.c — the contribution stream of the read stage and the repeat rule
 * (include/read/contrib.h). */
#include "read/contrib.h"
#include "common/arena.h"
#include "common/log.h"
#include "common/month.h"
#include "common/sql.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The table is read in chunks of this many pages (64 MiB), claimed from the
 * front by the main stream and from the back by a helper stream. */
#define SIB_READ_CHUNK_PAGES 8192

/* A contribution row as the repeat rule needs it. */
typedef struct crow {
    int32_t enr, period, paid_on;
    uint8_t kind;           /* for repeats: REP_* */
    int64_t amount;
} crow;

/* Repeats found while streaming. A further row of a paid (enrollment, period)
 * is listed with its values (REP_ROW); the pair's first row is listed too
 * (REP_FIRST) when the stream still remembers it, so the pair is settled
 * without reading it again. A pair whose first row was forgotten, or was
 * seen by the other stream, is read again after the stream. */
enum { REP_ROW, REP_FIRST };

typedef struct repeat_list {
    crow *v;
    size_t n, cap;
} repeat_list;

static int add_repeat(repeat_list *rep, crow row)
{
    if (!sib_append((void **)&rep->v, &rep->cap, &rep->n, sizeof *rep->v))
        return SIB_ERR;
    rep->v[rep->n - 1] = row;
    return SIB_OK;
}

/* The stream's recent first rows of (enrollment, period) pairs, direct
 * mapped (1 << bits slots): repeated rows usually follow closely on their first. */
static crow *recent_slot(crow *recent, int bits, int32_t enr, int32_t period)
{
    uint32_t h = ((uint32_t)enr * 0x9E3779B1u) ^ ((uint32_t)period * 0x85EBCA77u);
    return &recent[bits ? (h * 0xC2B2AE35u) >> (32 - bits) : 0];
}

/* One contribution stream: its connection and everything it finds, merged
 * into the source after the read. Both fold straight into the enrollments:
 * alone with plain operations, together (shared) with atomic ones. */
typedef struct stream {
    sib_contrib_read *r;
    sib_db *db;
    int shared;                     /* another stream folds into the same enrollments */
    int as_of_idx;
    _Atomic long rows;
    long kept, out_of_scope, not_started, chunks;
    long rejects[SIB_REJ_COUNT];
    sib_rejlog *crej;               /* its rejected rows */
    repeat_list rep;
    crow *recent;                   /* 1 << recent_bits slots, enr = -1 when empty; NULL: none */
    int recent_bits;
    int progress;                   /* the main stream draws it for both */
    double last;
    int rc;
    sib_error err;
} stream;

/*
 * The read: chunks [0, nchunks) of the table's pages. The main stream claims
 * them from the front, a helper from the back, until the claims meet. Before a
 * helper streams, the main stream switches to atomic operations at a chunk
 * boundary (want_shared, then shared); a helper that comes after the last
 * chunk was claimed does nothing.
 */
struct sib_contrib_read {
    sib_source *src;
    volatile sig_atomic_t *stop;
    long chunk_pages, estimate;
    int nchunks;
    double t0;
    pthread_mutex_t lock;           /* guards front, back and the flags below */
    pthread_cond_t cond;
    pthread_mutex_t old_lock;       /* the old months of shared sets */
    int front, back;                /* next chunk of each end */
    int want_shared, shared, closed, helper_came, helping;
    _Atomic int abort;              /* 1 + the stream that failed first: the other stops */
    stream w[2];                    /* main, helper */
};

static int add_crej(stream *w, const sib_contrib_fields *f, int reason, sib_error *err)
{
    sib_contrib_reject r = { .enrollment_id = f->id_ok ? f->enrollment_id : 0,
                             .period = f->period_ok ? (int32_t)f->period : 0, .reason = (uint8_t)reason,
                             .nulls = (uint8_t)((f->id_ok ? 0 : SIB_CREJ_NULL_ID) |
                                                (f->period_ok ? 0 : SIB_CREJ_NULL_PERIOD)),
                             .paid_on = f->paid_on, .amount = f->employer + f->personal };
    if (sib_rejlog_add(w->crej, &r, err) != SIB_OK)
        return SIB_ERR;
    w->rejects[reason]++;
    return SIB_OK;
}

/* A progress line with rate and ETA, redrawn at most twice a second. */
static void draw_progress(stream *w, int done)
{
    const sib_contrib_read *r = w->r;
    double t = sib_seconds();
    if (!done && t - w->last < 0.5)
        return;
    w->last = t;
    long n = r->w[0].rows + r->w[1].rows;
    double rate = t > r->t0 ? (double)n / (t - r->t0) : 0.0;
    double pct = r->estimate > 0 ? 100.0 * (double)n / (double)r->estimate : 0.0;
    double eta = rate > 0 && r->estimate > n ? (double)(r->estimate - n) / rate : 0.0;
    fprintf(stderr, "\rcontributions %11ld rows %5.1f%%  %9.0f rows/s  ETA %4.0f s%s", n,
            pct > 100 ? 100.0 : pct, rate, eta, done ? "\n" : "");
    fflush(stderr);
}

/* ------------------------------------------------------------ one row */

/* The fast path of sib_contrib_parse: 1 when *p is at a field of the usual
 * shape, else 0. Each reader advances *p past its field and the tab. */
static int fast_null(const char **p)
{
    if ((*p)[0] == '\\' && (*p)[1] == 'N') {
        *p += 2;
        return 1;
    }
    return 0;
}

static int fast_end(const char **p, int last)
{
    if (**p == (last ? '\0' : '\t')) {
        *p += !last;
        return 1;
    }
    return 0;
}

/* Up to 18 digits with an optional '-'. */
static int fast_int(const char **p, int64_t *v, int *ok, int last)
{
    if (fast_null(p)) {
        *v = 0;
        *ok = 0;
        return fast_end(p, last);
    }
    const char *s = *p;
    int neg = *s == '-';
    s += neg;
    int64_t x = 0;
    int n = 0;
    while (*s >= '0' && *s <= '9' && n < 18)
        x = x * 10 + (*s++ - '0'), n++;
    if (n == 0)
        return 0;
    *p = s;
    *v = neg ? -x : x;
    *ok = 1;
    return fast_end(p, last);
}

/* [-]digits[.d[d]] as cents: what numeric(12,2) sends. */
static int fast_cents(const char **p, int64_t *v)
{
    if (fast_null(p)) {
        *v = 0;
        return fast_end(p, 0);
    }
    const char *s = *p;
    int neg = *s == '-';
    s += neg;
    int64_t whole = 0, frac = 0;
    int n = 0, nf = 0;
    while (*s >= '0' && *s <= '9' && n < 15)
        whole = whole * 10 + (*s++ - '0'), n++;
    if (n == 0)
        return 0;
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9' && nf < 2)
            frac = frac * 10 + (*s++ - '0'), nf++;
        if (nf == 0)
            return 0;
    }
    if (nf == 1)
        frac *= 10;
    *p = s;
    *v = neg ? -(whole * 100 + frac) : whole * 100 + frac;
    return fast_end(p, 0);
}

/* The last field: sib_date_parse reads it where it stands unless it holds a
 * tab (more columns) or an escape. */
static int fast_date(const char **p, int32_t *v)
{
    if (fast_null(p)) {
        *v = 0;
        return fast_end(p, 1);
    }
    if (strpbrk(*p, "\t\\"))
        return 0;
    *v = sib_date_parse(*p);
    return 1;
}

int sib_contrib_parse(char *line, sib_contrib_fields *f)
{
    const char *p = line;
    int64_t period;
    if (fast_int(&p, &f->enrollment_id, &f->id_ok, 0) && fast_int(&p, &period, &f->period_ok, 0) &&
        fast_cents(&p, &f->base) && fast_cents(&p, &f->employer) && fast_cents(&p, &f->personal) &&
        fast_date(&p, &f->paid_on)) {
        f->period = (long)period;
        return 0;
    }
    char *c[6];
    if (sib_copy_split(line, c, 6) != 6)
        return -1;
    f->enrollment_id = sib_parse_long(c[0], &f->id_ok);
    f->period = sib_parse_long(c[1], &f->period_ok);
    f->base = sib_parse_cents(c[2]);
    f->employer = sib_parse_cents(c[3]);
    f->personal = sib_parse_cents(c[4]);
    f->paid_on = sib_date_parse(c[5]);
    return 0;
}

static int contribution_row(char *line, size_t len, void *ud, sib_error *err)
{
    stream *w = ud;
    sib_source *src = w->r->src;       /* read-only while streaming (but the aggregates) */
    (void)len;
    if ((w->rows & 0xffff) == 0) {
        if ((w->r->stop && *w->r->stop) || w->r->abort)
            return sib_error_set(err, "interrupted");
        if (w->progress)
            draw_progress(w, 0);
    }
    w->rows++;
    sib_contrib_fields f;
    if (sib_contrib_parse(line, &f) != 0)
        return sib_error_set(err, "contribution: unexpected number of columns");
    int32_t per = f.period_ok ? (int32_t)f.period : 0;
    int64_t amount = f.employer + f.personal;
    long idx = f.id_ok ? sib_source_enrollment_index(src, f.enrollment_id) : -1;
    int reason = SIB_REJ_NONE, started = 1;
    if (idx < 0) {
        reason = SIB_REJ_ORPHAN;
    } else {
        const sib_enrollment *e = &src->enr[idx];
        if (e->state == SIB_ROW_OUT_OF_SCOPE) {
            w->out_of_scope++;
            return SIB_OK;
        }
        if (e->state == SIB_ROW_REJECTED)
            reason = SIB_REJ_REJECTED_ENROLLMENT;
        else if (!f.period_ok || !sib_month_valid(f.period) || f.period > src->as_of)
            reason = SIB_REJ_FUTURE;
        else if (f.base < 0 || f.employer < 0 || f.personal < 0)
            reason = SIB_REJ_NEGATIVE;
        /* a row of an enrollment that starts after A is checked like any
         * other, repeats included, and then takes part in nothing */
        started = e->state != SIB_ROW_NOT_STARTED;
    }
    if (reason) {
        return add_crej(w, &f, reason, err);
    }
    sib_enrollment *e = &src->enr[idx];
    sib_months *paid = &src->paid[idx];
    int mi = sib_month_index(per);
    int fresh = w->shared ? sib_months_add_shared(paid, w->as_of_idx, mi, &w->r->old_lock)
                          : sib_months_add(paid, w->as_of_idx, mi);
    if (fresh < 0)
        return sib_error_set(err, "contribution: out of memory");
    crow row = { (int32_t)idx, per, f.paid_on, REP_ROW, amount };
    crow *slot = w->recent ? recent_slot(w->recent, w->recent_bits, row.enr, per) : NULL;
    if (fresh) {
        if (slot)
            *slot = row;
    } else {
        /* a further row for a paid (enrollment, period): settled after the
         * stream, read again unless this stream still holds the first row */
        if (slot && slot->enr == row.enr && slot->period == per) {
            crow first = *slot;
            first.kind = REP_FIRST;
            slot->enr = -1;                 /* listed once */
            if (add_repeat(&w->rep, first) != SIB_OK)
                return sib_error_set(err, "contribution: out of memory");
        }
        if (add_repeat(&w->rep, row) != SIB_OK)
            return sib_error_set(err, "contribution: out of memory");
    }
    if (!started) {
        w->not_started++;       /* less its repeats, when they are settled */
        return SIB_OK;
    }
    w->kept += fresh;
    if (sib_month_diff(src->as_of, per) < 12) {
        if (w->shared)
            __atomic_fetch_add(&e->sum12, amount, __ATOMIC_RELAXED);
        else
            e->sum12 += amount;
    }
    return SIB_OK;
}

/* Folds a stream's findings into the source. */
static int stream_merge(sib_source *s, stream *w, repeat_list *rep, sib_error *err)
{
    if (!s->crej) {             /* the first stream's log becomes the source's */
        s->crej = w->crej;
        w->crej = NULL;
    } else if (sib_rejlog_append(s->crej, w->crej, err) != SIB_OK) {
        return SIB_ERR;
    }
    for (int r = 0; r < SIB_REJ_COUNT; r++)
        s->rejects[SIB_TABLE_CONTRIBUTION][r] += w->rejects[r];
    s->contrib_rows += w->rows;
    s->contrib_kept += w->kept;
    s->contrib_out_of_scope += w->out_of_scope;
    s->contrib_not_started += w->not_started;
    for (size_t i = 0; i < w->rep.n; i++)
        if (add_repeat(rep, w->rep.v[i]) != SIB_OK)
            return sib_error_set(err, "contribution: out of memory");
    return SIB_OK;
}

static void stream_free(stream *w)
{
    sib_rejlog_free(w->crej);
    free(w->rep.v);
    free(w->recent);
}

/* ------------------------------------------------ kept rows, read again */

static int crow_cmp(const void *a, const void *b)
{
    const crow *x = a, *y = b;
    if (x->enr != y->enr)
        return x->enr < y->enr ? -1 : 1;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    /* kept row first: latest paid_on (missing = earliest), then largest amount */
    if (x->paid_on != y->paid_on)
        return x->paid_on > y->paid_on ? -1 : 1;
    if (x->amount != y->amount)
        return x->amount > y->amount ? -1 : 1;
    return 0;
}

/* Reads the usable rows (not orphan/rejected/future/negative) of the given
 * enrollments into *rows, sorted with each (enrollment, period)'s kept row first. */
static int read_rows_of(sib_source *src, sib_db *db, const size_t *enr, const int32_t *periods, size_t n,
                        crow **rows, size_t *nrows, sib_error *err)
{
    *rows = NULL;
    *nrows = 0;
    if (n == 0)
        return SIB_OK;
    sib_buf arr = { 0 }, per = { 0 };
    sib_buf_puts(&arr, "{");
    sib_buf_puts(&per, "{");
    for (size_t i = 0; i < n; i++) {
        sib_buf_printf(&arr, "%s%lld", i ? "," : "", (long long)src->enr[enr[i]].id);
        if (periods)
            sib_buf_printf(&per, "%s%d", i ? "," : "", periods[i]);
    }
    if (sib_buf_puts(&arr, "}") != SIB_OK || sib_buf_puts(&per, "}") != SIB_OK) {
        sib_buf_free(&arr);
        sib_buf_free(&per);
        return sib_error_set(err, "contribution: out of memory");
    }
    const char *params[2] = { arr.data, per.data };
    PGresult *res;
    int rc = sib_db_query(db, sib_sql_get(periods ? "read_contributions_pairs" : "read_contributions_of"),
                          periods ? 2 : 1, params, &res, err);
    sib_buf_free(&arr);
    sib_buf_free(&per);
    if (rc != SIB_OK)
        return sib_error_prefix(err, "contribution: reading again");
    int nt = PQntuples(res);
    crow *v = malloc((size_t)(nt ? nt : 1) * sizeof *v);
    if (!v) {
        PQclear(res);
        return sib_error_set(err, "contribution: out of memory");
    }
    size_t k = 0;
    for (int i = 0; i < nt; i++) {
        int ok;
        long idx = sib_source_enrollment_index(src, sib_parse_long(PQgetvalue(res, i, 0), &ok));
        long period = sib_parse_long(PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1), &ok);
        if (idx < 0 || !ok || !sib_month_valid(period) || period > src->as_of)
            continue;
        int64_t base = sib_parse_cents(PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2));
        int64_t emp = sib_parse_cents(PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
        int64_t pers = sib_parse_cents(PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4));
        if (base < 0 || emp < 0 || pers < 0)
            continue;
        v[k++] = (crow){ .enr = (int32_t)idx, .period = (int32_t)period,
                         .paid_on = sib_date_parse(PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5)),
                         .amount = emp + pers };
    }
    PQclear(res);
    qsort(v, k, sizeof *v, crow_cmp);
    *rows = v;
    *nrows = k;
    return SIB_OK;
}

/* Settles the repeats: every further row of an (enrollment, period) is a
 * `repeat` reject, and the 12-month sums count the kept row only. */
static int same_pair(const crow *x, const crow *y)
{
    return x->enr == y->enr && x->period == y->period;
}

/* End of the pair that starts at v[i] (v sorted by pair). */
static size_t pair_end(const crow *v, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && same_pair(&v[j], &v[i]))
        j++;
    return j;
}

static int pair_cmp(const void *a, const void *b)
{
    const crow *x = a, *y = b;
    if (x->enr != y->enr)
        return x->enr < y->enr ? -1 : 1;
    return x->period < y->period ? -1 : x->period > y->period;
}

/* rows[0..n): one pair's rows sorted by crow_cmp, the kept one first. */
static int reject_further(sib_source *src, const crow *rows, size_t n, sib_error *err)
{
    for (size_t i = 1; i < n; i++) {
        sib_enrollment *e = &src->enr[rows[i].enr];
        if (e->state == SIB_ROW_NOT_STARTED)
            src->contrib_not_started--;     /* counted by the stream, a repeat after all */
        else if (sib_month_diff(src->as_of, rows[i].period) < 12)
            e->sum12 -= rows[i].amount;
        sib_contrib_reject r = { .enrollment_id = e->id, .period = rows[i].period, .reason = SIB_REJ_REPEAT,
                                 .paid_on = rows[i].paid_on, .amount = rows[i].amount };
        if (sib_rejlog_add(src->crej, &r, err) != SIB_OK)
            return SIB_ERR;
        src->rejects[SIB_TABLE_CONTRIBUTION][SIB_REJ_REPEAT]++;
    }
    return SIB_OK;
}

static int settle_repeats(sib_source *src, sib_db *db, repeat_list *rep, sib_error *err)
{
    if (rep->n == 0)
        return SIB_OK;
    double t0 = sib_seconds();
    qsort(rep->v, rep->n, sizeof *rep->v, pair_cmp);
    size_t *ids = malloc(rep->n * sizeof *ids);
    int32_t *periods = malloc(rep->n * sizeof *periods);
    if (!ids || !periods) {
        free(ids);
        free(periods);
        return sib_error_set(err, "contribution: out of memory");
    }
    /* a pair listed with its first row and all its further rows is settled
     * here; the others are read again with all their rows */
    size_t n = 0, j;
    for (size_t i = 0; i < rep->n; i = j) {
        int firsts = 0;
        j = pair_end(rep->v, rep->n, i);
        for (size_t k = i; k < j; k++)
            firsts += rep->v[k].kind == REP_FIRST;
        if (firsts == 1) {
            qsort(rep->v + i, j - i, sizeof *rep->v, crow_cmp);
            if (reject_further(src, rep->v + i, j - i, err) != SIB_OK) {
                free(ids);
                free(periods);
                return SIB_ERR;
            }
        } else {
            ids[n] = (size_t)rep->v[i].enr;
            periods[n++] = rep->v[i].period;
        }
    }
    crow *rows;
    size_t nrows;
    int rc = read_rows_of(src, db, ids, periods, n, &rows, &nrows, err);
    free(ids);
    free(periods);
    if (rc != SIB_OK)
        return SIB_ERR;
    for (size_t i = 0; i < nrows; i = j) {
        j = pair_end(rows, nrows, i);
        if (reject_further(src, rows + i, j - i, err) != SIB_OK) {
            free(rows);
            return SIB_ERR;
        }
    }
    free(rows);
    sib_log_info("read", "repeats=%ld pairs_read_again=%zu repeat_seconds=%.2f",
                 src->rejects[SIB_TABLE_CONTRIBUTION][SIB_REJ_REPEAT], n, sib_seconds() - t0);
    return SIB_OK;
}

int sib_source_kept_amounts(sib_source *src, sib_db *db, const size_t *enr, size_t n,
                            sib_kept_fn fn, void *ud, sib_error *err)
{
    crow *rows;
    size_t nrows;
    if (read_rows_of(src, db, enr, NULL, n, &rows, &nrows, err) != SIB_OK)
        return SIB_ERR;
    for (size_t i = 0; i < nrows; i = pair_end(rows, nrows, i))
        fn((size_t)rows[i].enr, rows[i].period, rows[i].amount, ud);     /* the kept row */
    free(rows);
    return SIB_OK;
}

/* ------------------------------------------------------------ the read */

sib_contrib_read *sib_contrib_read_new(sib_source *src, sib_db *db, const sib_read_opts *opts,
                                       volatile sig_atomic_t *stop, sib_error *err)
{
    char buf[64];
    if (sib_db_query_value(db, sib_sql_get("read_pages"), 0, NULL, buf, sizeof buf, err) != SIB_OK)
        return NULL;
    long pages = atol(buf);
    sib_contrib_read *r = calloc(1, sizeof *r);
    if (!r) {
        sib_error_set(err, "contribution: out of memory");
        return NULL;
    }
    r->src = src;
    r->stop = stop;
    r->chunk_pages = opts->chunk_pages > 0 ? opts->chunk_pages : SIB_READ_CHUNK_PAGES;
    /* alone, one plain scan: a TID range scan passes through shared buffers
     * rather than a scan's small ring, 4-7 % slower (docs/performance.md) */
    long n = opts->streams < 2 ? 1 : (pages + r->chunk_pages - 1) / r->chunk_pages;
    r->nchunks = n < 1 ? 1 : n > INT32_MAX / 2 ? INT32_MAX / 2 : (int)n;
    r->back = r->nchunks - 1;
    pthread_mutex_init(&r->lock, NULL);
    pthread_mutex_init(&r->old_lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    int recent_bits = 0;
    while (recent_bits < 24 && (1L << recent_bits) < opts->recent_rows)
        recent_bits++;
    for (int i = 0; i < 2; i++) {
        stream *w = &r->w[i];
        w->r = r;
        w->as_of_idx = sib_month_index(src->as_of);
        if (!(w->crej = sib_rejlog_new(err)))
            goto fail;
        if (opts->recent_rows > 0) {
            w->recent_bits = recent_bits;
            w->recent = malloc(sizeof *w->recent << recent_bits);
            if (!w->recent) {
                sib_error_set(err, "contribution: out of memory");
                goto fail;
            }
            memset(w->recent, 0xff, sizeof *w->recent << recent_bits);     /* enr = -1 */
        }
    }
    r->w[0].db = db;
    r->w[0].progress = isatty(STDERR_FILENO);
    if (r->w[0].progress && sib_db_query_value(db, sib_sql_get("read_estimate"), 0, NULL, buf, sizeof buf, NULL) == SIB_OK)
        r->estimate = atol(buf);
    return r;
fail:
    sib_contrib_read_free(r);
    return NULL;
}

/* Streams chunk k: pages [k * chunk_pages, (k + 1) * chunk_pages), the last
 * chunk to the end of the table; one chunk only: the whole table. */
static int stream_chunk(stream *w, int k, sib_error *err)
{
    const sib_contrib_read *r = w->r;
    sib_buf q = { 0 };
    long lo = (long)k * r->chunk_pages;
    if (r->nchunks == 1)
        sib_buf_puts(&q, sib_sql_get("read_contributions"));
    else if (k == r->nchunks - 1)
        sib_buf_printf(&q, sib_sql_get("read_contributions_from"), lo);
    else
        sib_buf_printf(&q, sib_sql_get("read_contributions_range"), lo, lo + r->chunk_pages);
    if (!q.data)
        return sib_error_set(err, "contribution: out of memory");
    long rows0 = w->rows;
    double t0 = sib_seconds();
    int rc = sib_db_copy_out(w->db, q.data, contribution_row, w, err);
    sib_buf_free(&q);
    w->chunks++;
    sib_log_debug("read", "stream=%d chunk=%d rows=%ld seconds=%.3f shared=%d", (int)(w - r->w), k, w->rows - rows0,
                  sib_seconds() - t0, w->shared);
    return rc;
}

/* A stream that failed first stops the other at its next check (the
 * other's error, "interrupted", is not the cause). */
static void stream_failed(stream *w)
{
    int none = 0;
    atomic_compare_exchange_strong(&w->r->abort, &none, 1 + (int)(w - w->r->w));
}

int sib_contrib_read_help(sib_contrib_read *r, const char *dsn, sib_error *err)
{
    stream *w = &r->w[1];
    pthread_mutex_lock(&r->lock);
    int late = r->closed || r->helper_came || r->front > r->back;
    r->helper_came = 1;
    pthread_mutex_unlock(&r->lock);
    if (late)
        return SIB_OK;
    /* a helper that cannot connect leaves the table to the main stream */
    sib_error cerr = { 0 };
    w->db = sib_db_connect(dsn, "sibatch run (read 2)", &cerr);
    sib_buf q = { 0 };
    sib_buf_printf(&q, sib_sql_get("read_snapshot_import"), r->src->snapshot_id);
    if (!w->db || !q.data || sib_db_exec(w->db, q.data, &cerr) != SIB_OK) {
        sib_log_warn("read", "helper=none error=\"%s\"", q.data ? cerr.msg : "out of memory");
        sib_buf_free(&q);
        sib_db_free(w->db);
        w->db = NULL;
        return SIB_OK;
    }
    sib_buf_free(&q);
    pthread_mutex_lock(&r->lock);
    r->helping = 1;
    r->want_shared = 1;
    while (!r->shared && !r->closed)
        pthread_cond_wait(&r->cond, &r->lock);
    int rc = SIB_OK;
    for (;;) {
        if (r->closed && !r->shared)
            break;
        if (r->back < r->front || (r->stop && *r->stop) || r->abort)
            break;
        int k = r->back--;
        w->shared = 1;
        pthread_mutex_unlock(&r->lock);
        rc = stream_chunk(w, k, &w->err);
        pthread_mutex_lock(&r->lock);
        if (rc != SIB_OK) {
            stream_failed(w);
            *err = w->err;
            break;
        }
    }
    r->helping = 0;
    w->rc = rc;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    sib_db_exec(w->db, "COMMIT", NULL);
    sib_db_free(w->db);
    w->db = NULL;
    return rc;
}

/* After the streams: every enrollment's latest paid month, the streams'
 * findings, the repeats settled. */
static int read_finish(sib_contrib_read *r, sib_error *err)
{
    sib_source *s = r->src;
    repeat_list rep = { 0 };
    int aidx = sib_month_index(s->as_of), rc = SIB_ERR;
    for (size_t i = 0; i < s->nenr; i++) {
        int m = sib_months_latest(&s->paid[i], aidx);
        s->enr[i].last_paid = m < 0 ? 0 : sib_month_from_index(m);
    }
    for (int i = 0; i < 2; i++)
        if (stream_merge(s, &r->w[i], &rep, err) != SIB_OK)
            goto done;
    double dt = sib_seconds() - r->t0;
    sib_log_info("read", "table=contribution rows=%ld streams=%d chunks=%d helper_chunks=%ld seconds=%.2f "
                 "rows_per_s=%.0f", s->contrib_rows, r->w[1].chunks ? 2 : 1, r->nchunks, r->w[1].chunks, dt,
                 dt > 0 ? (double)s->contrib_rows / dt : 0.0);
    rc = settle_repeats(s, r->w[0].db, &rep, err);
done:
    free(rep.v);
    return rc;
}

int sib_contrib_read_run(sib_contrib_read *r, sib_error *err)
{
    stream *w = &r->w[0];
    int rc = SIB_OK;
    r->t0 = w->last = sib_seconds();
    pthread_mutex_lock(&r->lock);
    for (;;) {
        if (r->want_shared && !r->shared) {
            r->shared = w->shared = 1;
            pthread_cond_broadcast(&r->cond);
        }
        if (r->front > r->back || r->abort)
            break;
        if (r->stop && *r->stop) {
            rc = sib_error_set(err, "interrupted");
            break;
        }
        int k = r->front++;
        pthread_mutex_unlock(&r->lock);
        rc = stream_chunk(w, k, err);
        pthread_mutex_lock(&r->lock);
        if (rc != SIB_OK) {
            stream_failed(w);
            break;
        }
    }
    r->closed = 1;
    pthread_cond_broadcast(&r->cond);
    while (r->helping)
        pthread_cond_wait(&r->cond, &r->lock);
    pthread_mutex_unlock(&r->lock);
    if (r->abort == 2) {            /* the helper failed first: its error is the cause */
        *err = r->w[1].err;
        rc = SIB_ERR;
    }
    if (rc != SIB_OK)
        return sib_error_prefix(err, "reading si_src.contribution");
    if (w->progress)
        draw_progress(w, 1);
    return read_finish(r, err);
}

long sib_contrib_read_helper_chunks(const sib_contrib_read *r)
{
    return r->w[1].chunks;
}

void sib_contrib_read_free(sib_contrib_read *r)
{
    if (!r)
        return;
    for (int i = 0; i < 2; i++)
        stream_free(&r->w[i]);
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->old_lock);
    free(r);
}
