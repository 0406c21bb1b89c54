/* source.c — the read stage's snapshot and rolls (include/read/source.h);
 * the contributions are streamed by contrib.c, paid months kept by months.c. */
#include "read/source.h"
#include "common/arena.h"
#include "common/config.h"
#include "common/log.h"
#include "common/month.h"
#include "common/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reason_names[SIB_REJ_COUNT] = {
    "", "insurance_type", "period", "identity",
    "orphan", "rejected_enrollment", "future", "negative", "repeat", "out_of_scope"
};

const char *sib_reject_reason_name(int reason)
{
    return reason > 0 && reason < SIB_REJ_COUNT ? reason_names[reason] : "";
}

/* ------------------------------------------------------------ the rolls */

/* The rolls' reader: the source being filled and its array's capacity. */
typedef struct reader {
    sib_source *src;
    volatile sig_atomic_t *stop;
    sib_strpool *pool;          /* low-cardinality columns */
    size_t cap;
} reader;

static int stopped(reader *r, sib_error *err)
{
    if (r->stop && *r->stop)
        return sib_error_setc(err, SIB_EXIT_FAILURE, "interrupted");
    return SIB_OK;
}

/* Splits a COPY line in place (the line is libpq's buffer, freed after the
 * row) into nf fields. */
static int split_line(char *line, char **f, int nf, const char *table, sib_error *err)
{
    if (sib_copy_split(line, f, nf) != nf)
        return sib_error_set(err, "%s: unexpected number of columns", table);
    return SIB_OK;
}

/* Keeps field f (NULL stays NULL): a copy in the arena, or the pooled copy
 * for a low-cardinality column. 1 when kept, 0 when out of memory. */
static int keep(reader *r, char **f, int pooled)
{
    if (!*f)
        return 1;
    size_t n = strlen(*f);
    const char *k = pooled ? sib_strpool_get(r->pool, *f, n) : sib_arena_strndup(r->src->arena, *f, n);
    *f = (char *)k;
    return k != NULL;
}

/* Gives the unused capacity of an array back. */
static void trim(void **arr, size_t n, size_t elem)
{
    void *p = realloc(*arr, (n ? n : 1) * elem);
    if (p)
        *arr = p;
}

static int employer_row(char *line, size_t len, void *ud, sib_error *err)
{
    reader *r = ud;
    sib_source *s = r->src;
    char *f[5];
    (void)len;
    if (split_line(line, f, 5, "employer", err) != SIB_OK)
        return SIB_ERR;
    sib_employer *e = sib_append((void **)&s->emp, &r->cap, &s->nemp, sizeof *s->emp);
    if (!e || !keep(r, &f[1], 0) || !keep(r, &f[2], 0) || !keep(r, &f[4], 1))
        return sib_error_set(err, "employer: out of memory");
    int ok;
    e->unit_id = sib_parse_long(f[0], &ok);
    e->credit_code = f[1];
    e->name = f[2];
    long rc = sib_parse_long(f[3], &ok);
    e->risk_class = ok && rc >= 1 && rc <= 8 ? (int)rc : 0;
    e->town_code = f[4];
    return SIB_OK;
}

static int enrollment_row(char *line, size_t len, void *ud, sib_error *err)
{
    reader *r = ud;
    sib_source *s = r->src;
    char *f[13];
    (void)len;
    if ((s->nenr & 0xffff) == 0 && stopped(r, err) != SIB_OK)
        return SIB_ERR;
    if (split_line(line, f, 13, "enrollment", err) != SIB_OK)
        return SIB_ERR;
    sib_enrollment *e = sib_append((void **)&s->enr, &r->cap, &s->nenr, sizeof *s->enr);
    if (!e || !keep(r, &f[1], 0) || !keep(r, &f[2], 0) || !keep(r, &f[3], 1) ||
        !keep(r, &f[7], 1) || !keep(r, &f[8], 1))
        return sib_error_set(err, "enrollment: out of memory");
    int ok;
    e->id = sib_parse_long(f[0], &ok);
    e->id_number = f[1];
    e->name = f[2];
    e->gender = f[3];
    e->birth_date = sib_date_parse(f[4]);
    e->unit_id = f[6] ? sib_parse_long(f[6], &ok) : 0;
    e->worker_category = f[7];
    e->town_code = f[8];
    e->person = -1;

    size_t tn;
    const char *t = sib_trim_ws(f[5], &tn);
    char type[8] = "";
    if (t && tn < sizeof type) {
        memcpy(type, t, tn);
        type[tn] = '\0';
    }
    e->scheme = (int8_t)sib_scheme_from_code(type);

    int ok_start, ok_end;
    long start = sib_parse_long(f[9], &ok_start);
    long end = f[10] ? sib_parse_long(f[10], &ok_end) : 0;
    if (!f[10])
        ok_end = 1;
    e->start = ok_start && sib_month_valid(start) ? (int32_t)start : 0;
    e->end = f[10] && ok_end && sib_month_valid(end) ? (int32_t)end : 0;
    long benefit = sib_parse_long(f[12], &ok);
    e->benefit_start = ok && sib_month_valid(benefit) ? (int32_t)benefit : 0;
    e->status = sib_trim_eq(f[11], "1") ? 1 : sib_trim_eq(f[11], "2") ? 2 : sib_trim_eq(f[11], "3") ? 3 : 0;

    /* definitions.md §1, in order */
    if (strcmp(type, "310") == 0 || strcmp(type, "510") == 0) {
        e->state = SIB_ROW_OUT_OF_SCOPE;
        e->reason = SIB_REJ_OUT_OF_SCOPE;
    } else if (e->scheme < 0) {
        e->reason = SIB_REJ_INSURANCE_TYPE;
    } else if (!e->start || (f[10] && !(ok_end && sib_month_valid(end))) || (e->end && e->end < e->start)) {
        e->reason = SIB_REJ_PERIOD;
    } else if (sib_blank(e->id_number) && sib_blank(e->name)) {
        e->reason = SIB_REJ_IDENTITY;
    } else if (e->start > s->as_of) {
        e->state = SIB_ROW_NOT_STARTED;
    }
    if (e->reason && e->reason != SIB_REJ_OUT_OF_SCOPE) {
        e->state = SIB_ROW_REJECTED;
        s->rejects[SIB_TABLE_ENROLLMENT][e->reason]++;
    }
    return SIB_OK;
}

static int population_row(char *line, size_t len, void *ud, sib_error *err)
{
    reader *r = ud;
    sib_source *s = r->src;
    char *f[8];
    (void)len;
    if (split_line(line, f, 8, "population", err) != SIB_OK)
        return SIB_ERR;
    sib_population *p = sib_append((void **)&s->pop, &r->cap, &s->npop, sizeof *s->pop);
    if (!p || !keep(r, &f[1], 0) || !keep(r, &f[2], 0) || !keep(r, &f[3], 1) || !keep(r, &f[5], 1))
        return sib_error_set(err, "population: out of memory");
    int ok;
    p->id = sib_parse_long(f[0], &ok);
    p->id_number = f[1];
    p->name = f[2];
    p->gender = f[3];
    p->birth_date = sib_date_parse(f[4]);
    p->town_code = f[5];
    p->deceased_on = sib_date_parse(f[6]);
    p->in_school = f[7] && f[7][0] == 't';
    p->person = -1;
    if (sib_blank(p->id_number) && sib_blank(p->name)) {
        p->state = SIB_ROW_REJECTED;
        p->reason = SIB_REJ_IDENTITY;
        s->rejects[SIB_TABLE_POPULATION][SIB_REJ_IDENTITY]++;
    }
    return SIB_OK;
}

/* ------------------------------------------------------------ the stage */

static int copy_table(sib_db *db, const char *sqlname, sib_db_row_fn fn, void *ud,
                      const char *table, size_t *count, sib_error *err)
{
    double t0 = sib_seconds();
    if (sib_db_copy_out(db, sib_sql_get(sqlname), fn, ud, err) != SIB_OK)
        return sib_error_prefix(err, "reading si_src.%s", table);
    double dt = sib_seconds() - t0;
    sib_log_info("read", "table=%s rows=%zu seconds=%.2f rows_per_s=%.0f", table, *count, dt,
                 dt > 0 ? (double)*count / dt : 0.0);
    return SIB_OK;
}

/* The enrollment id -> index lookup. Ids are usually dense sequences, one
 * per source system (e.g. 1000000001.., 2000000001..): then plain arrays over
 * each run's [min, max] (4 bytes an id, no hashing) instead of the hash map
 * (about 20 bytes an id). Runs are told apart by id >> SEG_SHIFT. */
#define SEG_SHIFT 24
#define SEG_MAX 64

struct sib_enr_seg {
    int64_t key, lo, hi;
    int32_t *slot;          /* hi - lo + 1 entries, -1 when no such id */
};

static void free_segments(sib_source *s)
{
    for (int k = 0; k < s->nenr_segs; k++)
        free(s->enr_segs[k].slot);
    free(s->enr_segs);
    s->enr_segs = NULL;
    s->nenr_segs = 0;
}

static struct sib_enr_seg *find_segment(const sib_source *s, int64_t key)
{
    for (int k = 0; k < s->nenr_segs; k++)
        if (s->enr_segs[k].key == key)
            return &s->enr_segs[k];
    return NULL;
}

/* SIB_OK with the segments built, 1 when the ids are too sparse for them. */
static int build_segments(sib_source *s)
{
    s->enr_segs = calloc(SEG_MAX, sizeof *s->enr_segs);
    if (!s->enr_segs)
        return SIB_ERR;
    for (size_t i = 0; i < s->nenr; i++) {
        int64_t id = s->enr[i].id, key = id >> SEG_SHIFT;
        struct sib_enr_seg *g = find_segment(s, key);
        if (!g) {
            if (s->nenr_segs == SEG_MAX)
                return 1;
            g = &s->enr_segs[s->nenr_segs++];
            *g = (struct sib_enr_seg){ key, id, id, NULL };
        }
        g->lo = id < g->lo ? id : g->lo;
        g->hi = id > g->hi ? id : g->hi;
    }
    uint64_t span = 0;
    for (int k = 0; k < s->nenr_segs; k++)
        span += (uint64_t)(s->enr_segs[k].hi - s->enr_segs[k].lo) + 1;
    if (span > 2 * (uint64_t)s->nenr + 1024)
        return 1;
    for (int k = 0; k < s->nenr_segs; k++) {
        struct sib_enr_seg *g = &s->enr_segs[k];
        size_t n = (size_t)(g->hi - g->lo) + 1;
        g->slot = malloc(n * sizeof *g->slot);
        if (!g->slot)
            return SIB_ERR;
        memset(g->slot, 0xff, n * sizeof *g->slot);
    }
    for (size_t i = 0; i < s->nenr; i++) {
        int64_t id = s->enr[i].id;
        struct sib_enr_seg *g = find_segment(s, id >> SEG_SHIFT);
        g->slot[id - g->lo] = (int32_t)i;
    }
    return SIB_OK;
}

static int index_enrollments(sib_source *s)
{
    int rc = build_segments(s);
    if (rc == SIB_OK)
        return SIB_OK;
    free_segments(s);
    if (rc == SIB_ERR)
        return SIB_ERR;
    s->enr_map = sib_i64map_new(s->nenr);
    if (!s->enr_map)
        return SIB_ERR;
    for (size_t i = 0; i < s->nenr; i++)
        if (sib_i64map_put(s->enr_map, s->enr[i].id, (int32_t)i) != SIB_OK)
            return SIB_ERR;
    return SIB_OK;
}

sib_source *sib_source_open(sib_db *db, int as_of, volatile sig_atomic_t *stop, sib_error *err)
{
    sib_source *s = calloc(1, sizeof *s);
    if (!s) {
        sib_error_set(err, "read: out of memory");
        return NULL;
    }
    s->as_of = as_of;
    s->arena = sib_arena_new(8u << 20);
    s->emp_map = sib_i64map_new(1u << 16);
    reader r = { .src = s, .stop = stop, .pool = s->arena ? sib_strpool_new(s->arena) : NULL };
    if (!s->arena || !s->emp_map || !r.pool) {
        sib_error_set(err, "read: out of memory");
        goto fail;
    }
    if (sib_db_exec_file(db, "read_snapshot", err) != SIB_OK)
        goto fail;
    PGresult *res;
    if (sib_db_query(db, sib_sql_get("read_snapshot_id"), 0, NULL, &res, err) != SIB_OK)
        goto fail;
    snprintf(s->snapshot_id, sizeof s->snapshot_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(s->txid_snapshot, sizeof s->txid_snapshot, "%s", PQgetvalue(res, 0, 1));
    snprintf(s->server_version, sizeof s->server_version, "%s", PQgetvalue(res, 0, 2));
    PQclear(res);

    if (copy_table(db, "read_employers", employer_row, &r, "employer", &s->nemp, err) != SIB_OK)
        goto fail;
    trim((void **)&s->emp, s->nemp, sizeof *s->emp);
    for (size_t i = 0; i < s->nemp; i++)
        if (sib_i64map_put(s->emp_map, s->emp[i].unit_id, (int32_t)i) != SIB_OK) {
            sib_error_set(err, "read: out of memory");
            goto fail;
        }

    r.cap = 0;
    if (copy_table(db, "read_enrollments", enrollment_row, &r, "enrollment", &s->nenr, err) != SIB_OK)
        goto fail;
    trim((void **)&s->enr, s->nenr, sizeof *s->enr);
    s->paid = calloc(s->nenr ? s->nenr : 1, sizeof *s->paid);
    if (!s->paid) {
        sib_error_set(err, "read: out of memory");
        goto fail;
    }
    if (index_enrollments(s) != SIB_OK) {
        sib_error_set(err, "read: out of memory");
        goto fail;
    }

    r.cap = 0;
    if (copy_table(db, "read_population", population_row, &r, "population", &s->npop, err) != SIB_OK)
        goto fail;
    trim((void **)&s->pop, s->npop, sizeof *s->pop);
    sib_strpool_free(r.pool);
    return s;
fail:
    sib_strpool_free(r.pool);
    sib_source_free(s);
    return NULL;
}

int sib_source_finish(sib_source *src, sib_db *db, sib_error *err)
{
    sib_i64map_free(src->enr_map);
    src->enr_map = NULL;
    free_segments(src);
    return sib_db_exec(db, "COMMIT", err);
}

void sib_source_drop_paid(sib_source *src)
{
    if (!src->paid)
        return;
    for (size_t i = 0; i < src->nenr; i++)
        sib_months_clear(&src->paid[i]);
    free(src->paid);
    src->paid = NULL;
}

const sib_employer *sib_source_employer(const sib_source *src, int64_t unit_id)
{
    if (!unit_id || !src->emp_map)
        return NULL;
    int32_t i = sib_i64map_get(src->emp_map, unit_id);
    return i >= 0 ? &src->emp[i] : NULL;
}

long sib_source_enrollment_index(const sib_source *src, int64_t id)
{
    if (src->nenr_segs) {
        const struct sib_enr_seg *g = find_segment(src, id >> SEG_SHIFT);
        return g && id >= g->lo && id <= g->hi ? g->slot[id - g->lo] : -1;
    }
    return src->enr_map ? sib_i64map_get(src->enr_map, id) : -1;
}

void sib_source_free(sib_source *src)
{
    if (!src)
        return;
    sib_source_drop_paid(src);
    free(src->enr);
    free(src->pop);
    free(src->emp);
    sib_rejlog_free(src->crej);
    sib_i64map_free(src->emp_map);
    sib_i64map_free(src->enr_map);
    free_segments(src);
    sib_arena_free(src->arena);
    free(src);
}
