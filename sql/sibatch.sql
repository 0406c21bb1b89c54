-- sibatch.sql — sibatch's own schema. Applied by `sibatch init-db` inside one
-- transaction; idempotent (IF NOT EXISTS everywhere, versioned upgrades at the
-- end). It never touches si_src data.
--
-- Two kinds of tables:
--   history  — kept across runs: run, run_count, target, target_event.
--   current  — the detail of the latest published run only, replaced as a
--              whole (TRUNCATE + COPY inside the publishing transaction):
--              person, enrollment_link, population_link, duplicate,
--              person_scheme, conflict_month, review, reject.
-- Every current row carries the run_id that produced it.

CREATE SCHEMA IF NOT EXISTS sibatch;
COMMENT ON SCHEMA sibatch IS 'sibatch results: runs, resolved persons, duplicates, conflicts, clearing campaign, rejects';

CREATE TABLE IF NOT EXISTS sibatch.schema_version (
    version     integer PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- ------------------------------------------------------------------ history

CREATE TABLE IF NOT EXISTS sibatch.run (
    run_id          bigserial PRIMARY KEY,
    as_of           integer NOT NULL,            -- YYYYMM
    status          text NOT NULL,               -- running | published | failed | aborted | guard | superseded
    started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    host            text,
    pid             integer,
    sibatch_version text,
    snapshot_id     text,                        -- pg_export_snapshot() of the reading transaction
    txid_snapshot   text,                        -- txid_current_snapshot() seen by the run
    out_dir         text,                        -- where the files were published
    manifest_sha256 text,
    message         text,                        -- why it failed, or a summary
    config          jsonb,                       -- the effective configuration
    counts          jsonb                        -- the manifest's totals, dedup, clearing and rejects
);
COMMENT ON TABLE sibatch.run IS 'One row per sibatch run: status moves running -> published | failed | aborted | guard; a rerun of a month marks the older run superseded';
CREATE INDEX IF NOT EXISTS run_as_of_idx ON sibatch.run (as_of, status);

-- The clearing campaign (全民参保登记动态清零). A target is (person, reason,
-- insurance type); it is open while closed_run is NULL.
CREATE TABLE IF NOT EXISTS sibatch.target (
    target_id       bigserial PRIMARY KEY,
    person_ref      text NOT NULL,      -- the person key, or UNRESOLVED-enrollment-<id>
    reason          text NOT NULL,      -- lapsed | uninsured
    insurance_type  text NOT NULL DEFAULT '',   -- '' for uninsured
    town_code       text NOT NULL,      -- 9-digit code or 'unknown', as last flagged
    opened_run      bigint NOT NULL,    -- sibatch.run (no foreign keys: bulk-written nightly)
    opened_as_of    integer NOT NULL,   -- first flagged (YYYYMM)
    last_run        bigint NOT NULL,
    last_as_of      integer NOT NULL,   -- last flagged
    months_unpaid   integer,            -- as last flagged (NULL for uninsured)
    last_paid       integer,            -- latest paid period as last flagged
    closed_run      bigint,
    closed_as_of    integer,
    resolution      text                -- paid | enrolled | excluded (NULL while open)
);
COMMENT ON TABLE sibatch.target IS 'Clearing-campaign targets with their history: opened, refreshed, closed with a resolution';
CREATE INDEX IF NOT EXISTS target_open_idx ON sibatch.target (person_ref, reason, insurance_type) WHERE closed_run IS NULL;
CREATE INDEX IF NOT EXISTS target_closed_run_idx ON sibatch.target (closed_run);
CREATE INDEX IF NOT EXISTS target_opened_run_idx ON sibatch.target (opened_run);

-- What a published run's refresh overwrote in a target: the values the run
-- before it had set. A rerun of a month, or --force to an earlier one, puts
-- the targets the replaced runs refreshed back as they were before the
-- earliest of them (sql/campaign_undo_restore.sql), so that redoing a month
-- gives the state of running it straight through. One row per target a run
-- refreshes; the rows of a replaced run go with it. Pruning the rows of old
-- runs is safe; it only keeps --force from going back past them.
CREATE TABLE IF NOT EXISTS sibatch.target_prior (
    run_id          bigint NOT NULL,    -- the run that refreshed the target
    target_id       bigint NOT NULL,
    town_code       text NOT NULL,
    months_unpaid   integer,
    last_paid       integer,
    last_run        bigint NOT NULL,
    last_as_of      integer NOT NULL,
    PRIMARY KEY (run_id, target_id)
);
COMMENT ON TABLE sibatch.target_prior IS 'Per run: the values its refresh overwrote in sibatch.target, for undoing the run on a rerun or --force';

-- Per run: the campaign's counts by town and insurance type.
CREATE TABLE IF NOT EXISTS sibatch.run_count (
    run_id           bigint NOT NULL REFERENCES sibatch.run ON DELETE CASCADE,
    town_code        text NOT NULL,
    insurance_type   text NOT NULL,     -- '' for uninsured targets
    open_targets     integer NOT NULL,
    opened           integer NOT NULL,
    closed_paid      integer NOT NULL,
    closed_enrolled  integer NOT NULL,
    closed_excluded  integer NOT NULL,
    PRIMARY KEY (run_id, town_code, insurance_type)
);
COMMENT ON TABLE sibatch.run_count IS 'Clearing campaign per run: open, opened and closed targets by town and insurance type';

-- ------------------------------------------------------------------ current

CREATE TABLE IF NOT EXISTS sibatch.person (
    run_id       bigint NOT NULL,
    person_id    integer NOT NULL,          -- the run's person number
    person_ref   text NOT NULL,             -- key, or UNRESOLVED-<source>-<id>
    person_key   text COLLATE "C",          -- valid 18-character ID (NULL when unresolved); byte order
    PRIMARY KEY (person_id)
);
COMMENT ON TABLE sibatch.person IS 'Resolved persons of the latest published run (full ID numbers stay in the database)';
CREATE INDEX IF NOT EXISTS person_key_idx ON sibatch.person (person_key);

CREATE TABLE IF NOT EXISTS sibatch.enrollment_link (
    run_id          bigint NOT NULL,
    enrollment_id   bigint NOT NULL PRIMARY KEY,
    person_id       integer,                -- NULL for rejected / out-of-scope / not-yet-started rows
    usable          boolean NOT NULL,       -- passed the §1 checks and started by the as-of month
    link_kind       text,                   -- exact | normalized | probable | unresolved
    id_status       text NOT NULL,          -- valid | missing | length | character | date | check | legacy_pre1900
    score           real,                   -- Fellegi–Sunter log2 weight (probable and review)
    evidence        text                    -- fields that agreed, e.g. name=exact,birth=exact,id=one_edit
);
COMMENT ON TABLE sibatch.enrollment_link IS 'Enrollment -> person links with kind and evidence (what resolution decided)';
CREATE INDEX IF NOT EXISTS enrollment_link_person_idx ON sibatch.enrollment_link (person_id);

-- Duplicate enrollments (重复参保, definitions §3): the rows of every cluster
-- of two or more overlapping enrollments of one person in one scheme. A
-- usable enrollment not listed here is alone in its cluster and its own
-- survivor; the person's record in a scheme is person_scheme.record_id.
CREATE TABLE IF NOT EXISTS sibatch.duplicate (
    run_id          bigint NOT NULL,
    enrollment_id   bigint NOT NULL PRIMARY KEY,
    person_id       integer NOT NULL,
    insurance_type  text NOT NULL,
    cluster_id      integer NOT NULL,       -- the run's cluster number
    survivor_id     bigint NOT NULL         -- the cluster's surviving enrollment (§3's ranking)
);
COMMENT ON TABLE sibatch.duplicate IS 'Enrollments in duplicate clusters (two or more overlapping enrollments of one person in one scheme) and their survivor';

CREATE TABLE IF NOT EXISTS sibatch.population_link (
    run_id       bigint NOT NULL,
    pop_id       bigint NOT NULL PRIMARY KEY,
    person_id    integer,                   -- NULL for rejected rows
    link_kind    text,
    id_status    text NOT NULL,
    score        real,
    evidence     text
);
COMMENT ON TABLE sibatch.population_link IS 'Population-base row -> person links';
CREATE INDEX IF NOT EXISTS population_link_person_idx ON sibatch.population_link (person_id);

CREATE TABLE IF NOT EXISTS sibatch.person_scheme (
    run_id              bigint NOT NULL,
    person_id           integer NOT NULL,
    insurance_type      text NOT NULL,
    record_id           bigint NOT NULL,    -- the person's record in the scheme (§3)
    town_code           text NOT NULL,      -- 9-digit or 'unknown'
    risk_class          text,               -- 1..8 or 'unknown' (410 only)
    unit_id             bigint,
    worker_category     text,
    insured             boolean NOT NULL,
    beneficiary         boolean NOT NULL,
    lapsed              boolean NOT NULL,
    contributing        boolean NOT NULL,
    last_paid           integer,            -- P, YYYYMM
    months_unpaid       integer,
    clusters            integer NOT NULL,
    duplicates          integer NOT NULL,   -- Σ (cluster size − 1)
    conflict            boolean NOT NULL,
    refund_due          numeric(14,2) NOT NULL,
    contributions_12m   numeric(14,2) NOT NULL,
    PRIMARY KEY (person_id, insurance_type)
);
COMMENT ON TABLE sibatch.person_scheme IS 'Per person and scheme at the as-of month (definitions §3-§5): the facts the extracts add up';

CREATE TABLE IF NOT EXISTS sibatch.conflict_month (
    run_id        bigint NOT NULL,
    person_id     integer NOT NULL,
    month         integer NOT NULL,         -- YYYYMM
    kind          text NOT NULL,            -- refund (170 with 110/120) | employee_institution (110 with 120)
    refund        numeric(14,2) NOT NULL,   -- 170 personal + collective subsidy refunded for the month
    PRIMARY KEY (person_id, month, kind)
);
COMMENT ON TABLE sibatch.conflict_month IS 'Cross-scheme pension conflicts (重复参保), one row per person, month and kind';

CREATE TABLE IF NOT EXISTS sibatch.review (
    run_id         bigint NOT NULL,
    source_table   text NOT NULL,           -- enrollment | population
    source_id      bigint NOT NULL,
    candidate_id   integer NOT NULL,        -- person_id proposed
    score          real NOT NULL,
    evidence       text
);
CREATE INDEX IF NOT EXISTS review_source_idx ON sibatch.review (source_table, source_id);
COMMENT ON TABLE sibatch.review IS 'Probable matches between the review and auto-link thresholds: not merged, for a person of staff';

CREATE TABLE IF NOT EXISTS sibatch.reject (
    run_id        bigint NOT NULL,
    source_table  text NOT NULL,            -- enrollment | contribution | population | employer
    source_key    text NOT NULL,            -- enrollment_id / pop_id / unit_id, or enrollment_id:period for contributions
    reason        text NOT NULL,            -- definitions §1 reason code (employer: warning codes)
    severity      text NOT NULL DEFAULT 'reject',   -- reject | out_of_scope | warning
    detail        text
);
COMMENT ON TABLE sibatch.reject IS 'Rows sibatch could not use, with their source key and reason; out-of-scope rows and employer warnings too';
CREATE INDEX IF NOT EXISTS reject_reason_idx ON sibatch.reject (source_table, reason);

INSERT INTO sibatch.schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;

-- ------------------------------------------------------------------ upgrades

-- Version 2: person.person_key in byte order (COLLATE "C"). An ID is digits:
-- byte order is its natural order, equality is the same, and the index on it
-- (rebuilt by every run) builds a third faster than under a libc locale. The
-- four views on sibatch.person are dropped here and created again by
-- sql/views.sql, which init-db applies next in the same transaction.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
                WHERE a.attrelid = 'sibatch.person'::regclass AND a.attname = 'person_key'
                  AND c.collname <> 'C') THEN
        DROP VIEW IF EXISTS sibatch.v_person, sibatch.v_merge_reason, sibatch.v_duplicate_cluster,
                            sibatch.v_conflict;
        ALTER TABLE sibatch.person ALTER COLUMN person_key TYPE text COLLATE "C";
    END IF;
END $$;
INSERT INTO sibatch.schema_version (version) VALUES (2) ON CONFLICT DO NOTHING;

-- Version 3: the duplicate clusters move from three columns of
-- enrollment_link (cluster_id, survivor_id, is_record, one value per
-- enrollment) to their own table sibatch.duplicate (the rows of clusters of
-- two or more), so that enrollment_link holds what resolution decided and is
-- stored while the contributions still stream in. is_record is
-- person_scheme.record_id. The two views reading those columns are dropped
-- here and created again by sql/views.sql.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'sibatch.enrollment_link'::regclass
                  AND attname = 'cluster_id' AND NOT attisdropped) THEN
        DROP VIEW IF EXISTS sibatch.v_merge_reason, sibatch.v_duplicate_cluster;
        ALTER TABLE sibatch.enrollment_link DROP COLUMN cluster_id, DROP COLUMN survivor_id,
                                            DROP COLUMN is_record;
    END IF;
END $$;
INSERT INTO sibatch.schema_version (version) VALUES (3) ON CONFLICT DO NOTHING;

-- Version 4: sibatch.target_prior (created above with IF NOT EXISTS). Runs
-- published before the upgrade left no rows there: redoing one of their
-- months restores nothing they refreshed, as before.
INSERT INTO sibatch.schema_version (version) VALUES (4) ON CONFLICT DO NOTHING;
