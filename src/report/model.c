/* model.c — reading a published run for the managers' page (include/report/model.h). */
#include "report/model.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsx.h"
#include "common/gz.h"
#include "common/log.h"

const cJSON *sib_report_node(const cJSON *root, const char *path)
{
    char key[128];
    const cJSON *node = root;
    while (node && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        node = cJSON_GetObjectItemCaseSensitive(node, key);
        path += n + (path[n] == '.');
    }
    return node;
}

long sib_report_num(const cJSON *root, const char *path, long def)
{
    const cJSON *n = sib_report_node(root, path);
    return cJSON_IsNumber(n) ? (long)n->valuedouble : def;
}

const char *sib_report_town_name(const sib_report_model *m, const char *code)
{
    for (size_t i = 0; i < m->ntowns; i++)
        if (strcmp(m->towns[i].code, code) == 0)
            return m->towns[i].name;
    return strcmp(code, "unknown") == 0 ? "未知" : code;
}

int sib_report_csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *r = line;
    for (;;) {
        if (n == max)
            return -1;
        char *start = r, *w = r;
        if (*r == '"') {
            r++;
            for (;;) {
                if (*r == '\0')
                    return -1;                  /* unterminated quote */
                if (*r == '"') {
                    if (r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *w++ = *r++;
            }
            if (*r != ',' && *r != '\0')
                return -1;                      /* text after the closing quote */
        } else {
            while (*r && *r != ',') {
                if (*r == '"')
                    return -1;
                *w++ = *r++;
            }
        }
        char sep = *r;
        *w = '\0';
        /* undo the spreadsheet guard */
        if (start[0] == '\'' && strchr("=+-@", start[1]) && start[1] != '\0')
            memmove(start, start + 1, strlen(start));
        fields[n++] = start;
        if (sep == '\0')
            return n;
        r++;
    }
}

/* Parses a non-negative count; SIB_ERR when s is not all digits. */
static int parse_count(const char *s, long *out)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 15)
        return SIB_ERR;
    *out = strtol(s, NULL, 10);
    return SIB_OK;
}

/* The row of the model for a town, created on first sight. */
static sib_report_town *town_of(sib_report_model *m, const char *code, const char *name)
{
    for (size_t i = 0; i < m->ntowns; i++)
        if (strcmp(m->towns[i].code, code) == 0)
            return &m->towns[i];
    if (m->ntowns == SIB_REPORT_MAX_TOWNS || strlen(code) >= sizeof m->towns[0].code)
        return NULL;
    sib_report_town *t = &m->towns[m->ntowns++];
    memset(t, 0, sizeof *t);
    snprintf(t->code, sizeof t->code, "%s", code);
    snprintf(t->name, sizeof t->name, "%s", name && *name ? name : code);
    return t;
}

/* Column index of name in the header fields, or -1. */
static int col(char **hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(hdr[i], name) == 0)
            return i;
    return -1;
}

enum { MAXF = 32 };

/* Reads one extract: file name, and the scheme of its rows (-1 = the
 * "scheme" column, pension). Adds insured and lapsed persons per town. */
static int read_extract(sib_report_model *m, const char *file, int scheme, sib_error *err)
{
    char path[4352];
    snprintf(path, sizeof path, "%s/%s", m->dir, file);
    char *text = NULL;
    if (sib_gz_read_file(path, &text, NULL, err) != SIB_OK)
        return SIB_ERR;
    int rc = SIB_ERR;
    char *hdr[MAXF], *f[MAXF];
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    int nh = line ? sib_report_csv_split(line, hdr, MAXF) : -1;
    int ci_code = nh > 0 ? col(hdr, nh, "town_code") : -1;
    int ci_name = nh > 0 ? col(hdr, nh, "town_name") : -1;
    int ci_ins = nh > 0 ? col(hdr, nh, "insured_persons") : -1;
    int ci_lap = nh > 0 ? col(hdr, nh, "lapsed_persons") : -1;
    int ci_sch = nh > 0 ? col(hdr, nh, "scheme") : -1;
    if (ci_code < 0 || ci_name < 0 || ci_ins < 0 || ci_lap < 0 || (scheme < 0 && ci_sch < 0)) {
        sib_error_set(err, "%s: header lacks town_code, town_name, insured_persons, lapsed_persons%s",
                      path, scheme < 0 ? " or scheme" : "");
        goto done;
    }
    long lineno = 1;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        lineno++;
        int nf = sib_report_csv_split(line, f, MAXF);
        if (nf != nh) {
            sib_error_set(err, "%s: line %ld: %d fields, the header has %d", path, lineno, nf, nh);
            goto done;
        }
        int s = scheme >= 0 ? scheme : sib_scheme_from_code(f[ci_sch]);
        long ins, lap;
        if (s < 0 || (scheme < 0 && s > SIB_S170)) {
            sib_error_set(err, "%s: line %ld: scheme '%s' is not a pension scheme", path, lineno, f[ci_sch]);
            goto done;
        }
        if (parse_count(f[ci_ins], &ins) != SIB_OK || parse_count(f[ci_lap], &lap) != SIB_OK) {
            sib_error_set(err, "%s: line %ld: insured_persons/lapsed_persons not counts", path, lineno);
            goto done;
        }
        sib_report_town *t = town_of(m, f[ci_code], f[ci_name]);
        if (!t) {
            sib_error_set(err, "%s: line %ld: more than %d towns", path, lineno, SIB_REPORT_MAX_TOWNS);
            goto done;
        }
        t->insured[s] += ins;
        t->lapsed[s] += lap;
        m->sums.insured[s] += ins;
        m->sums.lapsed[s] += lap;
    }
    rc = SIB_OK;
done:
    free(text);
    return rc;
}

/* Town order of the extracts: by code, "unknown" last. */
static int town_cmp(const void *a, const void *b)
{
    const sib_report_town *x = a, *y = b;
    int ux = strcmp(x->code, "unknown") == 0, uy = strcmp(y->code, "unknown") == 0;
    if (ux != uy)
        return ux - uy;
    return strcmp(x->code, y->code);
}

/* 1 when s is YYYY-MM. */
static int is_month(const char *s)
{
    return strlen(s) == 7 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]);
}

/* The campaign figures of one manifest as a trend point. */
static void point_of(const cJSON *man, sib_report_point *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->as_of, sizeof p->as_of, "%s", sib_json_str(man, "as_of", "?"));
    p->run_id = sib_report_num(man, "run_id", 0);
    p->open = sib_report_num(man, "clearing.open", 0);
    p->opened = sib_report_num(man, "clearing.opened", 0);
    p->closed = sib_report_num(man, "clearing.closed.paid", 0) +
                sib_report_num(man, "clearing.closed.enrolled", 0) +
                sib_report_num(man, "clearing.closed.excluded", 0);
}

static int point_cmp(const void *a, const void *b)
{
    return strcmp(((const sib_report_point *)a)->as_of, ((const sib_report_point *)b)->as_of);
}

/* Earlier months: DIR/<YYYY-MM>/manifest.json before this month. A
 * manifest that cannot be read is skipped with a warning (the trend is a
 * view of history, not a check of it). */
static void load_history(sib_report_model *m, const char *hist_dir)
{
    DIR *d = hist_dir ? opendir(hist_dir) : NULL;
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL && m->npoints + 1 < SIB_REPORT_MAX_RUNS) {
            if (!is_month(de->d_name) || strcmp(de->d_name, m->as_of) >= 0)
                continue;
            char p[4352];
            snprintf(p, sizeof p, "%s/%s/manifest.json", hist_dir, de->d_name);
            sib_error e = { 0 };
            cJSON *man = sib_json_load(p, &e);
            if (!man) {
                sib_log_warn("report", "skipped=%s/%s error=\"%s\"", hist_dir, de->d_name, e.msg);
                continue;
            }
            const char *aso = sib_json_str(man, "as_of", "");
            if (strcmp(aso, de->d_name) == 0 && sib_report_node(man, "clearing"))
                point_of(man, &m->points[m->npoints++]);
            else
                sib_log_warn("report", "skipped=%s reason=\"as_of or clearing missing\"", p);
            cJSON_Delete(man);
        }
        closedir(d);
    }
    point_of(m->manifest, &m->points[m->npoints++]);
    qsort(m->points, m->npoints, sizeof m->points[0], point_cmp);
}

int sib_report_model_load(const char *manifest_path, sib_report_model **out, sib_error *err)
{
    return sib_report_model_load_in(manifest_path, NULL, out, err);
}

int sib_report_model_load_in(const char *manifest_path, const char *history_dir,
                             sib_report_model **out, sib_error *err)
{
    *out = NULL;
    sib_report_model *m = calloc(1, sizeof *m);
    if (!m)
        return sib_error_set(err, "report: out of memory");
    m->manifest = sib_json_load(manifest_path, err);
    if (!m->manifest)
        goto fail;
    long fv = sib_report_num(m->manifest, "format_version", -1);
    if (fv != 1) {
        sib_error_set(err, "%s: format_version %ld, this sibatch reads 1", manifest_path, fv);
        goto fail;
    }
    const char *aso = sib_json_str(m->manifest, "as_of", "");
    if (!is_month(aso)) {
        sib_error_set(err, "%s: as_of '%s' is not YYYY-MM", manifest_path, aso);
        goto fail;
    }
    snprintf(m->as_of, sizeof m->as_of, "%s", aso);
    if (sib_fsx_dirname(manifest_path, m->dir, sizeof m->dir) != SIB_OK) {
        sib_error_set(err, "%s: path too long", manifest_path);
        goto fail;
    }
    if (read_extract(m, "pension.csv.gz", -1, err) != SIB_OK ||
        read_extract(m, "unemployment.csv.gz", SIB_S210, err) != SIB_OK ||
        read_extract(m, "injury.csv.gz", SIB_S410, err) != SIB_OK)
        goto fail;
    qsort(m->towns, m->ntowns, sizeof m->towns[0], town_cmp);

    /* History: DIR is the parent of the manifest's directory; a run's own
     * directory DIR/.runs/<YYYY-MM>.run<id> (or its staging directory)
     * belongs to DIR as well. */
    char hist[4096];
    if (history_dir) {
        snprintf(hist, sizeof hist, "%s", history_dir);
    } else {
        if (sib_fsx_dirname(m->dir, hist, sizeof hist) != SIB_OK)
            hist[0] = '\0';
        const char *base = strrchr(hist, '/');
        if (strcmp(base ? base + 1 : hist, ".runs") == 0) {
            char up[4096];
            if (sib_fsx_dirname(hist, up, sizeof up) == SIB_OK)
                snprintf(hist, sizeof hist, "%s", up);
        }
    }
    load_history(m, hist[0] ? hist : NULL);
    *out = m;
    return SIB_OK;
fail:
    sib_report_model_free(m);
    return SIB_ERR;
}

void sib_report_model_free(sib_report_model *m)
{
    if (!m)
        return;
    cJSON_Delete(m->manifest);
    free(m);
}
