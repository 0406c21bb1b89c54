/* manifest.c — manifest.json (include/manifest/manifest.h). */
#include "manifest/manifest.h"
#include "common/fsx.h"
#include "common/json.h"
#include "common/month.h"
#include "common/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_money(cJSON *o, const char *k, int64_t cents)
{
    char buf[32];
    sib_money(cents, buf, sizeof buf);
    cJSON_AddStringToObject(o, k, buf);
}

static cJSON *scheme_totals(int s, const sib_totals *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "insured_persons", (double)t->insured);
    if (s == SIB_S410) {
        cJSON_AddNumberToObject(o, "project_based_persons", (double)t->project);
        cJSON_AddNumberToObject(o, "employers", (double)t->employers);
        cJSON_AddNumberToObject(o, "lapsed_persons", (double)t->lapsed);
        add_money(o, "contributions_12m", t->sum12);
        return o;
    }
    cJSON_AddNumberToObject(o, "contributing_persons", (double)t->contributing);
    cJSON_AddNumberToObject(o, "lapsed_persons", (double)t->lapsed);
    if (s == SIB_S210) {
        cJSON_AddNumberToObject(o, "employers", (double)t->employers);
        cJSON_AddNumberToObject(o, "duplicate_enrollments", (double)t->duplicates);
        add_money(o, "contributions_12m", t->sum12);
        return o;
    }
    cJSON_AddNumberToObject(o, "beneficiaries", (double)t->beneficiaries);
    cJSON_AddNumberToObject(o, "duplicate_enrollments", (double)t->duplicates);
    cJSON_AddNumberToObject(o, "conflict_persons", (double)t->conflict);
    add_money(o, "refund_due", s == SIB_S170 ? t->refund : 0);
    add_money(o, "contributions_12m", t->sum12);
    return o;
}

static cJSON *target_json(const sib_target *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "base", (double)t->base);
    cJSON_AddNumberToObject(o, "target", (double)t->target);
    return o;
}

static cJSON *clearing_json(const sib_manifest_input *in)
{
    const sib_config *cfg = in->cfg;
    cJSON *o = cJSON_CreateObject();
    long open = 0, opened = 0, closed[4] = { 0 };
    if (in->campaign)
        sib_campaign_totals(in->campaign, &open, &opened, closed);
    else
        open = (long)in->flags->n;
    cJSON_AddNumberToObject(o, "open", (double)open);
    cJSON_AddNumberToObject(o, "opened", (double)opened);
    cJSON *cl = cJSON_AddObjectToObject(o, "closed");
    cJSON_AddNumberToObject(cl, "paid", (double)closed[SIB_RES_PAID]);
    cJSON_AddNumberToObject(cl, "enrolled", (double)closed[SIB_RES_ENROLLED]);
    cJSON_AddNumberToObject(cl, "excluded", (double)closed[SIB_RES_EXCLUDED]);
    cJSON *br = cJSON_AddObjectToObject(o, "by_reason");
    cJSON_AddNumberToObject(br, "lapsed", (double)in->flags->lapsed);
    cJSON_AddNumberToObject(br, "uninsured", (double)in->flags->uninsured);
    /* population rows that stay unresolved: for data-quality review, not targets */
    cJSON_AddNumberToObject(o, "unresolved_population", (double)in->flags->unresolved_population);

    int nt = cfg->ntowns + 1;
    long (*town)[3 + SIB_AGING_BUCKETS] = calloc((size_t)nt, sizeof *town);   /* open, lapsed, uninsured, buckets */
    long aging[SIB_AGING_BUCKETS] = { 0 };
    if (!town) {
        cJSON_Delete(o);
        return NULL;
    }
    for (size_t i = 0; i < in->flags->n; i++) {
        const sib_flag *g = &in->flags->v[i];
        int t = cfg->ntowns;
        for (int k = 0; k < cfg->ntowns; k++)
            if (strcmp(cfg->towns[k].code, g->town) == 0)
                t = k;
        town[t][0]++;
        if (g->reason == SIB_REASON_LAPSED) {
            town[t][1]++;
            int b = sib_clearing_bucket_index(g->months_unpaid);
            town[t][3 + b]++;
            aging[b]++;
        } else {
            town[t][2]++;
        }
    }
    cJSON *ag = cJSON_AddObjectToObject(o, "aging");
    for (int b = 0; b < SIB_AGING_BUCKETS; b++)    /* "<3" only when a lapse threshold is below 3 */
        if (b > 0 || aging[b])
            cJSON_AddNumberToObject(ag, sib_clearing_bucket_name(b), (double)aging[b]);
    cJSON *bt = cJSON_AddObjectToObject(o, "by_town");
    for (int t = 0; t < nt; t++) {
        cJSON *x = cJSON_AddObjectToObject(bt, t < cfg->ntowns ? cfg->towns[t].code : "unknown");
        cJSON_AddNumberToObject(x, "open", (double)town[t][0]);
        cJSON_AddNumberToObject(x, "lapsed", (double)town[t][1]);
        cJSON_AddNumberToObject(x, "uninsured", (double)town[t][2]);
        for (int b = 0; b < SIB_AGING_BUCKETS; b++)
            if (b > 0 || aging[0])
                cJSON_AddNumberToObject(x, sib_clearing_bucket_name(b), (double)town[t][3 + b]);
    }
    free(town);
    return o;
}

char *sib_manifest_json(const sib_manifest_input *in)
{
    const sib_source *src = in->src;
    char m[8];
    sib_month_format(in->as_of, m);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "format_version", SIB_MANIFEST_FORMAT);
    cJSON_AddStringToObject(root, "sibatch_version", SIB_VERSION);
    cJSON_AddNumberToObject(root, "run_id", (double)in->run_id);
    cJSON_AddStringToObject(root, "as_of", m);
    cJSON_AddStringToObject(root, "started_at", in->started_at);
    cJSON_AddStringToObject(root, "finished_at", in->finished_at);
    cJSON_AddStringToObject(root, "volatile_fields", SIB_MANIFEST_VOLATILE);

    cJSON *snap = cJSON_AddObjectToObject(root, "snapshot");
    cJSON_AddStringToObject(snap, "snapshot_id", src->snapshot_id);
    cJSON_AddStringToObject(snap, "txid_snapshot", src->txid_snapshot);
    cJSON_AddStringToObject(snap, "server_version", src->server_version);
    cJSON *rows = cJSON_AddObjectToObject(root, "source_rows");
    static const char *const tables[] = { "employer", "enrollment", "contribution", "population" };
    for (int i = 0; i < 4; i++)
        cJSON_AddNumberToObject(rows, tables[i], (double)in->source_rows[i]);

    char *cfgtext = sib_config_to_json(in->cfg);
    cJSON *cfg = cfgtext ? cJSON_Parse(cfgtext) : NULL;
    free(cfgtext);
    if (cfg) {
        cJSON_DeleteItemFromObject(cfg, "log");     /* not a figure's setting */
        cJSON_AddItemToObject(root, "config", cfg);
    }
    cJSON *tg = cJSON_AddObjectToObject(root, "targets");
    cJSON_AddItemToObject(tg, "pension", target_json(&in->cfg->target_pension));
    cJSON_AddItemToObject(tg, "unemployment", target_json(&in->cfg->target_unemployment));
    cJSON_AddItemToObject(tg, "injury", target_json(&in->cfg->target_injury));

    cJSON *files = cJSON_AddArrayToObject(root, "files");
    for (size_t i = 0; i < in->extract->nfiles; i++) {
        const sib_file_entry *f = &in->extract->files[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "path", f->path);
        cJSON_AddNumberToObject(o, "rows", (double)f->rows);
        cJSON_AddNumberToObject(o, "bytes", (double)f->bytes);
        cJSON_AddStringToObject(o, "sha256", f->sha256);
        cJSON_AddItemToArray(files, o);
    }
    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    for (int s = 0; s < SIB_NSCHEMES; s++)
        cJSON_AddItemToObject(tot, sib_scheme_code(s), scheme_totals(s, &in->extract->totals[s]));

    const sib_resolve_stats *rs = in->resolve;
    cJSON *dd = cJSON_AddObjectToObject(root, "dedup");
    cJSON_AddNumberToObject(dd, "persons", (double)rs->persons);
    cJSON_AddNumberToObject(dd, "persons_keyed", (double)rs->keyed);
    cJSON_AddNumberToObject(dd, "persons_unresolved", (double)rs->unresolved);
    cJSON *lk = cJSON_AddObjectToObject(dd, "links");
    static const char *const kinds[] = { "exact", "normalized", "probable", "unresolved" };
    for (int k = 0; k < 4; k++)
        cJSON_AddNumberToObject(lk, kinds[k], (double)rs->links[k]);
    cJSON_AddNumberToObject(dd, "review", (double)rs->review);
    cJSON_AddNumberToObject(dd, "clusters", (double)in->dedup->nclusters);
    cJSON_AddNumberToObject(dd, "duplicate_enrollments", (double)in->dedup->nduplicates);

    cJSON *cf = cJSON_AddObjectToObject(root, "conflicts");
    cJSON_AddNumberToObject(cf, "persons", (double)in->conflicts->persons);
    cJSON_AddNumberToObject(cf, "refund_persons", (double)in->conflicts->refund_persons);
    cJSON_AddNumberToObject(cf, "employee_institution_persons", (double)in->conflicts->ei_persons);
    cJSON_AddNumberToObject(cf, "overlap_months", (double)in->conflicts->months);
    add_money(cf, "refund_due", in->conflicts->refund_total);

    cJSON *cl = clearing_json(in);
    if (cl)
        cJSON_AddItemToObject(root, "clearing", cl);

    cJSON *rj = cJSON_AddObjectToObject(root, "rejects");
    cJSON *re = cJSON_AddObjectToObject(rj, "enrollment");
    for (int r = SIB_REJ_INSURANCE_TYPE; r <= SIB_REJ_IDENTITY; r++)
        cJSON_AddNumberToObject(re, sib_reject_reason_name(r), (double)src->rejects[SIB_TABLE_ENROLLMENT][r]);
    cJSON *rc = cJSON_AddObjectToObject(rj, "contribution");
    for (int r = SIB_REJ_ORPHAN; r <= SIB_REJ_REPEAT; r++)
        cJSON_AddNumberToObject(rc, sib_reject_reason_name(r), (double)src->rejects[SIB_TABLE_CONTRIBUTION][r]);
    cJSON *rp = cJSON_AddObjectToObject(rj, "population");
    cJSON_AddNumberToObject(rp, "identity", (double)src->rejects[SIB_TABLE_POPULATION][SIB_REJ_IDENTITY]);

    long oos = 0, not_started = 0;
    for (size_t i = 0; i < src->nenr; i++) {
        oos += src->enr[i].state == SIB_ROW_OUT_OF_SCOPE;
        not_started += src->enr[i].state == SIB_ROW_NOT_STARTED;
    }
    cJSON *os = cJSON_AddObjectToObject(root, "out_of_scope");
    cJSON_AddNumberToObject(os, "enrollment", (double)oos);
    cJSON_AddNumberToObject(os, "contribution", (double)src->contrib_out_of_scope);
    cJSON *ns = cJSON_AddObjectToObject(root, "not_started");
    cJSON_AddNumberToObject(ns, "enrollment", (double)not_started);
    cJSON_AddNumberToObject(ns, "contribution", (double)src->contrib_not_started);

    cJSON *wr = cJSON_AddObjectToObject(root, "warnings");
    cJSON *we = cJSON_AddObjectToObject(wr, "employer");
    cJSON_AddNumberToObject(we, "credit_code", (double)in->emp_warn_credit);
    cJSON_AddNumberToObject(we, "town", (double)in->emp_warn_town);
    cJSON_AddNumberToObject(we, "risk_class", (double)in->emp_warn_risk);
    cJSON *wi = cJSON_AddObjectToObject(wr, "id");
    static const char *const idr[] = { "valid", "missing", "length", "character", "date", "check", "legacy_pre1900" };
    for (int k = 1; k < 7; k++)
        cJSON_AddNumberToObject(wi, idr[k], (double)rs->id_status[k]);

    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

int sib_manifest_write(const char *dir, const char *json, char sha256[65], sib_error *err)
{
    size_t n = strlen(json);
    char *text = malloc(n + 1);
    if (!text)
        return sib_error_set(err, "manifest: out of memory");
    memcpy(text, json, n);
    text[n] = '\n';            /* the file ends with a newline */
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    int rc = sib_fsx_write_file(path, text, n + 1, 0640, err);
    if (rc == SIB_OK && sha256 && sib_sha256_hex(text, n + 1, sha256) != SIB_OK)
        rc = sib_error_set(err, "manifest: sha256 failed");
    free(text);
    return rc == SIB_OK ? SIB_OK : sib_error_prefix(err, "manifest");
}
