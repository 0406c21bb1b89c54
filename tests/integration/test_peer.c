/*
 * test_peer.c — `sibatch run` with probabilistic linking switched off, against
 * bench/peer.sql: the pure-SQL peer of `make bench`, written separately from
 * definitions.md. Without fuzzy links both must publish exactly the same rows
 * in the three extracts. The reference test (test_reference.c) takes the
 * persons from the pipeline; this one also checks the identity rules on their
 * own: trimming, ID normalization and validation, legacy numbers, the person
 * key.
 *
 *   fixture     the hand-made rules fixture (tests/reference/fixture_rules.sql)
 *   dirt        the same with tests/reference/fixture_dirt.sql on top (NULL
 *               codes, amounts and periods, padded codes, full-width and
 *               legacy IDs of one person, two resident schemes refunded), also
 *               against figures computed by hand
 *   generated   `sibatch gen --scale 0.05`, dirty as the generator makes it
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/fixture.h"
#include "../support/testdb.h"

/* Linking off: no score reaches either threshold. The guard is lifted because
 * the fixture is dirty on purpose. */
static const char *no_links = "{\"guard_reject_share\": 1.0,"
                              " \"match\": {\"auto_link\": 1000000, \"review\": 1000000}}\n";

/* The peer's block of one extract: the lines after "#<name>\n" up to the next
 * "#" line (malloc'd). */
static char *peer_block(const char *peer, const char *name)
{
    char head[64];
    snprintf(head, sizeof head, "#%s\n", name);
    const char *b = strstr(peer, head);
    cr_assert_not_null(b, "the peer printed no %s block:\n%s", name, peer);
    b += strlen(head);
    const char *e = strstr(b, "\n#");
    size_t n = e ? (size_t)(e - b) + 1 : strlen(b);
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    memcpy(s, b, n);
    s[n] = '\0';
    return s;
}

/* Runs sibatch without links and the peer; fails on any difference. Returns
 * the three extracts' bodies (malloc'd) in got[] when got is not NULL. */
static void check_against_peer(const char *dsn, const char *out, char **got)
{
    char cfg[1024], *o = NULL;
    snprintf(cfg, sizeof cfg, "%s/no-links.json", out);
    FILE *f = fopen(cfg, "w");
    cr_assert_not_null(f);
    fputs(no_links, f);
    fclose(f);

    cr_assert_eq(sibt_run(&o, "run --dsn '%s' --as-of 2025-12 --out '%s/files' --config '%s'", dsn, out, cfg), 0,
                 "%s", o);
    cr_assert_not_null(strstr(o, "probable=0 "), "linking was not off:\n%s", o);
    free(o);

    char *peer = NULL;
    cr_assert_eq(sibt_sh(&peer, "psql -X -q -v ON_ERROR_STOP=1 -v as_of=202512 -d '%s' -f bench/peer.sql", dsn), 0,
                 "%s", peer);
    static const char *const extracts[] = { "pension", "unemployment", "injury" };
    for (size_t i = 0; i < sizeof extracts / sizeof extracts[0]; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/files/2025-12/%s.csv.gz", out, extracts[i]);
        char *csv = sibt_read_gz(path, NULL);
        cr_assert_not_null(csv, "cannot read %s", path);
        const char *body = strchr(csv, '\n');
        cr_assert_not_null(body);
        char *want = peer_block(peer, extracts[i]);
        cr_expect_gt(strlen(want), 0, "%s: the peer has no rows", extracts[i]);
        cr_expect_str_eq(body + 1, want, "%s differs from the peer:\n%s--- the peer:\n%s", extracts[i], body + 1, want);
        free(want);
        if (got) {
            got[i] = strdup(body + 1);
            cr_assert_not_null(got[i]);
        }
        free(csv);
    }
    free(peer);
}

Test(integ_peer, fixture, .timeout = 300)
{
    sibt_fixture fx;
    sibt_fixture_setup(&fx, "integ_peer_fixture");
    check_against_peer(fx.dsn, fx.out, NULL);
    sibt_fixture_teardown(&fx);
}

Test(integ_peer, dirt, .timeout = 300)
{
    sibt_fixture fx;
    char *o = NULL, *got[3];
    sibt_fixture_setup(&fx, "integ_peer_dirt");
    cr_assert_eq(sibt_sh(&o, "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -f tests/reference/fixture_rules.sql"
                             " -f tests/reference/fixture_dirt.sql >/dev/null", fx.dsn), 0, "%s", o);
    free(o);
    check_against_peer(fx.dsn, fx.out, got);
    /* by hand (the cases D1..D5 of fixture_dirt.sql) */
    static const struct { int file; const char *row; } want[] = {
        /* D1 one person across full-width and legacy IDs: dup 1; P1, P2, D1
         * insured; 12 months of P1 14500, P2 9600, D1 14400, P7 14400 */
        { 0, "2025-12,350581001,湖滨街道,110,3,2,1,0,2,0,0.00,52900.00\n" },
        /* D2 120: not open (status NULL), pension not yet drawn: a row of zeros */
        { 0, "2025-12,350581101,宝盖镇,120,0,0,0,0,0,0,0.00,0.00\n" },
        /* D3 both 170 payments of 202401-202402 refunded: 2 x 130 + 2 x 225 */
        { 0, "2025-12,350581103,祥芝镇,170,2,0,1,1,1,1,710.00,0.00\n" },
        /* D4 unknown town, dead at the end of A: not insured, 11 months paid */
        { 1, "2025-12,unknown,未知,0,0,0,0,0,660.00\n" },
        /* D2 410: padded town and category, employer without risk class */
        { 2, "2025-12,350581101,宝盖镇,unknown,1,1,1,0,0.00\n" },
        /* D5 employer 77 does not exist; the identical repeat counted once */
        { 2, "2025-12,350581105,锦尚镇,unknown,1,0,0,0,50.00\n" },
        /* D7 dead on '-infinity': not insured, 720.00 paid; the other person
         * keeps 15.00 (paid_on 'infinity') and 2.00 ('-infinity' over NULL) */
        { 1, "2025-12,350581400,石狮高新技术产业开发区,1,1,0,0,0,737.00\n" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect_not_null(strstr(got[want[i].file], want[i].row), "missing row %s in:\n%s", want[i].row,
                           got[want[i].file]);
    for (int i = 0; i < 3; i++)
        free(got[i]);
    /* contribution rejects keep their source key, a NULL part left empty */
    char *keys = sibt_query_text(fx.dsn, "SELECT string_agg(source_key || ' ' || reason || ' ' || detail, '|'"
                                         " ORDER BY source_key) FROM sibatch.reject WHERE source_table = 'contribution'"
                                         " AND (source_key LIKE ':%' OR source_key LIKE '%:')");
    cr_expect_str_eq(keys, "2001: future paid_on=20250115 amount=1200.00|:202501 orphan paid_on=20250115 amount=1200.00");
    free(keys);
    keys = sibt_query_text(fx.dsn, "SELECT string_agg(source_key || ' ' || reason || ' ' || detail, '|'"
                                   " ORDER BY source_key) FROM sibatch.reject WHERE source_key LIKE '2071:%'");
    cr_expect_str_eq(keys, "2071:202511 repeat paid_on= amount=150.00|2071:202512 repeat paid_on=20251220 amount=150.00");
    free(keys);
    /* D7: a '-infinity' record birth date is before 1900; dead on '-infinity' is no target */
    keys = sibt_query_text(fx.dsn, "SELECT id_status || ' ' || link_kind FROM sibatch.population_link WHERE pop_id = 2081");
    cr_expect_str_eq(keys, "legacy_pre1900 unresolved");
    free(keys);
    cr_expect_eq(sibt_query_long(fx.dsn, "SELECT count(*) FROM sibatch.target WHERE person_ref = '350581197505050036'"),
                 0);
    sibt_fixture_teardown(&fx);
}

Test(integ_peer, generated, .timeout = 600)
{
    char *dsn, *tmp, *o = NULL;
    sibt_scratch_open("integ_peer_gen", &dsn, &tmp);
    cr_assert_eq(sibt_run(&o, "init-db --dsn '%s'", dsn), 0, "%s", o);
    free(o);
    cr_assert_eq(sibt_run(&o, "gen --dsn '%s' --scale 0.05 --seed 13 --as-of 2025-12", dsn), 0, "%s", o);
    free(o);
    check_against_peer(dsn, tmp, NULL);
    sibt_scratch_close(&dsn, &tmp);
}
