/*
 * Unit tests of common/config: defaults, the JSON overlay, the errors that
 * name the key at fault, and the effective configuration printed back.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/fsx.h"
#include "../../support/testdb.h"

/* Writes text to a fresh file; returns its path (caller frees). */
static char *config_file(const char *text)
{
    char *dir = sibt_tmpdir("unit_config");
    char *path = malloc(strlen(dir) + 16);
    cr_assert_not_null(path);
    sprintf(path, "%s/c.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
    free(dir);
    return path;
}

static void drop(char *path)
{
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    free(path);
}

/* Loads text over the defaults; returns the load's result, err filled. */
static int load(const char *text, sib_config *cfg, sib_error *err)
{
    sib_config_defaults(cfg);
    memset(err, 0, sizeof *err);
    char *path = config_file(text);
    int rc = sib_config_load(cfg, path, err);
    drop(path);
    return rc;
}

Test(unit_config, defaults_follow_the_plan_and_definitions)
{
    sib_config c;
    sib_config_defaults(&c);
    cr_expect_eq(c.lapse_threshold[SIB_S110], 3);
    cr_expect_eq(c.lapse_threshold[SIB_S170], 12);
    cr_expect_eq(c.age_min, 16);
    cr_expect_eq(c.age_max, 59);
    cr_expect_float_eq(c.guard_reject_share, 0.05, 1e-12);
    cr_expect_eq(c.read_streams, 2);
    cr_expect_eq(c.read_recent_rows, 4096);
    cr_expect_eq(c.threads, 2);
    cr_expect_eq(c.ntowns, 10);
    char town[10];
    cr_expect_eq(sib_config_town(&c, "350581100000", town), 1);
    cr_expect_str_eq(town, "350581100");
    cr_expect_eq(sib_config_town(&c, "XYZ", town), 0);
    cr_expect_str_eq(town, "unknown");
}

Test(unit_config, file_overlays_only_its_keys)
{
    sib_config c;
    sib_error e;
    cr_assert_eq(load("{\"lapse_threshold_months\": {\"210\": 6}, \"read_streams\": 1, "
                      "\"read_recent_rows\": 0, \"threads\": 3, \"match\": {\"review\": 5.5}}",
                      &c, &e), SIB_OK, "%s", e.msg);
    cr_expect_eq(c.lapse_threshold[SIB_S210], 6);
    cr_expect_eq(c.lapse_threshold[SIB_S110], 3, "untouched keys keep their defaults");
    cr_expect_eq(c.read_streams, 1);
    cr_expect_eq(c.read_recent_rows, 0);
    cr_expect_eq(c.threads, 3);
    cr_expect_float_eq(c.match_review, 5.5, 1e-12);
    cr_expect_float_eq(c.match_auto, 10.0, 1e-12);
}

Test(unit_config, bad_values_name_the_key)
{
    static const struct { const char *json, *key; } bad[] = {
        { "{\"read_streams\": 3}", "read_streams" },
        { "{\"read_recent_rows\": -1}", "read_recent_rows" },
        { "{\"threads\": 0}", "threads" },
        { "{\"threads\": 9}", "threads" },
        { "{\"threads\": 1.5}", "threads" },
        { "{\"read_recent_rows\": 2.5}", "read_recent_rows" },
        { "{\"read_recent_rows\": 99999999999}", "read_recent_rows" },
        { "{\"read_recent_rows\": \"many\"}", "read_recent_rows" },
        { "{\"guard_reject_share\": 1.5}", "guard_reject_share" },
        { "{\"lapse_threshold_months\": {\"999\": 3}}", "lapse_threshold_months" },
        { "{\"uninsured_age\": {\"min\": 60, \"max\": 16}}", "uninsured_age" },
        { "{\"match\": {\"auto_link\": 4, \"review\": 6}}", "match" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sib_config c;
        sib_error e;
        cr_expect_eq(load(bad[i].json, &c, &e), SIB_ERR, "%s accepted", bad[i].json);
        cr_expect(strstr(e.msg, bad[i].key) != NULL, "%s: message '%s' does not name %s", bad[i].json, e.msg,
                  bad[i].key);
    }
}

Test(unit_config, printed_configuration_loads_back_the_same)
{
    sib_config a;
    sib_error e;
    cr_assert_eq(load("{\"read_recent_rows\": 1000, \"uninsured_age\": {\"min\": 18, \"max\": 60}}", &a, &e),
                 SIB_OK, "%s", e.msg);
    char *text = sib_config_to_json(&a);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "\"read_recent_rows\":\t1000") || strstr(text, "\"read_recent_rows\": 1000"), "%s", text);
    sib_config b;
    cr_assert_eq(load(text, &b, &e), SIB_OK, "%s\n%s", e.msg, text);
    free(text);
    cr_expect_eq(b.read_recent_rows, 1000);
    cr_expect_eq(b.age_min, 18);
    cr_expect_eq(b.age_max, 60);
    cr_expect_eq(b.read_streams, a.read_streams);
    cr_expect_eq(b.ntowns, a.ntowns);
    for (int s = 0; s < SIB_NSCHEMES; s++)
        cr_expect_eq(b.lapse_threshold[s], a.lapse_threshold[s]);
}
