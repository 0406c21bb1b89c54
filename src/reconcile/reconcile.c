/* reconcile.c — the checks of `sibatch reconcile` (include/reconcile/reconcile.h). */
#include "reconcile/reconcile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/arena.h"
#include "common/json.h"
#include "common/sql.h"
#include "reconcile/csvread.h"
#include "reconcile/filecheck.h"

#define RC_MAXCOLS 16

struct sib_recon {
    sib_recon_item *items;
    size_t n, cap;
    size_t mismatches, skipped;
    char manifest[512];
    char as_of[8];          /* YYYY-MM */
    long run_id;
};

/* ------------------------------------------------------------------ items */

sib_recon *sib_recon_new(void)
{
    sib_recon *r = calloc(1, sizeof *r);
    if (r)
        r->run_id = -1;
    return r;
}

void sib_recon_free(sib_recon *r)
{
    if (!r)
        return;
    free(r->items);
    free(r);
}

size_t sib_recon_count(const sib_recon *r) { return r->n; }
size_t sib_recon_mismatches(const sib_recon *r) { return r->mismatches; }
size_t sib_recon_skipped(const sib_recon *r) { return r->skipped; }
const sib_recon_item *sib_recon_item_at(const sib_recon *r, size_t i) { return i < r->n ? &r->items[i] : NULL; }

int sib_recon_add(sib_recon *r, const char *check, const char *file, const char *scheme,
                  const char *town, const char *column, const char *expected, const char *found,
                  int status)
{
    sib_recon_item *it = sib_append((void **)&r->items, &r->cap, &r->n, sizeof *r->items);
    if (!it)
        return SIB_ERR;
    snprintf(it->check, sizeof it->check, "%s", check ? check : "");
    snprintf(it->file, sizeof it->file, "%s", file ? file : "");
    snprintf(it->scheme, sizeof it->scheme, "%s", scheme ? scheme : "");
    snprintf(it->town, sizeof it->town, "%s", town ? town : "");
    snprintf(it->column, sizeof it->column, "%s", column ? column : "");
    snprintf(it->expected, sizeof it->expected, "%s", expected ? expected : "");
    snprintf(it->found, sizeof it->found, "%s", found ? found : "");
    it->status = status;
    if (status == SIB_RECON_MISMATCH)
        r->mismatches++;
    else if (status == SIB_RECON_SKIPPED)
        r->skipped++;
    return SIB_OK;
}

/* Adds an item whose status is whether expected equals found. */
static int add_cmp(sib_recon *r, sib_error *err, const char *check, const char *file, const char *scheme,
                   const char *town, const char *column, const char *expected, const char *found)
{
    int st = strcmp(expected, found) == 0 ? SIB_RECON_MATCH : SIB_RECON_MISMATCH;
    if (sib_recon_add(r, check, file, scheme, town, column, expected, found, st) != SIB_OK)
        return sib_error_set(err, "reconcile: out of memory");
    return SIB_OK;
}

/* ---------------------------------------------------------------- numbers */

int sib_recon_parse_number(const char *s, long long *value, int *money)
{
    if (!s || !*s)
        return SIB_ERR;
    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (*p < '0' || *p > '9')
        return SIB_ERR;
    long long v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (long long)9e16)
            return SIB_ERR;
        v = v * 10 + (*p - '0');
    }
    int is_money = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        long long frac = 0;
        for (; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 2)
                frac = frac * 10 + (*p - '0');
            else if (*p != '0')
                return SIB_ERR;     /* money has two decimals; 1.005 is not money */
        if (digits == 0)
            return SIB_ERR;
        if (digits == 1)
            frac *= 10;
        v = v * 100 + frac;
        is_money = 1;
    }
    if (*p)
        return SIB_ERR;
    *value = neg ? -v : v;
    *money = is_money;
    return SIB_OK;
}

void sib_recon_format_number(long long value, int money, char *buf, size_t cap)
{
    if (!money) {
        snprintf(buf, cap, "%lld", value);
        return;
    }
    unsigned long long a = value < 0 ? (unsigned long long)(-value) : (unsigned long long)value;
    snprintf(buf, cap, "%s%llu.%02llu", value < 0 ? "-" : "", a / 100, a % 100);
}

/* Columns whose values are money (two decimals) whatever the text looks like. */
static int is_money_column(const char *col)
{
    return strcmp(col, "refund_due") == 0 || strcmp(col, "contributions_12m") == 0;
}

/* ------------------------------------------------------- keyed sums table */

typedef struct rc_cell {
    char col[32];
    long long v;
    int money;
} rc_cell;

typedef struct rc_row {
    char scheme[8];
    char town[16];
    int ncells;
    rc_cell cells[RC_MAXCOLS];
} rc_row;

typedef struct rc_table {
    rc_row *rows;
    size_t n, cap;
} rc_table;

static void rc_free(rc_table *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n = t->cap = 0;
}

/* The row of (scheme, town), created when create is set; NULL when absent
 * (or out of memory). The tables are small (towns x schemes). */
static rc_row *rc_get(rc_table *t, const char *scheme, const char *town, int create)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].scheme, scheme) == 0 && strcmp(t->rows[i].town, town) == 0)
            return &t->rows[i];
    if (!create)
        return NULL;
    rc_row *row = sib_append((void **)&t->rows, &t->cap, &t->n, sizeof *t->rows);
    if (!row)
        return NULL;
    snprintf(row->scheme, sizeof row->scheme, "%s", scheme);
    snprintf(row->town, sizeof row->town, "%s", town);
    return row;
}

static const rc_cell *rc_cell_get(const rc_row *row, const char *col)
{
    if (!row)
        return NULL;
    for (int i = 0; i < row->ncells; i++)
        if (strcmp(row->cells[i].col, col) == 0)
            return &row->cells[i];
    return NULL;
}

/* Adds v to the cell col of row (created at 0). */
static int rc_add(rc_row *row, const char *col, long long v, int money)
{
    for (int i = 0; i < row->ncells; i++)
        if (strcmp(row->cells[i].col, col) == 0) {
            row->cells[i].v += v;
            row->cells[i].money |= money;
            return SIB_OK;
        }
    if (row->ncells == RC_MAXCOLS)
        return SIB_ERR;
    rc_cell *c = &row->cells[row->ncells++];
    snprintf(c->col, sizeof c->col, "%s", col);
    c->v = v;
    c->money = money;
    return SIB_OK;
}

/* The text of a cell, or "(no row)" / "(no column)". */
static void rc_cell_text(const rc_row *row, const char *col, char *buf, size_t cap)
{
    const rc_cell *c = rc_cell_get(row, col);
    if (!row)
        snprintf(buf, cap, "(no row)");
    else if (!c)
        snprintf(buf, cap, "(no column)");
    else
        sib_recon_format_number(c->v, c->money || is_money_column(col), buf, cap);
}

/* --------------------------------------------------------- extract reading */

/* State of one extract being read: header, key columns, sums. */
typedef struct ex_ctx {
    const char *scheme;         /* fixed scheme (210, 410) or NULL: the scheme column */
    const char *as_of;          /* the manifest's YYYY-MM */
    int ncols;
    char names[RC_MAXCOLS][32];
    int numeric[RC_MAXCOLS];
    int i_town, i_scheme, i_asof;
    int header_done;
    long bad_asof, bad_fields, bad_numbers;
    char first_bad[120];
    rc_table *rows;             /* (scheme, town) sums */
    rc_table *totals;           /* (scheme, "") sums */
} ex_ctx;

/* CSV callback: the header names the columns; every other row is added up. */
static int ex_record(char **f, int nf, void *ud, sib_error *err)
{
    ex_ctx *x = ud;
    if (!x->header_done) {
        x->header_done = 1;
        x->i_town = x->i_scheme = x->i_asof = -1;
        x->ncols = nf < RC_MAXCOLS ? nf : RC_MAXCOLS;
        for (int i = 0; i < x->ncols; i++) {
            snprintf(x->names[i], sizeof x->names[i], "%s", f[i]);
            x->numeric[i] = !(strcmp(f[i], "as_of") == 0 || strcmp(f[i], "town_code") == 0 ||
                              strcmp(f[i], "town_name") == 0 || strcmp(f[i], "scheme") == 0 ||
                              strcmp(f[i], "risk_class") == 0);
            if (strcmp(f[i], "town_code") == 0)
                x->i_town = i;
            else if (strcmp(f[i], "scheme") == 0)
                x->i_scheme = i;
            else if (strcmp(f[i], "as_of") == 0)
                x->i_asof = i;
        }
        if (x->i_town < 0 || (!x->scheme && x->i_scheme < 0))
            return sib_error_set(err, "header lacks town_code%s", x->scheme ? "" : " or scheme");
        return SIB_OK;
    }
    if (nf != x->ncols) {
        if (!x->bad_fields++)
            snprintf(x->first_bad, sizeof x->first_bad, "a row with %d fields", nf);
        return SIB_OK;
    }
    if (x->i_asof >= 0 && strcmp(f[x->i_asof], x->as_of) != 0)
        x->bad_asof++;
    const char *scheme = x->scheme ? x->scheme : f[x->i_scheme];
    rc_row *row = rc_get(x->rows, scheme, f[x->i_town], 1);
    rc_row *tot = rc_get(x->totals, scheme, "", 1);
    if (!row || !tot)
        return sib_error_set(err, "out of memory");
    for (int i = 0; i < x->ncols; i++) {
        if (!x->numeric[i])
            continue;
        long long v;
        int money;
        if (sib_recon_parse_number(f[i], &v, &money) != SIB_OK) {
            if (!x->bad_numbers++)
                snprintf(x->first_bad, sizeof x->first_bad, "%s='%.60s'", x->names[i], f[i]);
            continue;
        }
        if (rc_add(row, x->names[i], v, money) != SIB_OK || rc_add(tot, x->names[i], v, money) != SIB_OK)
            return sib_error_set(err, "too many columns");
    }
    return SIB_OK;
}

/* ------------------------------------------------------------ SQL helpers */

/* The text of query `name` of sql/reconcile.sql (malloc'd), NULL when absent. */
static char *sql_part(const char *name)
{
    const char *all = sib_sql_get("reconcile");
    if (!all)
        return NULL;
    char marker[64];
    snprintf(marker, sizeof marker, "-- @query %s\n", name);
    const char *s = strstr(all, marker);
    if (!s)
        return NULL;
    s += strlen(marker);
    const char *e = strstr(s, "-- @query ");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* Runs query `name` with params. */
static int run_query(sib_db *db, const char *name, int np, const char *const *params, PGresult **res,
                     sib_error *err)
{
    char *sql = sql_part(name);
    if (!sql)
        return sib_error_set(err, "reconcile: query %s missing from sql/reconcile.sql", name);
    int rc = sib_db_query(db, sql, np, params, res, err);
    free(sql);
    if (rc != SIB_OK)
        sib_error_prefix(err, "reconcile %s", name);
    return rc;
}

/* Runs the statements of script `name` without parameters. */
static int exec_part(sib_db *db, const char *name, sib_error *err)
{
    char *sql = sql_part(name);
    if (!sql)
        return sib_error_set(err, "reconcile: script %s missing from sql/reconcile.sql", name);
    int rc = sib_db_exec(db, sql, err);
    free(sql);
    if (rc != SIB_OK)
        sib_error_prefix(err, "reconcile %s", name);
    return rc;
}

/* Loads the rows (scheme, town_code, insured, contributing, lapsed, c12) of a
 * recount query into t. */
static int load_recount(PGresult *res, rc_table *t, sib_error *err)
{
    static const char *cols[] = { "insured_persons", "contributing_persons", "lapsed_persons", "contributions_12m" };
    for (int i = 0; i < PQntuples(res); i++) {
        rc_row *row = rc_get(t, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), 1);
        if (!row)
            return sib_error_set(err, "reconcile: out of memory");
        for (int c = 0; c < 4; c++) {
            long long v;
            int money;
            if (sib_recon_parse_number(PQgetvalue(res, i, 2 + c), &v, &money) != SIB_OK)
                return sib_error_set(err, "reconcile: recount gave '%s' for %s", PQgetvalue(res, i, 2 + c), cols[c]);
            if (rc_add(row, cols[c], v, money) != SIB_OK)
                return sib_error_set(err, "reconcile: too many columns");
        }
    }
    return SIB_OK;
}

/* The extract file a scheme's rows are in. */
static const char *scheme_file(const char *scheme)
{
    if (strcmp(scheme, "210") == 0)
        return "unemployment.csv.gz";
    if (strcmp(scheme, "410") == 0)
        return "injury.csv.gz";
    return "pension.csv.gz";
}

/* Every (scheme, town) of the three tables, in a stable order (scheme, then
 * town with unknown last), as a table of keys. */
static int key_union(rc_table *keys, const rc_table *const *tabs, int ntabs, sib_error *err)
{
    for (int t = 0; t < ntabs; t++)
        for (size_t i = 0; i < tabs[t]->n; i++)
            if (!rc_get(keys, tabs[t]->rows[i].scheme, tabs[t]->rows[i].town, 1))
                return sib_error_set(err, "reconcile: out of memory");
    /* insertion sort: a few dozen keys */
    for (size_t i = 1; i < keys->n; i++) {
        rc_row tmp = keys->rows[i];
        size_t j = i;
        while (j > 0) {
            const rc_row *p = &keys->rows[j - 1];
            int c = strcmp(p->scheme, tmp.scheme);
            if (c == 0) {
                int pu = strcmp(p->town, "unknown") == 0, tu = strcmp(tmp.town, "unknown") == 0;
                c = pu != tu ? pu - tu : strcmp(p->town, tmp.town);
            }
            if (c <= 0)
                break;
            keys->rows[j] = keys->rows[j - 1];
            j--;
        }
        keys->rows[j] = tmp;
    }
    return SIB_OK;
}

/* ------------------------------------------------------------- the checks */

/* The manifest's lapse thresholds, else the configuration's. */
static void thresholds(const cJSON *m, const sib_config *cfg, char out[5][8])
{
    static const char *codes[5] = { "110", "120", "170", "210", "410" };
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(m, "config");
    const cJSON *th = conf ? cJSON_GetObjectItemCaseSensitive(conf, "lapse_threshold_months") : NULL;
    for (int i = 0; i < 5; i++) {
        int v = cfg ? cfg->lapse_threshold[i] : (i == 2 ? 12 : 3);
        const cJSON *it = th ? cJSON_GetObjectItemCaseSensitive(th, codes[i]) : NULL;
        if (cJSON_IsNumber(it))
            v = it->valueint;
        snprintf(out[i], 8, "%d", v);
    }
}

/* Checks one file of the manifest; extracts are added up into rows/totals. */
static int check_file(sib_recon *r, const char *dir, const cJSON *entry, rc_table *rows, rc_table *totals,
                      int *seen_extract, sib_error *err)
{
    static const char *extracts[3] = { "pension.csv.gz", "unemployment.csv.gz", "injury.csv.gz" };
    static const char *fixed[3] = { NULL, "210", "410" };
    const char *path = sib_json_str(entry, "path", NULL);
    char exp[168], got[168];
    if (!path || !*path || path[0] == '/' || strstr(path, "..")) {
        return add_cmp(r, err, "file", path ? path : "(none)", "", "", "path",
                       "a relative path inside the run directory", path ? path : "(none)");
    }
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", dir, path);
    struct stat sb;
    if (stat(full, &sb) != 0)
        return add_cmp(r, err, "file", path, "", "", "exists", "present", "missing");
    if (add_cmp(r, err, "file", path, "", "", "exists", "present", "present") != SIB_OK)
        return SIB_ERR;

    int which = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(path, extracts[i]) == 0)
            which = i;
    ex_ctx x = { 0 };
    x.scheme = which >= 0 ? fixed[which] : NULL;
    x.as_of = r->as_of;
    x.rows = rows;
    x.totals = totals;
    if (which >= 0)
        seen_extract[which] = 1;
    sib_csvr *csv = sib_csvr_new(which >= 0 ? ex_record : NULL, &x);
    if (!csv)
        return sib_error_set(err, "reconcile: out of memory");
    sib_filecheck fc;
    int rc = SIB_ERR;
    sib_error ferr = { 0 };
    if (sib_filecheck_read(full, csv, &fc, &ferr) != SIB_OK) {
        /* unreadable, or the header was unusable: a mismatch of this file */
        if (add_cmp(r, err, "file", path, "", "", "readable", "readable", ferr.msg) != SIB_OK)
            goto done;
        rc = SIB_OK;
        goto done;
    }
    const cJSON *jb = cJSON_GetObjectItemCaseSensitive(entry, "bytes");
    const cJSON *jr = cJSON_GetObjectItemCaseSensitive(entry, "rows");
    snprintf(exp, sizeof exp, "%.0f", cJSON_IsNumber(jb) ? jb->valuedouble : -1.0);
    snprintf(got, sizeof got, "%llu", (unsigned long long)fc.bytes);
    if (add_cmp(r, err, "file", path, "", "", "bytes", exp, got) != SIB_OK)
        goto done;
    if (add_cmp(r, err, "file", path, "", "", "sha256", sib_json_str(entry, "sha256", "(none)"), fc.sha256) != SIB_OK)
        goto done;
    if (add_cmp(r, err, "file", path, "", "", "gzip", "intact", fc.gzip_ok ? "intact" : fc.gzip_error) != SIB_OK)
        goto done;
    if (fc.gzip_ok && add_cmp(r, err, "file", path, "", "", "csv", "well-formed",
                              fc.csv_ok ? "well-formed" : fc.csv_error) != SIB_OK)
        goto done;
    size_t recs = sib_csvr_records(csv);
    snprintf(exp, sizeof exp, "%.0f", cJSON_IsNumber(jr) ? jr->valuedouble : -1.0);
    if (recs == 0)
        snprintf(got, sizeof got, "(no header)");
    else
        snprintf(got, sizeof got, "%zu", recs - 1);
    if (add_cmp(r, err, "file", path, "", "", "rows", exp, got) != SIB_OK)
        goto done;
    if (which >= 0) {
        snprintf(got, sizeof got, "%ld rows with another month", x.bad_asof);
        if (x.bad_asof && add_cmp(r, err, "file", path, "", "", "as_of", r->as_of, got) != SIB_OK)
            goto done;
        if (x.bad_fields || x.bad_numbers) {
            snprintf(got, sizeof got, "%ld bad rows, %ld bad numbers; first: %s", x.bad_fields, x.bad_numbers,
                     x.first_bad);
            if (add_cmp(r, err, "file", path, "", "", "values", "rows of numbers", got) != SIB_OK)
                goto done;
        }
    }
    rc = SIB_OK;
done:
    sib_csvr_free(csv);
    return rc;
}

/* Manifest totals against the sums of the extract rows. */
static int check_totals(sib_recon *r, const cJSON *m, rc_table *totals, sib_error *err)
{
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(m, "totals");
    if (!cJSON_IsObject(tot))
        return add_cmp(r, err, "total", "manifest.json", "", "", "totals", "present", "missing");
    const cJSON *sch;
    cJSON_ArrayForEach(sch, tot) {
        const cJSON *col;
        rc_row *row = rc_get(totals, sch->string, "", 0);
        cJSON_ArrayForEach(col, sch) {
            char exp[168], got[168];
            long long v;
            int money;
            if (cJSON_IsNumber(col))
                snprintf(exp, sizeof exp, "%.0f", col->valuedouble);
            else if (cJSON_IsString(col) && sib_recon_parse_number(col->valuestring, &v, &money) == SIB_OK)
                sib_recon_format_number(v, money || is_money_column(col->string), exp, sizeof exp);
            else
                snprintf(exp, sizeof exp, "%s", cJSON_IsString(col) ? col->valuestring : "(not a number)");
            const rc_cell *c = rc_cell_get(row, col->string);
            if (c)
                sib_recon_format_number(c->v, c->money || is_money_column(col->string), got, sizeof got);
            else if (row)
                snprintf(got, sizeof got, "(no column)");
            else    /* no row of the scheme at all: the sums are zero */
                sib_recon_format_number(0, is_money_column(col->string), got, sizeof got);
            if (add_cmp(r, err, "total", scheme_file(sch->string), sch->string, "", col->string, exp, got) != SIB_OK)
                return SIB_ERR;
        }
    }
    return SIB_OK;
}

/* The run in the manifest against sibatch.run. */
static int check_run(sib_recon *r, sib_db *db, const char *manifest_path, int as_of, sib_error *err)
{
    char asof[16], exp[168], got[168];
    snprintf(asof, sizeof asof, "%d", as_of);
    const char *params[1] = { asof };
    PGresult *res = NULL;
    if (run_query(db, "latest_run", 1, params, &res, err) != SIB_OK)
        return SIB_ERR;
    int rc = SIB_ERR;
    snprintf(got, sizeof got, "%ld", r->run_id);
    if (PQntuples(res) == 0) {
        if (add_cmp(r, err, "run", "manifest.json", "", "", "run_id", "(no published run of the month)", got) != SIB_OK)
            goto done;
        rc = SIB_OK;
        goto done;
    }
    if (add_cmp(r, err, "run", "manifest.json", "", "", "run_id", PQgetvalue(res, 0, 0), got) != SIB_OK)
        goto done;
    const char *want = PQgetvalue(res, 0, 1);
    if (*want && strcmp(PQgetvalue(res, 0, 0), got) == 0) {
        sib_filecheck fc;   /* only its size and SHA-256 matter for a JSON file */
        sib_error ferr = { 0 };
        if (sib_filecheck_read(manifest_path, NULL, &fc, &ferr) != SIB_OK)
            snprintf(exp, sizeof exp, "(unreadable)");
        else
            snprintf(exp, sizeof exp, "%s", fc.sha256);
        if (add_cmp(r, err, "run", "manifest.json", "", "", "manifest_sha256", want, exp) != SIB_OK)
            goto done;
    }
    rc = SIB_OK;
done:
    PQclear(res);
    return rc;
}

/* Stored and source recounts against the extract rows. */
static int check_recounts(sib_recon *r, sib_db *db, const cJSON *m, const sib_config *cfg, int as_of,
                          rc_table *ex, sib_error *err)
{
    static const char *cols[4] = { "insured_persons", "contributing_persons", "lapsed_persons", "contributions_12m" };
    int rc = SIB_ERR;
    PGresult *res = NULL;
    rc_table stored = { 0 }, source = { 0 }, keys = { 0 };
    char runid[32];
    snprintf(runid, sizeof runid, "%ld", r->run_id);

    if (run_query(db, "current_run", 0, NULL, &res, err) != SIB_OK)
        goto done;
    const char *lo = PQgetvalue(res, 0, 0), *hi = PQgetvalue(res, 0, 1);
    if (strcmp(lo, runid) != 0 || strcmp(hi, runid) != 0) {
        char got[168];
        snprintf(got, sizeof got, "current tables hold run %s%s%s", *lo ? lo : "(none)",
                 strcmp(lo, hi) ? ".." : "", strcmp(lo, hi) ? hi : "");
        if (sib_recon_add(r, "stored", "sibatch.person_scheme", "", "", "run_id", runid, got, SIB_RECON_SKIPPED) ||
            sib_recon_add(r, "source", "si_src", "", "", "run_id", runid, got, SIB_RECON_SKIPPED)) {
            sib_error_set(err, "reconcile: out of memory");
            goto done;
        }
        rc = SIB_OK;
        goto done;
    }
    PQclear(res);
    res = NULL;

    const char *p1[1] = { runid };
    if (run_query(db, "stored_recount", 1, p1, &res, err) != SIB_OK || load_recount(res, &stored, err) != SIB_OK)
        goto done;
    PQclear(res);
    res = NULL;

    char th[5][8], asof[16];
    thresholds(m, cfg, th);
    snprintf(asof, sizeof asof, "%d", as_of);
    const char *p6[6] = { asof, th[0], th[1], th[2], th[3], th[4] };
    if (exec_part(db, "planner", err) != SIB_OK ||
        run_query(db, "source_recount", 6, p6, &res, err) != SIB_OK || load_recount(res, &source, err) != SIB_OK)
        goto done;

    const rc_table *tabs[3] = { ex, &stored, &source };
    if (key_union(&keys, tabs, 3, err) != SIB_OK)
        goto done;
    for (size_t k = 0; k < keys.n; k++) {
        const char *sc = keys.rows[k].scheme, *tw = keys.rows[k].town;
        const rc_row *er = rc_get(ex, sc, tw, 0);
        const rc_row *sr = rc_get(&stored, sc, tw, 0);
        const rc_row *qr = rc_get(&source, sc, tw, 0);
        for (int c = 0; c < 4; c++) {
            char e[168], s[168], q[168];
            rc_cell_text(er, cols[c], e, sizeof e);
            rc_cell_text(sr, cols[c], s, sizeof s);
            rc_cell_text(qr, cols[c], q, sizeof q);
            if (er && !rc_cell_get(er, cols[c])) {
                /* the extract does not carry it (410 contributing): source vs stored */
                if (add_cmp(r, err, "source", "sibatch.person_scheme", sc, tw, cols[c], q, s) != SIB_OK)
                    goto done;
                continue;
            }
            if (add_cmp(r, err, "stored", scheme_file(sc), sc, tw, cols[c], s, e) != SIB_OK ||
                add_cmp(r, err, "source", scheme_file(sc), sc, tw, cols[c], q, e) != SIB_OK)
                goto done;
        }
    }
    rc = SIB_OK;
done:
    PQclear(res);
    rc_free(&stored);
    rc_free(&source);
    rc_free(&keys);
    return rc;
}

int sib_recon_run(sib_recon *r, sib_db *db, const char *manifest_path, const sib_config *cfg, sib_error *err)
{
    int rc = SIB_ERR;
    rc_table rows = { 0 }, totals = { 0 };
    cJSON *m = sib_json_load(manifest_path, err);
    if (!m)
        return SIB_ERR;
    snprintf(r->manifest, sizeof r->manifest, "%s", manifest_path);

    const char *as_of_text = sib_json_str(m, "as_of", NULL);
    int y = 0, mo = 0;
    char tail;
    if (!as_of_text || sscanf(as_of_text, "%4d-%2d%c", &y, &mo, &tail) != 2 || y < 1000 || mo < 1 || mo > 12) {
        sib_error_set(err, "%s: as_of missing or not YYYY-MM", manifest_path);
        goto done;
    }
    int as_of = y * 100 + mo;
    snprintf(r->as_of, sizeof r->as_of, "%04d-%02d", y, mo);
    r->run_id = (long)sib_json_num(m, "run_id", -1);
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(m, "files");
    if (!cJSON_IsArray(files)) {
        sib_error_set(err, "%s: no files array", manifest_path);
        goto done;
    }

    char dir[1024];
    snprintf(dir, sizeof dir, "%s", manifest_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");

    int seen[3] = { 0, 0, 0 };
    const cJSON *entry;
    cJSON_ArrayForEach(entry, files) {
        if (check_file(r, dir, entry, &rows, &totals, seen, err) != SIB_OK)
            goto done;
    }
    static const char *extracts[3] = { "pension.csv.gz", "unemployment.csv.gz", "injury.csv.gz" };
    for (int i = 0; i < 3; i++)
        if (!seen[i] && add_cmp(r, err, "file", extracts[i], "", "", "listed", "in the manifest", "not listed") != SIB_OK)
            goto done;
    if (check_totals(r, m, &totals, err) != SIB_OK)
        goto done;
    if (db) {
        if (check_run(r, db, manifest_path, as_of, err) != SIB_OK ||
            check_recounts(r, db, m, cfg, as_of, &rows, err) != SIB_OK)
            goto done;
    }
    rc = SIB_OK;
done:
    cJSON_Delete(m);
    rc_free(&rows);
    rc_free(&totals);
    return rc;
}

/* ---------------------------------------------------------------- output */

static const char *status_word(int st)
{
    return st == SIB_RECON_MATCH ? "ok" : st == SIB_RECON_MISMATCH ? "MISMATCH" : "skipped";
}

void sib_recon_print_text(const sib_recon *r, FILE *f, int problems_only)
{
    fprintf(f, "%-8s  %-6s  %-26s  %-6s  %-9s  %-22s  %-20s  %s\n",
            "status", "check", "file", "scheme", "town", "column", "expected", "found");
    for (size_t i = 0; i < r->n; i++) {
        const sib_recon_item *it = &r->items[i];
        if (problems_only && it->status == SIB_RECON_MATCH)
            continue;
        fprintf(f, "%-8s  %-6s  %-26s  %-6s  %-9s  %-22s  %-20s  %s\n", status_word(it->status), it->check,
                it->file, *it->scheme ? it->scheme : "-", *it->town ? it->town : "-", it->column,
                it->expected, it->found);
    }
    fprintf(f, "reconcile: manifest=%s run=%ld as_of=%s checks=%zu matched=%zu mismatched=%zu skipped=%zu result=%s\n",
            r->manifest, r->run_id, r->as_of, r->n, r->n - r->mismatches - r->skipped, r->mismatches,
            r->skipped, r->mismatches ? "MISMATCH" : "OK");
}

char *sib_recon_to_json(const sib_recon *r, int problems_only)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    char *out = NULL;
    cJSON_AddStringToObject(root, "manifest", r->manifest);
    cJSON_AddStringToObject(root, "as_of", r->as_of);
    cJSON_AddNumberToObject(root, "run_id", (double)r->run_id);
    cJSON_AddStringToObject(root, "result", r->mismatches ? "mismatch" : "ok");
    cJSON_AddNumberToObject(root, "checks", (double)r->n);
    cJSON_AddNumberToObject(root, "matched", (double)(r->n - r->mismatches - r->skipped));
    cJSON_AddNumberToObject(root, "mismatched", (double)r->mismatches);
    cJSON_AddNumberToObject(root, "skipped", (double)r->skipped);
    cJSON *arr = cJSON_AddArrayToObject(root, "items");
    if (!arr)
        goto done;
    for (size_t i = 0; i < r->n; i++) {
        const sib_recon_item *it = &r->items[i];
        if (problems_only && it->status == SIB_RECON_MATCH)
            continue;
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto done;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "status", it->status == SIB_RECON_MATCH ? "ok"
                                             : it->status == SIB_RECON_MISMATCH ? "mismatch" : "skipped");
        cJSON_AddStringToObject(o, "check", it->check);
        cJSON_AddStringToObject(o, "file", it->file);
        cJSON_AddStringToObject(o, "scheme", it->scheme);
        cJSON_AddStringToObject(o, "town", it->town);
        cJSON_AddStringToObject(o, "column", it->column);
        cJSON_AddStringToObject(o, "expected", it->expected);
        cJSON_AddStringToObject(o, "found", it->found);
    }
    out = cJSON_Print(root);
done:
    cJSON_Delete(root);
    return out;
}
