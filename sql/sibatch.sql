-- sibatch.sql — sibatch's own schema. Applied by `sibatch init-db` inside one
-- transaction; idempotent (IF NOT EXISTS everywhere, versioned upgrades).
-- It never touches si_src data.

CREATE SCHEMA IF NOT EXISTS sibatch;
COMMENT ON SCHEMA sibatch IS 'sibatch results: runs, resolved persons, duplicates, conflicts, clearing campaign, rejects';

CREATE TABLE IF NOT EXISTS sibatch.schema_version (
    version     integer PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO sibatch.schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;
