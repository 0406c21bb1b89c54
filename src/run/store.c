/* store.c — the run's detail into sibatch's current tables (include/run/store.h). */
#include "run/store.h"
#include "common/copybin.h"
#include "common/log.h"
#include "common/month.h"
#include "common/sql.h"
#include "extract/extract.h"
#include "resolve/idnum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (4u << 20)

static const char *const link_kinds[] = { "exact", "normalized", "probable", "unresolved" };

/* A COPY in progress, flushed in pieces so memory stays flat. */
typedef struct copy_out {
    sib_db *db;
    sib_buf b;
    const char *table;
    volatile sig_atomic_t *stop;
    int binary;             /* FORMAT binary: a header first, a trailer last */
    double t0;              /* sib_seconds() at the start */
} copy_out;

static int copy_begin(copy_out *c, sib_db *db, const sib_store_input *in, const char *sqlname,
                      const char *table, int binary, sib_error *err)
{
    memset(c, 0, sizeof *c);
    c->db = db;
    c->table = table;
    c->stop = in->stop;
    c->binary = binary;
    c->t0 = sib_seconds();
    if (sib_db_copy_in_begin(db, sib_sql_get(sqlname), err) != SIB_OK)
        return sib_error_prefix(err, "storing %s", table);
    if (binary)
        sib_bin_header(&c->b);
    return SIB_OK;
}

/* Gives the COPY up (the transaction is rolled back after) and says why. */
static int copy_fail(copy_out *c, sib_error *err, const char *why)
{
    sib_db_copy_in_abort(c->db, why);
    sib_buf_free(&c->b);
    if (why)
        sib_error_set(err, "%s", why);
    return sib_error_prefix(err, "storing %s", c->table);
}

static int copy_row_done(copy_out *c, sib_error *err)
{
    if (c->b.failed)        /* an append of the row ran out of memory */
        return copy_fail(c, err, "out of memory");
    if (c->b.len < FLUSH_AT)
        return SIB_OK;
    if (c->stop && *c->stop)
        return copy_fail(c, err, "interrupted");
    int rc = sib_db_copy_in_put(c->db, c->b.data, c->b.len, err);
    c->b.len = 0;
    return rc == SIB_OK ? SIB_OK : copy_fail(c, err, NULL);
}

static int copy_end(copy_out *c, sib_error *err)
{
    int rc = SIB_OK;
    if (c->binary)
        sib_bin_trailer(&c->b);
    if (c->b.failed)
        return copy_fail(c, err, "out of memory");
    if (c->b.len)
        rc = sib_db_copy_in_put(c->db, c->b.data, c->b.len, err);
    if (sib_db_copy_in_end(c->db, err) != SIB_OK)
        rc = SIB_ERR;
    sib_buf_free(&c->b);
    sib_log_debug("store", "table=%s seconds=%.2f", c->table, sib_seconds() - c->t0);
    return rc == SIB_OK ? SIB_OK : sib_error_prefix(err, "storing %s", c->table);
}

/* Rows are formatted with these rather than printf: millions of rows. */
static void put_int_tab(sib_buf *b, int64_t v)
{
    sib_buf_int(b, v);
    sib_buf_put(b, "\t", 1);
}

static void put_str_tab(sib_buf *b, const char *s)
{
    sib_buf_puts(b, s);
    sib_buf_put(b, "\t", 1);
}

static void put_bool_tab(sib_buf *b, int v)
{
    sib_buf_put(b, v ? "t\t" : "f\t", 2);
}

static void put_link(sib_buf *b, const sib_resolution *res)
{
    char ev[256];
    put_str_tab(b, link_kinds[res->kind]);
    put_str_tab(b, res->id_status ? sib_idnum_reason((sib_id_status)res->id_status) : "valid");
    if (res->kind == SIB_LINK_PROBABLE || res->score != 0)
        sib_buf_printf(b, "%.3f\t", (double)res->score);
    else
        sib_buf_puts(b, "\\N\t");
    if (res->evidence) {
        sib_resolver_evidence_text(res->evidence, ev, sizeof ev);
        sib_copy_field(b, ev);
    } else {
        sib_buf_puts(b, "\\N");
    }
}

static int store_persons(sib_db *db, const sib_store_input *in, sib_error *err)
{
    copy_out c;
    if (copy_begin(&c, db, in, "store_person", "person", 0, err) != SIB_OK)
        return SIB_ERR;
    for (size_t p = 0; p < in->persons->n; p++) {
        put_int_tab(&c.b, in->run_id);
        put_int_tab(&c.b, (int64_t)p);
        sib_copy_field(&c.b, in->persons->ref[p]);
        sib_buf_puts(&c.b, "\t");
        sib_copy_field(&c.b, in->persons->key[p]);
        sib_buf_puts(&c.b, "\n");
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    return copy_end(&c, err);
}

static int store_enrollment_links(sib_db *db, const sib_store_input *in, sib_error *err)
{
    const sib_source *src = in->src;
    copy_out c;
    if (copy_begin(&c, db, in, "store_enrollment_link", "enrollment_link", 0, err) != SIB_OK)
        return SIB_ERR;
    for (size_t i = 0; i < src->nenr; i++) {
        const sib_enrollment *e = &src->enr[i];
        int32_t ri = in->enr_rec[i];
        put_int_tab(&c.b, in->run_id);
        put_int_tab(&c.b, e->id);
        if (ri >= 0) {
            put_int_tab(&c.b, e->person);
            put_bool_tab(&c.b, e->state == SIB_ROW_USABLE);
            put_link(&c.b, &in->res[ri]);
        } else {
            sib_buf_puts(&c.b, "\\N\tf\t\\N\tnot_checked\t\\N\t\\N");
        }
        sib_buf_put(&c.b, "\n", 1);
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    return copy_end(&c, err);
}

/* The rows of the clusters of two or more enrollments. */
int sib_store_duplicates(sib_db *db, const sib_store_input *in, sib_error *err)
{
    const sib_source *src = in->src;
    const sib_dedup *d = in->dedup;
    int32_t *size = calloc((size_t)d->nclusters + 1, sizeof *size);
    if (size == NULL)
        return sib_error_set(err, "store: out of memory for %ld cluster sizes", d->nclusters);
    for (size_t i = 0; i < src->nenr; i++)
        if (d->cluster[i] >= 0)
            size[d->cluster[i]]++;
    copy_out c;
    int rc = copy_begin(&c, db, in, "store_duplicate", "duplicate", 0, err);
    for (size_t i = 0; rc == SIB_OK && i < src->nenr; i++) {
        if (d->cluster[i] < 0 || size[d->cluster[i]] < 2)
            continue;
        const sib_enrollment *e = &src->enr[i];
        put_int_tab(&c.b, in->run_id);
        put_int_tab(&c.b, e->id);
        put_int_tab(&c.b, e->person);
        put_str_tab(&c.b, sib_scheme_code(e->scheme));
        put_int_tab(&c.b, d->cluster[i]);
        sib_buf_int(&c.b, src->enr[d->survivor[i]].id);
        sib_buf_put(&c.b, "\n", 1);
        rc = copy_row_done(&c, err);
    }
    free(size);
    return rc == SIB_OK ? copy_end(&c, err) : SIB_ERR;
}

static int store_population_links(sib_db *db, const sib_store_input *in, sib_error *err)
{
    const sib_source *src = in->src;
    copy_out c;
    if (copy_begin(&c, db, in, "store_population_link", "population_link", 0, err) != SIB_OK)
        return SIB_ERR;
    for (size_t i = 0; i < src->npop; i++) {
        const sib_population *p = &src->pop[i];
        int32_t ri = in->pop_rec[i];
        put_int_tab(&c.b, in->run_id);
        put_int_tab(&c.b, p->id);
        if (ri >= 0) {
            put_int_tab(&c.b, p->person);
            put_link(&c.b, &in->res[ri]);
        } else {
            sib_buf_puts(&c.b, "\\N\t\\N\tnot_checked\t\\N\t\\N");
        }
        sib_buf_puts(&c.b, "\n");
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    return copy_end(&c, err);
}

static int store_person_schemes(sib_db *db, const sib_store_input *in, sib_error *err)
{
    const sib_dedup *d = in->dedup;
    copy_out c;
    if (copy_begin(&c, db, in, "store_person_scheme", "person_scheme", 1, err) != SIB_OK)
        return SIB_ERR;
    for (size_t i = 0; i < d->nps; i++) {
        const sib_ps *ps = &d->ps[i];
        const sib_enrollment *rec = &in->src->enr[ps->record];
        sib_buf *b = &c.b;
        static const char *const risk[9] = { "unknown", "1", "2", "3", "4", "5", "6", "7", "8" };
        sib_bin_row(b, 19);
        sib_bin_int8(b, in->run_id);
        sib_bin_int4(b, ps->person);
        sib_bin_text(b, sib_scheme_code(ps->scheme));
        sib_bin_int8(b, rec->id);
        sib_bin_text(b, ps->town);
        sib_bin_text(b, ps->scheme != SIB_S410 ? NULL : risk[ps->risk_class >= 1 && ps->risk_class <= 8 ? ps->risk_class : 0]);
        sib_bin_int8_or_null(b, rec->unit_id);
        sib_bin_text(b, rec->worker_category);
        sib_bin_bool(b, ps->insured);
        sib_bin_bool(b, ps->beneficiary);
        sib_bin_bool(b, ps->lapsed);
        sib_bin_bool(b, ps->contributing);
        sib_bin_int4_or_null(b, ps->last_paid);
        sib_bin_int4(b, ps->months_unpaid);
        sib_bin_int4(b, ps->clusters);
        sib_bin_int4(b, ps->duplicates);
        sib_bin_bool(b, ps->conflict);
        sib_bin_money(b, ps->refund);
        sib_bin_money(b, ps->sum12);
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    return copy_end(&c, err);
}

static int store_conflicts(sib_db *db, const sib_store_input *in, sib_error *err)
{
    copy_out c;
    if (copy_begin(&c, db, in, "store_conflict_month", "conflict_month", 0, err) != SIB_OK)
        return SIB_ERR;
    for (size_t i = 0; i < in->conflicts->n; i++) {
        const sib_conflict_month *m = &in->conflicts->v[i];
        put_int_tab(&c.b, in->run_id);
        put_int_tab(&c.b, m->person);
        put_int_tab(&c.b, m->month);
        put_str_tab(&c.b, m->kind == SIB_CONFLICT_REFUND ? "refund" : "employee_institution");
        sib_buf_cents(&c.b, m->refund);
        sib_buf_put(&c.b, "\n", 1);
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    return copy_end(&c, err);
}

static int store_review(sib_db *db, const sib_store_input *in, sib_error *err)
{
    copy_out c;
    if (copy_begin(&c, db, in, "store_review", "review", 0, err) != SIB_OK)
        return SIB_ERR;
    size_t n = sib_resolver_nreview(in->resolver);
    for (size_t i = 0; i < n; i++) {
        size_t rec;
        int32_t cand;
        float score;
        uint32_t evidence;
        char ev[256];
        sib_resolver_review(in->resolver, i, &rec, &cand, &score, &evidence);
        int enr = rec < in->nrecs_enr;
        int64_t id = enr ? in->src->enr[in->rec_row[rec]].id : in->src->pop[in->rec_row[rec]].id;
        sib_buf_printf(&c.b, "%lld\t%s\t%lld\t%d\t%.3f\t", (long long)in->run_id,
                       enr ? "enrollment" : "population", (long long)id, cand, (double)score);
        sib_copy_field(&c.b, sib_resolver_evidence_text(evidence, ev, sizeof ev));
        sib_buf_puts(&c.b, "\n");
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    return copy_end(&c, err);
}

/* One rejected contribution row of sibatch.reject: key enrollment_id:period,
 * a NULL part left empty; paid_on empty when NULL. */
typedef struct contrib_reject_ctx {
    copy_out *c;
    long long run;
    int copy_failed;        /* the COPY failed (and was given up), not the reading */
} contrib_reject_ctx;

static int store_contrib_reject(const sib_contrib_reject *r, void *ud, sib_error *err)
{
    contrib_reject_ctx *x = ud;
    char amt[32], id[24] = "", per[16] = "", paid[16] = "";
    sib_money(r->amount, amt, sizeof amt);
    if (!(r->nulls & SIB_CREJ_NULL_ID))
        snprintf(id, sizeof id, "%lld", (long long)r->enrollment_id);
    if (!(r->nulls & SIB_CREJ_NULL_PERIOD))
        snprintf(per, sizeof per, "%d", r->period);
    if (r->paid_on == SIB_DATE_BEFORE_ALL || r->paid_on == SIB_DATE_AFTER_ALL)
        snprintf(paid, sizeof paid, "%s", r->paid_on == SIB_DATE_BEFORE_ALL ? "-infinity" : "infinity");
    else if (r->paid_on)
        snprintf(paid, sizeof paid, "%d", r->paid_on);
    sib_buf_printf(&x->c->b, "%lld\tcontribution\t%s:%s\t%s\treject\tpaid_on=%s amount=%s\n", x->run, id, per,
                   sib_reject_reason_name(r->reason), paid, amt);
    if (copy_row_done(x->c, err) != SIB_OK) {
        x->copy_failed = 1;
        return SIB_ERR;
    }
    return SIB_OK;
}

int sib_store_rejects(sib_db *db, const sib_store_input *in, sib_error *err)
{
    const sib_source *src = in->src;
    copy_out c;
    if (copy_begin(&c, db, in, "store_reject", "reject", 0, err) != SIB_OK)
        return SIB_ERR;
    long long run = (long long)in->run_id;
    for (size_t i = 0; i < src->nenr; i++) {
        const sib_enrollment *e = &src->enr[i];
        if (e->state != SIB_ROW_REJECTED && e->state != SIB_ROW_OUT_OF_SCOPE)
            continue;
        sib_buf_printf(&c.b, "%lld\tenrollment\t%lld\t%s\t%s\t\\N\n", run, (long long)e->id,
                       sib_reject_reason_name(e->reason), e->state == SIB_ROW_REJECTED ? "reject" : "out_of_scope");
        if (copy_row_done(&c, err) != SIB_OK)
            return SIB_ERR;
    }
    contrib_reject_ctx x = { &c, run, 0 };
    if (sib_rejlog_each(src->crej, store_contrib_reject, &x, err) != SIB_OK)
        return x.copy_failed ? SIB_ERR : copy_fail(&c, err, NULL);
    for (size_t i = 0; i < src->npop; i++)
        if (src->pop[i].state == SIB_ROW_REJECTED) {
            sib_buf_printf(&c.b, "%lld\tpopulation\t%lld\t%s\treject\t\\N\n", run, (long long)src->pop[i].id,
                           sib_reject_reason_name(src->pop[i].reason));
            if (copy_row_done(&c, err) != SIB_OK)
                return SIB_ERR;
        }
    static const char *const warn_names[] = { "credit_code", "town", "risk_class" };
    for (size_t i = 0; i < src->nemp; i++)
        for (int w = 0; w < 3; w++)
            if (in->emp_warn && (in->emp_warn[i] & (1 << w))) {
                sib_buf_printf(&c.b, "%lld\temployer\t%lld\t%s\twarning\t\\N\n", run,
                               (long long)src->emp[i].unit_id, warn_names[w]);
                if (copy_row_done(&c, err) != SIB_OK)
                    return SIB_ERR;
            }
    return copy_end(&c, err);
}

int sib_store_resolution(sib_db *db, const sib_store_input *in, sib_error *err)
{
    if (sib_db_exec_file(db, "store_truncate", err) != SIB_OK ||
        store_persons(db, in, err) != SIB_OK ||
        store_enrollment_links(db, in, err) != SIB_OK ||
        store_population_links(db, in, err) != SIB_OK ||
        store_review(db, in, err) != SIB_OK ||
        sib_db_exec_file(db, "store_index_resolution", err) != SIB_OK)
        return SIB_ERR;
    sib_log_info("store", "persons=%zu enrollment_links=%zu population_links=%zu review=%zu", in->persons->n,
                 in->src->nenr, in->src->npop, sib_resolver_nreview(in->resolver));
    return SIB_OK;
}

int sib_store_schemes(sib_db *db, const sib_store_input *in, sib_error *err)
{
    if (store_person_schemes(db, in, err) != SIB_OK ||
        store_conflicts(db, in, err) != SIB_OK ||
        sib_db_exec_file(db, "store_index", err) != SIB_OK)
        return SIB_ERR;
    sib_log_info("store", "duplicates=%ld person_schemes=%zu conflict_months=%zu", in->dedup->nduplicates,
                 in->dedup->nps, in->conflicts->n);
    return SIB_OK;
}
