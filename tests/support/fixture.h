/*
 * fixture.h — the hand-made data set tests/reference/fixture_rules.sql
 * (as-of 2025-12, one case per rule of definitions.md) in a fresh database,
 * with an output directory and a configuration file that lifts the
 * data-quality guard (the fixture is dirty on purpose).
 */
#ifndef SIBT_FIXTURE_H
#define SIBT_FIXTURE_H

typedef struct sibt_fixture {
    char *dsn;      /* the database, schemas created, fixture loaded */
    char *out;      /* an empty output directory */
    char *cfg;      /* a JSON configuration: {"guard_reject_share": 1.0} */
} sibt_fixture;

/* Fails the test when any step fails. */
void sibt_fixture_setup(sibt_fixture *f, const char *prefix);
void sibt_fixture_teardown(sibt_fixture *f);

#endif
