-- truth.sql — schema si_truth: the ground truth written by `sibatch gen`
-- beside the data it generates in si_src. Tests measure the pipeline against
-- it; the pipeline itself never reads it. Idempotent: creates what is
-- missing. All expected_* sets follow shared/docs/definitions.md, computed by
-- the generator from its own model with the true identity of every row.

CREATE SCHEMA IF NOT EXISTS si_truth;

-- The parameters of the generation that filled si_src (one row).
CREATE TABLE IF NOT EXISTS si_truth.generation (
    seed              bigint  NOT NULL,
    scale             double precision NOT NULL,
    as_of             integer NOT NULL,          -- YYYYMM
    months            integer NOT NULL,          -- contribution history back from as_of
    faults            text    NOT NULL,          -- JSON object kind -> rate used
    lapse_threshold   text    NOT NULL,          -- JSON object scheme -> months
    age_min           integer NOT NULL,          -- uninsured age range used
    age_max           integer NOT NULL,
    generator_version text    NOT NULL,
    persons           bigint  NOT NULL,
    enrollments       bigint  NOT NULL,
    contributions     bigint  NOT NULL,
    population_rows   bigint  NOT NULL,
    employers         bigint  NOT NULL
);

-- Every true person (people who appear in no row are not generated).
CREATE TABLE IF NOT EXISTS si_truth.person (
    person_id    bigint PRIMARY KEY,
    person_key   text   NOT NULL UNIQUE,         -- the valid 18-character ID (GB 11643)
    name         text   NOT NULL,                -- the true name (hostile names are true names)
    birth_date   date   NOT NULL,
    gender       smallint NOT NULL,              -- 1 male, 2 female
    town_code    text   NOT NULL,                -- 9-digit town where the person lives
    deceased_on  date,
    in_school    boolean NOT NULL,
    role         text   NOT NULL                 -- the generator's role (employee, resident_beneficiary, ...)
);

-- Which true person each enrollment row belongs to (NULL only for rows of no person).
CREATE TABLE IF NOT EXISTS si_truth.enrollment_person (
    enrollment_id bigint PRIMARY KEY,
    person_id     bigint
);

-- Which true person each population row belongs to.
CREATE TABLE IF NOT EXISTS si_truth.population_person (
    pop_id    bigint PRIMARY KEY,
    person_id bigint NOT NULL
);

-- Every injected fault. row_key: enrollment_id, pop_id, unit_id, person_id,
-- or "enrollment_id:period" for contribution rows (table_name says which).
CREATE TABLE IF NOT EXISTS si_truth.fault (
    kind       text NOT NULL,
    table_name text NOT NULL,
    row_key    text NOT NULL,
    detail     text
);
CREATE INDEX IF NOT EXISTS fault_kind_idx ON si_truth.fault (kind);

-- Distinct true insured persons per scheme at as-of (definitions.md §4),
-- against the city's 2020 year-end figures times --scale. scheme is '110',
-- '120', '170', '210', '410' or 'land_expropriated' (insured in 110 or 170
-- with a land_expropriated record).
CREATE TABLE IF NOT EXISTS si_truth.calibration (
    scheme             text PRIMARY KEY,
    true_insured       bigint NOT NULL,
    true_beneficiaries bigint,                   -- pension schemes
    true_project_based bigint,                   -- 410
    target             bigint,                   -- round(figure * scale)
    target_beneficiaries bigint,                 -- 170
    target_project_based bigint                  -- 410
);

-- §4: lapsed persons (insured, not beneficiary, not project, months_unpaid >= threshold).
CREATE TABLE IF NOT EXISTS si_truth.expected_lapsed (
    person_id      bigint  NOT NULL,
    insurance_type text    NOT NULL,
    months_unpaid  integer NOT NULL,
    PRIMARY KEY (person_id, insurance_type)
);

-- §6: uninsured persons among the population base.
CREATE TABLE IF NOT EXISTS si_truth.expected_uninsured (
    person_id bigint PRIMARY KEY
);

-- §5: 'refund' (170 with 110/120) and 'employee_institution' (110 with 120).
CREATE TABLE IF NOT EXISTS si_truth.expected_conflict (
    person_id      bigint  NOT NULL,
    kind           text    NOT NULL,
    overlap_months integer NOT NULL,
    refund_due     numeric(14,2) NOT NULL,
    PRIMARY KEY (person_id, kind)
);

-- §3: every pair of usable enrollments of one true person in one scheme that
-- lie in the same cluster (connected by overlapping periods), a < b.
CREATE TABLE IF NOT EXISTS si_truth.expected_duplicate_pair (
    enrollment_id_a bigint NOT NULL,
    enrollment_id_b bigint NOT NULL,
    PRIMARY KEY (enrollment_id_a, enrollment_id_b)
);

COMMENT ON SCHEMA si_truth IS 'Ground truth of sibatch gen: never read by the pipeline, only by tests';
