/* config.c — defaults, JSON overlay and printing of the configuration. */
#include "common/config.h"
#include "common/json.h"
#include "common/month.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scheme_codes[SIB_NSCHEMES] = { "110", "120", "170", "210", "410" };
static const char *const scheme_zh[SIB_NSCHEMES] = {
    "企业职工基本养老保险", "机关事业单位养老保险", "城乡居民基本养老保险", "失业保险", "工伤保险"
};
static const char *const scheme_en[SIB_NSCHEMES] = {
    "enterprise employee pension", "institution pension", "resident pension",
    "unemployment insurance", "work-injury insurance"
};

/* Shishi's nine towns and sub-districts and the high-tech zone (domain.md). */
static const sib_town default_towns[] = {
    { "350581001", "湖滨街道" }, { "350581002", "凤里街道" }, { "350581100", "灵秀镇" },
    { "350581101", "宝盖镇" },   { "350581102", "蚶江镇" },   { "350581103", "祥芝镇" },
    { "350581104", "鸿山镇" },   { "350581105", "锦尚镇" },   { "350581106", "永宁镇" },
    { "350581400", "石狮高新技术产业开发区" },
};

void sib_config_defaults(sib_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->lapse_threshold[SIB_S110] = 3;
    cfg->lapse_threshold[SIB_S120] = 3;
    cfg->lapse_threshold[SIB_S170] = 12;
    cfg->lapse_threshold[SIB_S210] = 3;
    cfg->lapse_threshold[SIB_S410] = 3;
    cfg->age_min = 16;
    cfg->age_max = 59;
    cfg->guard_reject_share = 0.05;
    /* Fellegi–Sunter posterior log2 odds (docs/matching.md): 10 bits = 1024:1
     * that the candidate is the record's person; 6 bits = 64:1 for review. */
    cfg->match_auto = 10.0;
    cfg->match_review = 6.0;
    /* A helper stream joins once resolution is done and a core is free
     * (src/read/contrib.c, docs/performance.md). */
    cfg->read_streams = 2;
    /* Resolution and dedup on both cores of the model machine. */
    cfg->threads = 2;
    /* Repeated contribution rows usually follow their first row closely. */
    cfg->read_recent_rows = 4096;
    /* The plan's indicator table: 2020 base -> 2025 target. */
    cfg->target_pension = (sib_target){ 308000, 318500 };
    cfg->target_unemployment = (sib_target){ 55328, 65000 };
    cfg->target_injury = (sib_target){ 94000, 106000 };
    cfg->ntowns = (int)(sizeof default_towns / sizeof default_towns[0]);
    memcpy(cfg->towns, default_towns, sizeof default_towns);
    snprintf(cfg->log_level, sizeof cfg->log_level, "info");
    snprintf(cfg->log_format, sizeof cfg->log_format, "kv");
}

static int town_cmp(const void *a, const void *b)
{
    return strcmp(((const sib_town *)a)->code, ((const sib_town *)b)->code);
}

static int get_target(const cJSON *targets, const char *key, sib_target *t, sib_error *err)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(targets, key);
    if (!o)
        return SIB_OK;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "base");
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "target");
    if ((b && !cJSON_IsNumber(b)) || (g && !cJSON_IsNumber(g)))
        return sib_error_set(err, "targets.%s: base and target must be numbers", key);
    if (b)
        t->base = (long)b->valuedouble;
    if (g)
        t->target = (long)g->valuedouble;
    return SIB_OK;
}

int sib_config_load(sib_config *cfg, const char *path, sib_error *err)
{
    cJSON *root = sib_json_load(path, err);
    if (!root)
        return SIB_ERR;
    int rc = SIB_ERR;
    const cJSON *it;

    const cJSON *th = cJSON_GetObjectItemCaseSensitive(root, "lapse_threshold_months");
    cJSON_ArrayForEach(it, th) {
        int s = sib_scheme_from_code(it->string);
        if (s < 0 || !cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 600) {
            sib_error_set(err, "%s: lapse_threshold_months.%s must be a scheme code with 1..600 months",
                          path, it->string);
            goto done;
        }
        cfg->lapse_threshold[s] = (int)it->valuedouble;
    }
    const cJSON *age = cJSON_GetObjectItemCaseSensitive(root, "uninsured_age");
    if (age) {
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(age, "min");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(age, "max");
        if (cJSON_IsNumber(mn))
            cfg->age_min = (int)mn->valuedouble;
        if (cJSON_IsNumber(mx))
            cfg->age_max = (int)mx->valuedouble;
        if (cfg->age_min < 0 || cfg->age_max < cfg->age_min || cfg->age_max > 150) {
            sib_error_set(err, "%s: uninsured_age must satisfy 0 <= min <= max <= 150", path);
            goto done;
        }
    }
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(root, "guard_reject_share");
    if (g) {
        if (!cJSON_IsNumber(g) || g->valuedouble < 0 || g->valuedouble > 1) {
            sib_error_set(err, "%s: guard_reject_share must be a number in 0..1", path);
            goto done;
        }
        cfg->guard_reject_share = g->valuedouble;
    }
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "match");
    if (m) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "auto_link");
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(m, "review");
        if (cJSON_IsNumber(a))
            cfg->match_auto = a->valuedouble;
        if (cJSON_IsNumber(r))
            cfg->match_review = r->valuedouble;
        if (cfg->match_review > cfg->match_auto) {
            sib_error_set(err, "%s: match.review must not exceed match.auto_link", path);
            goto done;
        }
    }
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(root, "read_streams");
    if (rs) {
        if (!cJSON_IsNumber(rs) || (rs->valuedouble != 1 && rs->valuedouble != 2)) {
            sib_error_set(err, "%s: read_streams must be 1 or 2", path);
            goto done;
        }
        cfg->read_streams = (int)rs->valuedouble;
    }
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(root, "threads");
    if (rt) {
        if (!cJSON_IsNumber(rt) || rt->valuedouble != (int)rt->valuedouble || rt->valuedouble < 1 ||
            rt->valuedouble > SIB_PAR_MAX) {
            sib_error_set(err, "%s: threads must be an integer from 1 to %d", path, SIB_PAR_MAX);
            goto done;
        }
        cfg->threads = (int)rt->valuedouble;
    }
    const cJSON *rr = cJSON_GetObjectItemCaseSensitive(root, "read_recent_rows");
    if (rr) {
        if (!cJSON_IsNumber(rr) || rr->valuedouble < 0 || rr->valuedouble > SIB_MAX_RECENT_ROWS ||
            rr->valuedouble != (double)(long)rr->valuedouble) {
            sib_error_set(err, "%s: read_recent_rows must be a whole number from 0 to %ld", path,
                          (long)SIB_MAX_RECENT_ROWS);
            goto done;
        }
        cfg->read_recent_rows = (long)rr->valuedouble;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "targets");
    if (get_target(t, "pension", &cfg->target_pension, err) != SIB_OK ||
        get_target(t, "unemployment", &cfg->target_unemployment, err) != SIB_OK ||
        get_target(t, "injury", &cfg->target_injury, err) != SIB_OK) {
        sib_error_prefix(err, "%s", path);
        goto done;
    }
    const cJSON *towns = cJSON_GetObjectItemCaseSensitive(root, "towns");
    if (towns) {
        cfg->ntowns = 0;
        cJSON_ArrayForEach(it, towns) {
            if (!cJSON_IsString(it) || strlen(it->string) != 9 ||
                strspn(it->string, "0123456789") != 9 || cfg->ntowns == SIB_MAX_TOWNS) {
                sib_error_set(err, "%s: towns.%s: need a 9-digit code and a name (at most %d towns)",
                              path, it->string, SIB_MAX_TOWNS);
                goto done;
            }
            sib_town *tw = &cfg->towns[cfg->ntowns++];
            snprintf(tw->code, sizeof tw->code, "%s", it->string);
            snprintf(tw->name, sizeof tw->name, "%s", it->valuestring);
        }
        qsort(cfg->towns, (size_t)cfg->ntowns, sizeof cfg->towns[0], town_cmp);
    }
    const cJSON *lg = cJSON_GetObjectItemCaseSensitive(root, "log");
    if (lg) {
        const cJSON *lv = cJSON_GetObjectItemCaseSensitive(lg, "level");
        const cJSON *lf = cJSON_GetObjectItemCaseSensitive(lg, "format");
        if (cJSON_IsString(lv))
            snprintf(cfg->log_level, sizeof cfg->log_level, "%s", lv->valuestring);
        if (cJSON_IsString(lf))
            snprintf(cfg->log_format, sizeof cfg->log_format, "%s", lf->valuestring);
    }
    rc = SIB_OK;
done:
    cJSON_Delete(root);
    return rc;
}

static cJSON *target_json(const sib_target *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "base", (double)t->base);
    cJSON_AddNumberToObject(o, "target", (double)t->target);
    return o;
}

char *sib_config_to_json(const sib_config *cfg)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *th = cJSON_AddObjectToObject(root, "lapse_threshold_months");
    for (int s = 0; s < SIB_NSCHEMES; s++)
        cJSON_AddNumberToObject(th, scheme_codes[s], cfg->lapse_threshold[s]);
    cJSON *age = cJSON_AddObjectToObject(root, "uninsured_age");
    cJSON_AddNumberToObject(age, "min", cfg->age_min);
    cJSON_AddNumberToObject(age, "max", cfg->age_max);
    cJSON_AddNumberToObject(root, "guard_reject_share", cfg->guard_reject_share);
    cJSON *m = cJSON_AddObjectToObject(root, "match");
    cJSON_AddNumberToObject(m, "auto_link", cfg->match_auto);
    cJSON_AddNumberToObject(m, "review", cfg->match_review);
    cJSON_AddNumberToObject(root, "read_streams", cfg->read_streams);
    cJSON_AddNumberToObject(root, "read_recent_rows", (double)cfg->read_recent_rows);
    cJSON_AddNumberToObject(root, "threads", cfg->threads);
    cJSON *t = cJSON_AddObjectToObject(root, "targets");
    cJSON_AddItemToObject(t, "pension", target_json(&cfg->target_pension));
    cJSON_AddItemToObject(t, "unemployment", target_json(&cfg->target_unemployment));
    cJSON_AddItemToObject(t, "injury", target_json(&cfg->target_injury));
    cJSON *towns = cJSON_AddObjectToObject(root, "towns");
    for (int i = 0; i < cfg->ntowns; i++)
        cJSON_AddStringToObject(towns, cfg->towns[i].code, cfg->towns[i].name);
    cJSON *lg = cJSON_AddObjectToObject(root, "log");
    cJSON_AddStringToObject(lg, "level", cfg->log_level);
    cJSON_AddStringToObject(lg, "format", cfg->log_format);
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}

int sib_scheme_from_code(const char *code)
{
    if (!code)
        return -1;
    for (int s = 0; s < SIB_NSCHEMES; s++)
        if (strcmp(code, scheme_codes[s]) == 0)
            return s;
    return -1;
}

const char *sib_scheme_code(int scheme)
{
    return scheme >= 0 && scheme < SIB_NSCHEMES ? scheme_codes[scheme] : NULL;
}

const char *sib_scheme_name_zh(int scheme)
{
    return scheme >= 0 && scheme < SIB_NSCHEMES ? scheme_zh[scheme] : NULL;
}

const char *sib_scheme_name_en(int scheme)
{
    return scheme >= 0 && scheme < SIB_NSCHEMES ? scheme_en[scheme] : NULL;
}

const char *sib_config_town_name(const sib_config *cfg, const char *code9)
{
    for (int i = 0; i < cfg->ntowns; i++)
        if (strcmp(cfg->towns[i].code, code9) == 0)
            return cfg->towns[i].name;
    return NULL;
}

int sib_config_town(const sib_config *cfg, const char *raw, char out[10])
{
    size_t n;
    const char *t = sib_trim_ws(raw, &n);
    if (t && (n == 9 || (n == 12 && memcmp(t + 9, "000", 3) == 0))) {
        char code[10];
        memcpy(code, t, 9);
        code[9] = '\0';
        if (sib_config_town_name(cfg, code)) {
            memcpy(out, code, 10);
            return 1;
        }
    }
    memcpy(out, "unknown", 8);
    return 0;
}
