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

static void check_against_peer(const char *dsn, const char *out)
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
        free(csv);
    }
    free(peer);
}

Test(integ_peer, fixture, .timeout = 300)
{
    sibt_fixture fx;
    sibt_fixture_setup(&fx, "integ_peer_fixture");
    check_against_peer(fx.dsn, fx.out);
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
    check_against_peer(dsn, tmp);
    sibt_scratch_close(&dsn, &tmp);
}
