/* fixture.c — the rules fixture in a fresh database (tests/support/fixture.h). */
#include "fixture.h"
#include "testdb.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sibt_fixture_setup(sibt_fixture *f, const char *prefix)
{
    f->dsn = sibt_db_create(prefix);
    f->out = sibt_tmpdir(prefix);
    cr_assert_eq(sibt_run(NULL, "init-db --dsn '%s' 2>/dev/null", f->dsn), 0, "init-db");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "psql -q -v ON_ERROR_STOP=1 '%s' -f tests/reference/fixture_rules.sql >/dev/null 2>&1",
             f->dsn);
    cr_assert_eq(system(cmd), 0, "loading the fixture");
    size_t n = strlen(f->out) + 8;
    f->cfg = malloc(n);
    cr_assert_not_null(f->cfg);
    snprintf(f->cfg, n, "%s.json", f->out);
    FILE *fp = fopen(f->cfg, "w");
    cr_assert_not_null(fp);
    fputs("{\"guard_reject_share\": 1.0}\n", fp);
    fclose(fp);
}

void sibt_fixture_teardown(sibt_fixture *f)
{
    sibt_db_drop(f->dsn);
    if (f->out)
        sibt_rmtree(f->out);
    if (f->cfg)
        unlink(f->cfg);
    free(f->out);
    free(f->cfg);
    memset(f, 0, sizeof *f);
}
