/* run.c — the nightly job (include/run/run.h). */
#include "run/run.h"
#include "clearing/clearing.h"
#include "common/arena.h"
#include "common/db.h"
#include "common/fsx.h"
#include "common/log.h"
#include "common/month.h"
#include "common/schema.h"
#include "common/sql.h"
#include "dedup/conflict.h"
#include "dedup/dedup.h"
#include "extract/extract.h"
#include "manifest/manifest.h"
#include "read/contrib.h"
#include "read/source.h"
#include "report/report.h"
#include "resolve/credit.h"
#include "resolve/idnum.h"
#include "resolve/resolve.h"
#include "run/publish.h"
#include "run/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Everything one run holds; released by ctx_free on every path. */
typedef struct run_ctx {
    const sib_run_opts *o;
    sib_db *wdb, *rdb;
    int64_t run_id;
    int replace_from;                   /* 0, or the first as-of month whose published runs this one replaces */
    int in_txn;                         /* the publishing transaction is open on wdb */
    int prepared;                       /* it holds the resolution's tables and the campaign is loaded */
    char started_at[32];
    char staging[4096];
    sib_source *src;
    sib_resolution *res;                /* per resolved record */
    size_t nrecs, nrecs_enr;            /* records; the first nrecs_enr are enrollments */
    int32_t *rec_row;                   /* per record: its enrollment or population row */
    int32_t *enr_rec, *pop_rec;         /* per row: its record, -1 when not resolved */
    sib_resolver *resolver;
    sib_arena *arena;
    sib_persons persons;
    sib_resolve_stats rstats;
    uint8_t *emp_warn;
    long emp_warn_n[3];
    sib_dedup *dedup;
    sib_conflicts *conflicts;
    sib_flags *flags;
    sib_campaign *campaign;
    sib_extract_result extract;
    struct store_job *store;            /* the store's thread, from the end of the read */
} run_ctx;

static void store_finish(run_ctx *c, int abort);
static void store_free(run_ctx *c);

static void ctx_free(run_ctx *c)
{
    store_free(c);
    sib_campaign_free(c->campaign);
    sib_flags_free(c->flags);
    sib_conflicts_free(c->conflicts);
    sib_dedup_free(c->dedup);
    free(c->emp_warn);
    free(c->persons.ref);
    free(c->persons.key);
    free(c->persons.pop);
    free(c->persons.deceased);
    free(c->persons.birth);
    sib_arena_free(c->arena);
    sib_resolver_free(c->resolver);
    free(c->enr_rec);
    free(c->pop_rec);
    free(c->res);
    free(c->rec_row);
    sib_source_free(c->src);
    sib_db_free(c->rdb);
    sib_db_free(c->wdb);
}

static void utc_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Test hook: SIB_FAILPOINT=<point>:<milliseconds> sleeps at a named safe
 * point, so the kill and stop tests can hit a run at a known place. */
static void failpoint(const char *point)
{
    const char *fp = getenv("SIB_FAILPOINT");
    size_t n = strlen(point);
    if (!fp || strncmp(fp, point, n) != 0 || fp[n] != ':')
        return;
    long ms = atol(fp + n + 1);
    sib_log_info("run", "failpoint=%s sleep_ms=%ld", point, ms);
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        break;      /* a signal ends the sleep: stop at this safe point */
}

static double clock_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Resident and peak resident memory of this process, in MiB (0 when
 * /proc is not there). */
static void memory_mib(long *rss, long *peak)
{
    *rss = *peak = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            *rss = strtol(line + 6, NULL, 10) >> 10;
        else if (strncmp(line, "VmHWM:", 6) == 0)
            *peak = strtol(line + 6, NULL, 10) >> 10;
    }
    fclose(f);
}

/* Logs how long the stage that started at *t0 took, and the memory, and
 * restarts the clock. */
static void lap(const char *stage, double *t0)
{
    double t = sib_seconds();
    long rss, peak;
    memory_mib(&rss, &peak);
    sib_log_info(stage, "seconds=%.2f rss_mib=%ld peak_rss_mib=%ld", t - *t0, rss, peak);
    *t0 = t;
}

static int check_stop(run_ctx *c, sib_error *err)
{
    if (c->o->stop && *c->o->stop)
        return sib_error_set(err, "interrupted");
    return SIB_OK;
}

/* ------------------------------------------------------------ set-up */

static int take_lock(run_ctx *c, sib_error *err)
{
    char got[8];
    if (sib_db_query_value(c->wdb, sib_sql_get("run_lock"), 0, NULL, got, sizeof got, err) != SIB_OK)
        return SIB_ERR;
    if (strcmp(got, "t") == 0)
        return SIB_OK;
    char holder[512] = "another sibatch process";
    PGresult *res;
    if (sib_db_query(c->wdb, sib_sql_get("run_lock_holder"), 0, NULL, &res, NULL) == SIB_OK) {
        if (PQntuples(res) > 0)
            snprintf(holder, sizeof holder, "run %s (pid %s on %s, as-of %s) since %s", PQgetvalue(res, 0, 0),
                     PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4));
        PQclear(res);
    }
    return sib_error_setc(err, SIB_EXIT_LOCKED, "another run holds the lock: %s", holder);
}

static int register_run(run_ctx *c, sib_error *err)
{
    const sib_run_opts *o = c->o;
    char last[16];
    if (sib_db_query_value(c->wdb, sib_sql_get("run_last_published"), 0, NULL, last, sizeof last, err) != SIB_OK)
        return SIB_ERR;
    int last_as_of = atoi(last);
    if (last_as_of && o->as_of < last_as_of && !o->force) {
        char a[8], l[8];
        sib_month_format(o->as_of, a);
        sib_month_format(last_as_of, l);
        return sib_error_setc(err, SIB_EXIT_USAGE,
                              "as-of %s is before the last published run (%s): refused; --force recomputes the campaign from %s",
                              a, l, a);
    }
    c->replace_from = last_as_of && o->as_of <= last_as_of ? o->as_of : 0;
    if (o->dry_run)
        return SIB_OK;
    if (sib_db_exec_file(c->wdb, "run_mark_stale", err) != SIB_OK)
        return SIB_ERR;
    char host[256] = "", pid[16], asof[16];
    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    snprintf(asof, sizeof asof, "%d", o->as_of);
    char *cfg = sib_config_to_json(o->cfg);
    const char *params[5] = { asof, host, pid, SIB_VERSION, cfg };
    PGresult *res;
    int rc = sib_db_query(c->wdb, sib_sql_get("run_insert"), 5, params, &res, err);
    free(cfg);
    if (rc != SIB_OK)
        return sib_error_prefix(err, "registering the run");
    c->run_id = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return SIB_OK;
}

/* ------------------------------------------------------------ stages */

/* The data-quality guard: no table may have more rejects than the share. */
static int guard(run_ctx *c, sib_error *err)
{
    const sib_source *s = c->src;
    static const char *const names[3] = { "enrollment", "contribution", "population" };
    long rows[3] = { (long)s->nenr, s->contrib_rows, (long)s->npop };
    char msg[900] = "";
    size_t used = 0;
    int tripped = 0;
    for (int t = 0; t < 3; t++) {
        long n = 0;
        for (int r = 1; r < SIB_REJ_COUNT; r++)
            if (r != SIB_REJ_OUT_OF_SCOPE)
                n += s->rejects[t][r];
        double share = rows[t] ? (double)n / (double)rows[t] : 0.0;
        if (share <= c->o->cfg->guard_reject_share)
            continue;
        tripped = 1;
        used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s %ld of %ld rows rejected (%.1f%% > %.1f%%):",
                                 used ? "; " : "", names[t], n, rows[t], 100 * share,
                                 100 * c->o->cfg->guard_reject_share);
        for (int r = 1; r < SIB_REJ_COUNT && used < sizeof msg; r++)
            if (s->rejects[t][r] && r != SIB_REJ_OUT_OF_SCOPE)
                used += (size_t)snprintf(msg + used, sizeof msg - used, " %s=%ld", sib_reject_reason_name(r),
                                         s->rejects[t][r]);
    }
    if (!tripped)
        return SIB_OK;
    return sib_error_setc(err, SIB_EXIT_GUARD, "data-quality guard tripped, nothing published: %s", msg);
}

static void employer_warnings(run_ctx *c)
{
    const sib_source *s = c->src;
    c->emp_warn = calloc(s->nemp ? s->nemp : 1, 1);
    if (!c->emp_warn)
        return;
    char town[10];
    for (size_t i = 0; i < s->nemp; i++) {
        const sib_employer *e = &s->emp[i];
        const char *why;
        if (sib_credit_validate(e->credit_code, &why) != 1)
            c->emp_warn[i] |= SIB_EMP_WARN_CREDIT;
        if (!sib_config_town(c->o->cfg, e->town_code, town))
            c->emp_warn[i] |= SIB_EMP_WARN_TOWN;
        if (!e->risk_class)
            c->emp_warn[i] |= SIB_EMP_WARN_RISK;
        for (int w = 0; w < 3; w++)
            c->emp_warn_n[w] += (c->emp_warn[i] >> w) & 1;
    }
}

/* Resolution record i, read from its source row (sib_person_source.get). */
static void rec_get(const void *ud, size_t i, sib_person_rec *out)
{
    const run_ctx *c = ud;
    const sib_source *s = c->src;
    if (i < c->nrecs_enr) {
        const sib_enrollment *e = &s->enr[c->rec_row[i]];
        *out = (sib_person_rec){ .source = SIB_SRC_ENROLLMENT, .source_id = e->id, .id_number = e->id_number,
                                 .name = e->name, .gender = e->gender, .birth_date = e->birth_date,
                                 .town_code = e->town_code, .unit_id = e->unit_id };
    } else {
        const sib_population *p = &s->pop[c->rec_row[i]];
        *out = (sib_person_rec){ .source = SIB_SRC_POPULATION, .source_id = p->id, .id_number = p->id_number,
                                 .name = p->name, .gender = p->gender, .birth_date = p->birth_date,
                                 .town_code = p->town_code, .unit_id = 0 };
    }
}

static int resolve(run_ctx *c, sib_error *err)
{
    sib_source *s = c->src;
    size_t cap = s->nenr + s->npop;
    c->rec_row = malloc((cap ? cap : 1) * sizeof *c->rec_row);
    c->res = calloc(cap ? cap : 1, sizeof *c->res);
    c->enr_rec = malloc((s->nenr ? s->nenr : 1) * sizeof *c->enr_rec);
    c->pop_rec = malloc((s->npop ? s->npop : 1) * sizeof *c->pop_rec);
    if (!c->rec_row || !c->res || !c->enr_rec || !c->pop_rec)
        return sib_error_set(err, "resolve: out of memory");
    for (size_t i = 0; i < s->nenr; i++) {
        c->enr_rec[i] = -1;
        if (s->enr[i].state != SIB_ROW_USABLE)
            continue;
        c->enr_rec[i] = (int32_t)c->nrecs;
        c->rec_row[c->nrecs++] = (int32_t)i;
    }
    c->nrecs_enr = c->nrecs;
    for (size_t i = 0; i < s->npop; i++) {
        c->pop_rec[i] = -1;
        if (s->pop[i].state != SIB_ROW_USABLE)
            continue;
        c->pop_rec[i] = (int32_t)c->nrecs;
        c->rec_row[c->nrecs++] = (int32_t)i;
    }
    sib_person_source recs = { c->nrecs, rec_get, c };
    c->resolver = sib_resolver_new(s->as_of, c->o->cfg->match_auto, c->o->cfg->match_review, err);
    if (c->resolver)
        sib_resolver_set_threads(c->resolver, c->o->cfg->threads);
    if (!c->resolver || sib_resolver_run_source(c->resolver, &recs, c->res, err) != SIB_OK)
        return sib_error_prefix(err, "resolve");

    /* the persons */
    size_t np = sib_resolver_npersons(c->resolver);
    sib_persons *P = &c->persons;
    P->n = np;
    P->ref = calloc(np ? np : 1, sizeof *P->ref);
    P->key = calloc(np ? np : 1, sizeof *P->key);
    P->pop = malloc((np ? np : 1) * sizeof *P->pop);
    P->deceased = calloc(np ? np : 1, 1);
    P->birth = calloc(np ? np : 1, sizeof *P->birth);
    c->arena = sib_arena_new(1u << 20);
    if (!P->ref || !P->key || !P->pop || !P->deceased || !P->birth || !c->arena)
        return sib_error_set(err, "resolve: out of memory");
    for (size_t p = 0; p < np; p++) {
        P->pop[p] = -1;
        const char *key = sib_resolver_person_key(c->resolver, (int32_t)p);
        if (key) {
            P->key[p] = P->ref[p] = key;
            P->birth[p] = sib_idnum_birth(key);
            c->rstats.keyed++;
        } else {
            sib_person_rec r;
            rec_get(c, (size_t)sib_resolver_person_first_record(c->resolver, (int32_t)p), &r);
            char buf[64];
            int n = snprintf(buf, sizeof buf, "UNRESOLVED-%s-%lld",
                             r.source == SIB_SRC_ENROLLMENT ? "enrollment" : "population", (long long)r.source_id);
            P->ref[p] = sib_arena_strndup(c->arena, buf, (size_t)n);
            if (!P->ref[p])
                return sib_error_set(err, "resolve: out of memory");
            P->birth[p] = sib_date_valid(r.birth_date) ? r.birth_date : 0;     /* -infinity: no age */
            c->rstats.unresolved++;
        }
    }
    c->rstats.persons = (long)np;
    for (size_t i = 0; i < c->nrecs; i++) {
        c->rstats.links[c->res[i].kind]++;
        if (c->res[i].id_status < 8)
            c->rstats.id_status[c->res[i].id_status]++;
    }
    c->rstats.review = (long)sib_resolver_nreview(c->resolver);
    for (size_t i = 0; i < s->nenr; i++)
        if (c->enr_rec[i] >= 0)
            s->enr[i].person = c->res[c->enr_rec[i]].person;
    int end_a = sib_month_last_day(s->as_of);
    /* A person is taken from their population row with the lowest pop_id
     * (definitions.md §2), and is known deceased when any of their rows
     * says so by the end of A (§4: "a linked population row"). */
    for (size_t i = 0; i < s->npop; i++) {
        if (c->pop_rec[i] < 0)
            continue;
        sib_population *row = &s->pop[i];
        int32_t p = row->person = c->res[c->pop_rec[i]].person;
        if (P->pop[p] < 0 || s->pop[P->pop[p]].id > row->id)
            P->pop[p] = (int32_t)i;
        if (row->deceased_on && row->deceased_on <= end_a)
            P->deceased[p] = 1;
    }
    return SIB_OK;
}

static void fill_manifest_input(run_ctx *c, sib_manifest_input *m)
{
    memset(m, 0, sizeof *m);
    m->run_id = c->run_id;
    m->as_of = c->o->as_of;
    snprintf(m->started_at, sizeof m->started_at, "%s", c->started_at);
    utc_now(m->finished_at);
    m->cfg = c->o->cfg;
    m->src = c->src;
    m->dedup = c->dedup;
    m->conflicts = c->conflicts;
    m->flags = c->flags;
    m->campaign = c->campaign;
    m->resolve = &c->rstats;
    m->extract = &c->extract;
    m->source_rows[0] = (long)c->src->nemp;
    m->source_rows[1] = (long)c->src->nenr;
    m->source_rows[2] = c->src->contrib_rows;
    m->source_rows[3] = (long)c->src->npop;
    m->emp_warn_credit = c->emp_warn_n[0];
    m->emp_warn_town = c->emp_warn_n[1];
    m->emp_warn_risk = c->emp_warn_n[2];
}

static void store_input(const run_ctx *c, sib_store_input *st)
{
    *st = (sib_store_input){ .run_id = c->run_id, .src = c->src, .persons = &c->persons, .res = c->res,
                             .rec_row = c->rec_row, .nrecs_enr = c->nrecs_enr, .enr_rec = c->enr_rec,
                             .pop_rec = c->pop_rec, .resolver = c->resolver, .dedup = c->dedup,
                             .conflicts = c->conflicts, .emp_warn = c->emp_warn, .stop = c->o->stop };
}

/* Opens the publishing transaction, stores what resolution decided and
 * loads the campaign's open targets (after undoing the runs this one
 * replaces): nothing of it needs the contributions. */
static int prepare_publication(run_ctx *c, double *store_seconds, double *campaign_seconds, sib_error *err)
{
    double t0 = sib_seconds();
    if (!c->in_txn) {
        if (sib_db_exec(c->wdb, "BEGIN", err) != SIB_OK)
            return SIB_ERR;
        c->in_txn = 1;
    }
    sib_store_input st;
    store_input(c, &st);
    if (sib_store_resolution(c->wdb, &st, err) != SIB_OK)
        return SIB_ERR;
    double t1 = sib_seconds();
    if (sib_campaign_load(c->wdb, c->run_id, c->replace_from, 0, &c->campaign, err) != SIB_OK)
        return SIB_ERR;
    *store_seconds = t1 - t0;
    *campaign_seconds = sib_seconds() - t1;
    c->prepared = 1;
    return SIB_OK;
}

typedef struct resolve_job {
    run_ctx *c;
    sib_contrib_read *read;     /* joined as its helper stream when the work is done */
    int on_thread;              /* 0: run before the read, so no helper */
    int alone;                  /* resolved before the read, on `threads` threads */
    int rc;
    sib_error err;
    double seconds, store_seconds, campaign_seconds;
    double cpu_seconds;     /* CPU time of resolution (all its threads when alone) */
    long rss;               /* MiB when resolution ended */
} resolve_job;

/* The resolve stage: with `threads` > 1 before the contribution read,
 * on that many threads (it then has the machine to itself); with one, on
 * the job's thread while the contributions stream (a core would idle
 * otherwise). */
static void resolve_now(resolve_job *j)
{
    run_ctx *c = j->c;
    clockid_t clk = j->alone ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID;
    double t0 = sib_seconds(), cpu0 = clock_s(clk);
    employer_warnings(c);
    j->rc = resolve(c, &j->err);
    j->seconds = sib_seconds() - t0;
    j->cpu_seconds = clock_s(clk) - cpu0;
    long peak;
    memory_mib(&j->rss, &peak);
}

/* The job's thread: resolution unless it ran alone; then, unless this is a dry run,
 * the publishing transaction is prepared on the write connection (idle
 * until publication); then, with read_streams 2, the thread streams
 * contributions from the table's far end on a connection of its own (the
 * core it used is free now: docs/performance.md). */
static void *resolve_main(void *ud)
{
    resolve_job *j = ud;
    run_ctx *c = j->c;
    if (!j->alone)
        resolve_now(j);
    if (j->rc == SIB_OK && !c->o->dry_run && !(c->o->stop && *c->o->stop))
        j->rc = prepare_publication(c, &j->store_seconds, &j->campaign_seconds, &j->err);
    if (j->rc == SIB_OK && j->on_thread && c->o->cfg->read_streams > 1)
        j->rc = sib_contrib_read_help(j->read, c->o->dsn, &j->err);
    return NULL;
}

/* The rest of the store (rejects, duplicates, person-schemes, conflicts)
 * on the write connection, on a thread of its own from the end of the read:
 * each part waits at a gate until the stage that computes it is done, so
 * the server stores while the client computes. A failed run aborts it. */
enum { GATE_READ, GATE_DEDUP, GATE_CONFLICTS };     /* the read is done when the thread starts */

typedef struct store_job {
    run_ctx *c;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int gate;               /* the last stage done (GATE_*) */
    int aborted, joined;
    sib_store_input in;     /* dedup and conflicts: NULL until their gates open */
    int rc;
    sib_error err;
    double seconds;
} store_job;

/* Waits for the stage; then takes what it computed into the store's input
 * (the rest of it was there at the end of the read). */
static int store_wait(store_job *j, int gate, sib_error *err)
{
    pthread_mutex_lock(&j->lock);
    while (j->gate < gate && !j->aborted)
        pthread_cond_wait(&j->cond, &j->lock);
    int aborted = j->aborted;
    pthread_mutex_unlock(&j->lock);
    if (aborted)
        return sib_error_set(err, "the run failed");
    if (gate == GATE_DEDUP)
        j->in.dedup = j->c->dedup;
    else if (gate == GATE_CONFLICTS)
        j->in.conflicts = j->c->conflicts;
    return SIB_OK;
}

static void *store_main(void *ud)
{
    store_job *j = ud;
    double t0 = sib_seconds();
    sib_db *db = j->c->wdb;
    j->rc = sib_store_rejects(db, &j->in, &j->err) == SIB_OK &&
            store_wait(j, GATE_DEDUP, &j->err) == SIB_OK && sib_store_duplicates(db, &j->in, &j->err) == SIB_OK &&
            store_wait(j, GATE_CONFLICTS, &j->err) == SIB_OK && sib_store_schemes(db, &j->in, &j->err) == SIB_OK
                ? SIB_OK : SIB_ERR;
    j->seconds = sib_seconds() - t0;
    return NULL;
}

static int store_start(run_ctx *c, sib_error *err)
{
    store_job *j = calloc(1, sizeof *j);
    if (!j)
        return sib_error_set(err, "store: out of memory");
    j->c = c;
    store_input(c, &j->in);
    j->in.dedup = NULL;
    j->in.conflicts = NULL;
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->cond, NULL);
    if (pthread_create(&j->thread, NULL, store_main, j) != 0) {
        pthread_cond_destroy(&j->cond);
        pthread_mutex_destroy(&j->lock);
        free(j);
        return sib_error_set(err, "store: cannot start its thread");
    }
    c->store = j;
    return SIB_OK;
}

static void store_gate(run_ctx *c, int gate)
{
    store_job *j = c->store;
    if (!j)
        return;
    pthread_mutex_lock(&j->lock);
    j->gate = gate;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
}

/* Joins the store's thread (abort: telling it the run failed first);
 * then the write connection is the caller's again. */
static void store_finish(run_ctx *c, int abort)
{
    store_job *j = c->store;
    if (!j || j->joined)
        return;
    if (abort) {
        pthread_mutex_lock(&j->lock);
        j->aborted = 1;
        pthread_cond_broadcast(&j->cond);
        pthread_mutex_unlock(&j->lock);
    }
    pthread_join(j->thread, NULL);
    j->joined = 1;
}

static void store_free(run_ctx *c)
{
    store_job *j = c->store;
    if (!j)
        return;
    store_finish(c, 1);
    pthread_cond_destroy(&j->cond);
    pthread_mutex_destroy(&j->lock);
    free(j);
    c->store = NULL;
}

/* Computes every stage on the snapshot; nothing is written. Resolution needs
 * only the rolls: on `threads` threads before the contribution table
 * streams in, or with one thread while it does (resolve_now). */
static int compute(run_ctx *c, sib_error *err)
{
    const sib_run_opts *o = c->o;
    c->rdb = sib_db_connect(o->dsn, "sibatch run (read)", err);
    if (!c->rdb)
        return SIB_ERR;
    double t0 = sib_seconds();
    c->src = sib_source_open(c->rdb, o->as_of, o->stop, err);
    if (!c->src)
        return SIB_ERR;
    long rss, peak;
    memory_mib(&rss, &peak);
    sib_log_info("read", "rolls_seconds=%.2f rss_mib=%ld", sib_seconds() - t0, rss);
    /* The rolls' arrays grew by doubling, which moves pages without touching
     * them only while large blocks are mapped on their own; from here on
     * what a stage frees is kept for the next (docs/performance.md). */
    sib_mem_keep_freed();
    sib_read_opts ro = { o->cfg->read_streams, o->cfg->read_recent_rows, 0 };
    resolve_job job = { .c = c, .read = sib_contrib_read_new(c->src, c->rdb, &ro, o->stop, err) };
    if (!job.read)
        return SIB_ERR;
    pthread_t thread;
    if (o->cfg->threads > 1) {
        job.alone = 1;
        resolve_now(&job);
        if (job.rc != SIB_OK) {
            sib_contrib_read_free(job.read);
            *err = job.err;
            return SIB_ERR;
        }
        t0 += job.seconds;      /* the read stage: the rolls and the contributions */
    }
    job.on_thread = 1;
    int threaded = pthread_create(&thread, NULL, resolve_main, &job) == 0;
    if (!threaded) {
        job.on_thread = 0;
        resolve_main(&job);
    }
    int rc = sib_contrib_read_run(job.read, err);
    if (threaded)
        pthread_join(thread, NULL);
    sib_contrib_read_free(job.read);
    if (rc != SIB_OK)
        return SIB_ERR;
    if (job.rc != SIB_OK) {
        *err = job.err;
        return SIB_ERR;
    }
    sib_log_info("resolve", "seconds=%.2f cpu_seconds=%.2f threads=%d overlapped_with=%s rss_mib=%ld",
                 job.seconds, job.cpu_seconds, job.alone ? o->cfg->threads : 1,
                 job.alone ? "none" : "read", job.rss);
    if (c->prepared) {
        sib_log_info("store", "part=resolution seconds=%.2f overlapped_with=read", job.store_seconds);
        sib_log_info("campaign", "part=load seconds=%.2f overlapped_with=read", job.campaign_seconds);
    }
    lap("read", &t0);
    failpoint("after_read");
    if (guard(c, err) != SIB_OK || check_stop(c, err) != SIB_OK)
        return SIB_ERR;
    if (c->prepared && store_start(c, err) != SIB_OK)
        return SIB_ERR;
    /* What resolution and the read left free is scattered between what they
     * keep; dedup's largest array (64 bytes a person-scheme) may find no
     * hole for it and grow the process past its peak. Given back first,
     * those pages cannot add to it (a few ms; docs/performance.md). */
    size_t freed = sib_mem_trim();
    sib_log_debug("dedup", "heap_free_returned_mib=%zu", freed >> 20);
    if (sib_dedup_run(c->src, c->persons.n, c->persons.deceased, o->cfg, &c->dedup, err) != SIB_OK)
        return SIB_ERR;
    store_gate(c, GATE_DEDUP);
    sib_source_drop_paid(c->src);        /* folded into the person-schemes */
    lap("dedup", &t0);
    if (sib_conflict_run(c->dedup, c->src, c->rdb, &c->conflicts, err) != SIB_OK ||
        sib_source_finish(c->src, c->rdb, err) != SIB_OK || check_stop(c, err) != SIB_OK)
        return SIB_ERR;
    store_gate(c, GATE_CONFLICTS);
    sib_dedup_drop_paid(c->dedup);
    lap("conflict", &t0);
    if (sib_clearing_flag(c->src, c->dedup, &c->persons, o->cfg, &c->flags, err) != SIB_OK)
        return SIB_ERR;
    lap("clearing", &t0);
    return SIB_OK;
}


/* Writes files and tables, commits, links. */
static int publish(run_ctx *c, sib_error *err)
{
    const sib_run_opts *o = c->o;
    sib_extract_input in = { c->src, c->dedup, &c->persons, c->flags, o->cfg };
    double t0 = sib_seconds();
    if (!c->prepared || !c->store)      /* compute prepares them, or the run has failed */
        return sib_error_set(err, "publish: the publishing transaction was not prepared");
    double t1 = sib_seconds(), t_campaign = 0.0;
    /* The write connection stores the rest (since the end of the read)
     * while this thread diffs the campaign and writes the files; then the
     * campaign's changes. */
    store_job *sj = c->store;
    int files_rc = SIB_ERR;
    if (sib_campaign_diff(c->campaign, c->flags, c->dedup, &c->persons, c->src, err) == SIB_OK &&
        check_stop(c, err) == SIB_OK) {
        t_campaign = sib_seconds() - t1;
        t1 = sib_seconds();
        if (sib_publish_staging(o->out_dir, c->run_id, c->staging, sizeof c->staging, err) == SIB_OK &&
            sib_extract_write(c->staging, &in, &c->extract, err) == SIB_OK &&
            sib_extract_clearing(c->staging, &in, &c->extract, err) == SIB_OK)
            files_rc = check_stop(c, err);
        sib_log_info("extract", "seconds=%.2f overlapped_with=store", sib_seconds() - t1);
    }
    store_finish(c, files_rc != SIB_OK);
    if (files_rc != SIB_OK)
        return SIB_ERR;
    if (sj->rc != SIB_OK) {
        *err = sj->err;
        return SIB_ERR;
    }
    sib_log_info("store", "seconds=%.2f started=end_of_read", sj->seconds);
    failpoint("after_store");
    t1 = sib_seconds();
    if (sib_campaign_apply(c->campaign, c->wdb, c->run_id, o->as_of, c->flags, &c->persons, err) != SIB_OK)
        return SIB_ERR;
    t_campaign += sib_seconds() - t1;
    sib_log_info("campaign", "seconds=%.2f", t_campaign);
    lap("publish", &t0);
    if (check_stop(c, err) != SIB_OK)
        return SIB_ERR;

    sib_manifest_input mi;
    fill_manifest_input(c, &mi);
    char sha[65];
    char *text = sib_manifest_json(&mi);
    if (!text)
        return sib_error_set(err, "manifest: out of memory");
    if (sib_manifest_write(c->staging, text, sha, err) != SIB_OK) {
        free(text);
        return SIB_ERR;
    }
    /* The managers' page is derived from the manifest, so it comes after it
     * (and is not listed in it); a failure there does not stop publication. */
    char mpath[4096 + 16];
    snprintf(mpath, sizeof mpath, "%s/manifest.json", c->staging);
    sib_error rerr = { 0 };
    if (sib_report_write_in(mpath, o->out_dir, NULL, &rerr) != SIB_OK)
        sib_log_warn("report", "error=\"%s\"", rerr.msg);
    char final_dir[4096];
    if (sib_publish_seal(o->out_dir, c->staging, o->as_of, c->run_id, final_dir, sizeof final_dir, err) != SIB_OK) {
        free(text);
        return SIB_ERR;
    }
    c->staging[0] = '\0';

    char rid[24];
    snprintf(rid, sizeof rid, "%lld", (long long)c->run_id);
    const char *params[4] = { rid, final_dir, sha, text };
    int rc = sib_db_query(c->wdb, sib_sql_get("run_published"), 4, params, NULL, err);
    free(text);
    failpoint("before_commit");
    if (rc != SIB_OK || check_stop(c, err) != SIB_OK) {
        sib_fsx_remove_tree(final_dir, NULL);
        return SIB_ERR;
    }
    if (sib_db_exec(c->wdb, "COMMIT", err) != SIB_OK) {
        c->in_txn = 0;
        sib_fsx_remove_tree(final_dir, NULL);
        return sib_error_prefix(err, "commit");
    }
    c->in_txn = 0;
    lap("commit", &t0);
    failpoint("after_commit");
    /* Point of no return: the database says published; link the files. */
    if (sib_publish_link(o->out_dir, o->as_of, final_dir, err) != SIB_OK)
        return sib_error_prefix(err, "published in the database, but the link failed (the next run repairs it)");
    sib_publish_cleanup(o->out_dir, o->as_of, final_dir);
    return SIB_OK;
}

static void print_summary(run_ctx *c, FILE *f)
{
    sib_manifest_input mi;
    fill_manifest_input(c, &mi);
    char *text = sib_manifest_json(&mi);
    if (text) {
        fprintf(f, "%s\n", text);
        free(text);
    }
}

/* Records a failed or aborted run (best effort, outside any transaction). */
static void record_failure(run_ctx *c, const sib_error *err)
{
    store_finish(c, 1);         /* the write connection is this thread's again */
    if (c->in_txn)
        sib_db_exec(c->wdb, "ROLLBACK", NULL);
    c->in_txn = 0;
    if (c->staging[0])
        sib_fsx_remove_tree(c->staging, NULL);
    if (!c->run_id || !c->wdb)
        return;
    const char *status = err->code == SIB_EXIT_GUARD ? "guard"
                         : (c->o->stop && *c->o->stop) ? "aborted" : "failed";
    char rid[24];
    snprintf(rid, sizeof rid, "%lld", (long long)c->run_id);
    const char *params[3] = { rid, status, err->msg };
    sib_db_query(c->wdb, sib_sql_get("run_failed"), 3, params, NULL, NULL);
}

int sib_run_nightly(const sib_run_opts *o, sib_error *err)
{
    run_ctx c = { .o = o };
    utc_now(c.started_at);
    int rc = SIB_ERR;
    c.wdb = sib_db_connect(o->dsn, "sibatch run", err);
    if (!c.wdb)
        goto done;
    int version = sib_schema_version(c.wdb, err);
    if (version < 0)
        goto done;
    if (version < SIB_SCHEMA_VERSION) {     /* missing or older: create or upgrade it */
        if (o->dry_run) {       /* writes nothing, so it does not upgrade either */
            if (version)
                sib_error_set(err, "schema sibatch is at version %d, this sibatch needs %d: run 'sibatch "
                                   "init-db' first", version, SIB_SCHEMA_VERSION);
            else
                sib_error_set(err, "schema sibatch is missing: run 'sibatch init-db' first");
            goto done;
        }
        if (sib_schema_init(c.wdb, err) != SIB_OK)
            goto done;
    }
    if (take_lock(&c, err) != SIB_OK || register_run(&c, err) != SIB_OK)
        goto done;
    if (!o->dry_run)
        sib_publish_repair(c.wdb, o->out_dir);
    sib_log_info("run", "run_id=%lld as_of=%d dry_run=%d", (long long)c.run_id, o->as_of, o->dry_run);
    if (compute(&c, err) != SIB_OK)
        goto done;
    if (o->dry_run) {
        /* the campaign's diff inside a transaction that is rolled back */
        if (sib_db_exec(c.wdb, "BEGIN", err) != SIB_OK)
            goto done;
        c.in_txn = 1;
        if (sib_campaign_load(c.wdb, 0, c.replace_from, 1, &c.campaign, err) != SIB_OK ||
            sib_campaign_diff(c.campaign, c.flags, c.dedup, &c.persons, c.src, err) != SIB_OK)
            goto done;
        sib_db_exec(c.wdb, "ROLLBACK", NULL);
        c.in_txn = 0;
        sib_extract_input in = { c.src, c.dedup, &c.persons, c.flags, o->cfg };
        sib_extract_totals(&in, c.extract.totals);
        print_summary(&c, stdout);
        rc = SIB_OK;
        goto done;
    }
    if (publish(&c, err) != SIB_OK)
        goto done;
    char m[8];
    sib_month_format(o->as_of, m);
    sib_log_info("run", "status=published run_id=%lld dir=%s/%s files=%zu", (long long)c.run_id, o->out_dir, m,
                 c.extract.nfiles);
    rc = SIB_OK;
done:
    if (rc != SIB_OK) {
        if (o->stop && *o->stop)
            err->code = *o->stop;       /* 130 or 143 */
        record_failure(&c, err);
    }
    ctx_free(&c);
    return rc;
}
