-- expected.sql — an independent reference implementation of
-- shared/docs/definitions.md §1–§9 in plain SQL, written from the contract
-- alone (not from sibatch's C code). Used by tests/integration/test_reference.c
-- to check the nightly run's extracts and clearing lists cell by cell.
--
-- Input (temp tables the caller creates first, in the same session):
--   ref_params(as_of integer)                     one row, A as YYYYMM
--   ref_ident(source text, source_id bigint, person_ref text)
--       source 'enrollment' | 'population'; maps rows to persons. Filled from
--       si_truth ("truth identity": person_ref = the true person key) or from
--       sibatch.enrollment_link/population_link + sibatch.person ("pipeline
--       identity": person_ref = sibatch.person.person_ref).
--   and si_src.* itself.
-- Output (temp tables, dropped and re-created on every execution):
--   ref_pension, ref_unemployment, ref_injury   exactly the extract columns,
--       as text formatted like the files (money with two decimals), with a
--       column ord giving the file's row order (1-based)
--   ref_lapsed(person_ref, insurance_type, months_unpaid)
--   ref_uninsured(person_ref)
--   ref_conflict(person_ref, overlap_months, refund_due)
--   ref_conflict_month(person_ref, month, kind, refund)
--   ref_clearing(file, ord, <the clearing columns as text>)
--   ref_rejects(source_table, reason, n), ref_out_of_scope(source_table, n)
--   ref_person_scheme(...) the per person and scheme facts (§3–§5)
--
-- Choices where the contract leaves room (also in docs/dba.md):
--  R1 A "valid YYYYMM" is an integer 100001..999912 whose last two digits are
--     01..12 (any four-digit year).
--  R2 insurance_type 310/510 (after trimming) is out_of_scope even if the row
--     also has a bad period or no identity: the type is checked first.
--  R3 Contributions of an enrollment that starts after A are checked like any
--     other (future, negative, repeat are still rejects) but take part in no
--     figure, like their enrollment.
--  R4 NULL amounts count as 0.00 (they are not negative). A NULL period is
--     not a valid YYYYMM (reason future). A NULL enrollment_id is an orphan.
--  R5 status is compared after the same Unicode white-space trimming as
--     insurance_type; an unknown status ranks after 3 for survivors.
--  R6 A person's population facts (in_school, town, name, gender) come from
--     their linked population row with the lowest pop_id (§2); the person is
--     deceased when any linked row has deceased_on <= end of A (§4).
--  R7 benefit_start_month counts when it is a valid YYYYMM (R1) <= A; any
--     other value is read as NULL (a pension needs a month it started).
--  R8 A usable enrollment without a row in ref_ident is its own unresolved
--     person, UNRESOLVED-enrollment-<id>.
--  R9 last_paid_period of an uninsured clearing row is the latest month the
--     person paid in any pension scheme (110, 120, 170: the schemes §6 says
--     they are not insured in), kept rows of usable enrollments as for P;
--     empty when never. §9 empties insurance_type and months_unpaid for
--     uninsured rows, not this column.
--  R10 Clearing ties beyond masked_id and name are broken by insurance_type.
--  R11 first_flagged is A: true for the first run on a database only.
--  R12 town_code and worker_category are compared after the same trimming
--     as insurance_type and status (so ' project ' is project-based and
--     U+3000 '350581001' is 湖滨街道).

-- --------------------------------------------------------------- parameters
-- JIT compilation of these large statements costs more than it saves.
SET jit = off;
ANALYZE ref_ident;
DROP TABLE IF EXISTS ref_a, ref_town, ref_thr;
CREATE TEMP TABLE ref_a AS
SELECT as_of AS a,
       (as_of / 100) * 12 + as_of % 100 AS a_ym,               -- month number y*12+m
       (make_date(as_of / 100, as_of % 100, 1) + interval '1 month' - interval '1 day')::date AS a_end,
       to_char(make_date(as_of / 100, as_of % 100, 1), 'YYYY-MM') AS a_text,
       -- Unicode White_Space (PropList.txt), every code point listed
       '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]'::text AS ws
FROM ref_params;

CREATE TEMP TABLE ref_town (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO ref_town VALUES
 ('350581001', '湖滨街道'), ('350581002', '凤里街道'), ('350581100', '灵秀镇'),
 ('350581101', '宝盖镇'), ('350581102', '蚶江镇'), ('350581103', '祥芝镇'),
 ('350581104', '鸿山镇'), ('350581105', '锦尚镇'), ('350581106', '永宁镇'),
 ('350581400', '石狮高新技术产业开发区');

-- Lapse thresholds (configuration defaults of definitions §4).
CREATE TEMP TABLE ref_thr (itype text PRIMARY KEY, months integer NOT NULL, pension boolean NOT NULL);
INSERT INTO ref_thr VALUES ('110', 3, true), ('120', 3, true), ('170', 12, true),
                           ('210', 3, false), ('410', 3, false);

-- ------------------------------------------------------------ §1 enrollments
DROP TABLE IF EXISTS ref_enr;
CREATE TEMP TABLE ref_enr AS
SELECT e.enrollment_id, e.id_number, e.name, e.gender, e.birth_date, e.unit_id,
       t.worker_category, t.town_code, e.start_month, e.end_month, e.benefit_start_month,
       t.itype, t.status,
       CASE
         WHEN t.itype IN ('310', '510') THEN 'out_of_scope'
         WHEN t.itype IS NULL OR t.itype NOT IN ('110', '120', '170', '210', '410') THEN 'insurance_type'
         WHEN e.start_month IS NULL
              OR NOT (e.start_month BETWEEN 100001 AND 999912 AND e.start_month % 100 BETWEEN 1 AND 12)
              OR (e.end_month IS NOT NULL
                  AND NOT (e.end_month BETWEEN 100001 AND 999912 AND e.end_month % 100 BETWEEN 1 AND 12))
              OR e.end_month < e.start_month THEN 'period'
         WHEN coalesce(regexp_replace(e.id_number, a.ws, '', 'g'), '') = ''
              AND coalesce(regexp_replace(e.name, a.ws, '', 'g'), '') = '' THEN 'identity'
       END AS fault
FROM si_src.enrollment e
CROSS JOIN ref_a a
CROSS JOIN LATERAL (
    SELECT regexp_replace(e.insurance_type, '^' || a.ws || '+|' || a.ws || '+$', '', 'g') AS itype,
           regexp_replace(e.status, '^' || a.ws || '+|' || a.ws || '+$', '', 'g') AS status,
           regexp_replace(e.worker_category, '^' || a.ws || '+|' || a.ws || '+$', '', 'g') AS worker_category,
           regexp_replace(e.town_code, '^' || a.ws || '+|' || a.ws || '+$', '', 'g') AS town_code
) t;

ALTER TABLE ref_enr ADD COLUMN usable boolean;
UPDATE ref_enr SET usable = (fault IS NULL AND start_month <= (SELECT a FROM ref_a));
CREATE INDEX ON ref_enr (enrollment_id);
ANALYZE ref_enr;

-- ----------------------------------------------------------- §1 contributions
DROP TABLE IF EXISTS ref_con;
CREATE TEMP TABLE ref_con AS
WITH c0 AS (
    SELECT c.ctid AS row_id, c.enrollment_id, c.period, c.employer_amount, c.personal_amount, c.paid_on,
           coalesce(c.employer_amount, 0) + coalesce(c.personal_amount, 0) AS amount,
           e.usable, e.itype,
           CASE
             WHEN e.enrollment_id IS NULL THEN 'orphan'
             WHEN e.fault = 'out_of_scope' THEN 'out_of_scope'
             WHEN e.fault IS NOT NULL THEN 'rejected_enrollment'
             WHEN c.period IS NULL
                  OR NOT (c.period BETWEEN 100001 AND 999912 AND c.period % 100 BETWEEN 1 AND 12)
                  OR c.period > a.a THEN 'future'
             WHEN c.base < 0 OR c.employer_amount < 0 OR c.personal_amount < 0 THEN 'negative'
           END AS fault
    FROM si_src.contribution c
    CROSS JOIN ref_a a
    LEFT JOIN ref_enr e ON e.enrollment_id = c.enrollment_id
)
SELECT c0.*,
       CASE WHEN fault IS NULL THEN
            row_number() OVER (PARTITION BY (fault IS NULL), enrollment_id, period
                               ORDER BY paid_on DESC NULLS LAST, amount DESC, row_id)
       END AS rank_in_period
FROM c0;
UPDATE ref_con SET fault = 'repeat' WHERE fault IS NULL AND rank_in_period > 1;

-- Kept rows that take part in the figures (usable enrollments only).
DROP TABLE IF EXISTS ref_paid;
CREATE TEMP TABLE ref_paid AS
SELECT enrollment_id, itype, period, (period / 100) * 12 + period % 100 AS p_ym,
       coalesce(employer_amount, 0) AS employer_amount, coalesce(personal_amount, 0) AS personal_amount,
       amount
FROM ref_con WHERE fault IS NULL AND usable;
CREATE INDEX ON ref_paid (enrollment_id);
ANALYZE ref_paid;

-- ------------------------------------------------------------ §1 population
DROP TABLE IF EXISTS ref_pop;
CREATE TEMP TABLE ref_pop AS
SELECT p.pop_id, p.id_number, p.name, p.gender, p.birth_date,
       regexp_replace(p.town_code, '^' || a.ws || '+|' || a.ws || '+$', '', 'g') AS town_code,
       p.residence, p.deceased_on, p.in_school,
       CASE WHEN coalesce(regexp_replace(p.id_number, a.ws, '', 'g'), '') = ''
             AND coalesce(regexp_replace(p.name, a.ws, '', 'g'), '') = '' THEN 'identity' END AS fault
FROM si_src.population p CROSS JOIN ref_a a;

DROP TABLE IF EXISTS ref_rejects, ref_out_of_scope;
CREATE TEMP TABLE ref_rejects AS
SELECT 'enrollment'::text AS source_table, fault AS reason, count(*) AS n
  FROM ref_enr WHERE fault IS NOT NULL AND fault <> 'out_of_scope' GROUP BY fault
UNION ALL
SELECT 'contribution', fault, count(*)
  FROM ref_con WHERE fault IS NOT NULL AND fault <> 'out_of_scope' GROUP BY fault
UNION ALL
SELECT 'population', fault, count(*) FROM ref_pop WHERE fault IS NOT NULL GROUP BY fault;
CREATE TEMP TABLE ref_out_of_scope AS
SELECT 'enrollment'::text AS source_table, count(*) AS n FROM ref_enr WHERE fault = 'out_of_scope'
UNION ALL
SELECT 'contribution', count(*) FROM ref_con WHERE fault = 'out_of_scope';

-- ---------------------------------------------------------------- §2 persons
-- Usable enrollments with their person (R8).
DROP TABLE IF EXISTS ref_pe;
CREATE TEMP TABLE ref_pe AS
SELECT e.*, coalesce(i.person_ref, 'UNRESOLVED-enrollment-' || e.enrollment_id) AS person_ref,
       (e.start_month <= a.a AND (e.end_month IS NULL OR e.end_month >= a.a)) AS open_at_a,
       (e.start_month <= a.a AND (e.end_month IS NULL OR e.end_month >= a.a)
        AND e.status IN ('1', '2')) AS open12,
       coalesce(t.pension AND e.benefit_start_month <= a.a AND e.benefit_start_month BETWEEN 100001 AND 999912
                AND e.benefit_start_month % 100 BETWEEN 1 AND 12, false) AS draws,
       coalesce(e.end_month, a.a) AS end_eff,
       lp.last_paid,
       CASE e.status WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 ELSE 4 END AS status_rank
FROM ref_enr e
CROSS JOIN ref_a a
JOIN ref_thr t ON t.itype = e.itype
LEFT JOIN ref_ident i ON i.source = 'enrollment' AND i.source_id = e.enrollment_id
LEFT JOIN (SELECT enrollment_id, max(period) AS last_paid FROM ref_paid GROUP BY 1) lp
       ON lp.enrollment_id = e.enrollment_id
WHERE e.usable;
ANALYZE ref_pe;

-- The person's population row: the lowest pop_id among the linked rows (R6).
DROP TABLE IF EXISTS ref_person_pop;
CREATE TEMP TABLE ref_person_pop AS
SELECT DISTINCT ON (i.person_ref) i.person_ref, p.*,
       coalesce(bool_or(p.deceased_on <= a.a_end) OVER (PARTITION BY i.person_ref), false) AS dead
FROM ref_ident i
JOIN ref_pop p ON p.pop_id = i.source_id AND p.fault IS NULL
CROSS JOIN ref_a a
WHERE i.source = 'population'
ORDER BY i.person_ref, p.pop_id;
ANALYZE ref_person_pop;

-- --------------------------------------------------- §3 clusters, survivors
-- Gaps and islands over start-sorted periods with a running max of the ends.
DROP TABLE IF EXISTS ref_cl;
CREATE TEMP TABLE ref_cl AS
WITH s AS (
    SELECT pe.*,
           max(end_eff) OVER (PARTITION BY person_ref, itype ORDER BY start_month, enrollment_id
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max_end
    FROM ref_pe pe
), n AS (
    SELECT s.*, CASE WHEN prev_max_end IS NOT NULL AND start_month <= prev_max_end THEN 0 ELSE 1 END AS new_cluster
    FROM s
)
SELECT n.*,
       sum(new_cluster) OVER (PARTITION BY person_ref, itype ORDER BY start_month, enrollment_id) AS cluster_no
FROM n;
ANALYZE ref_cl;

DROP TABLE IF EXISTS ref_cluster;
CREATE TEMP TABLE ref_cluster AS
WITH ranked AS (
    SELECT c.*,
           row_number() OVER (PARTITION BY person_ref, itype, cluster_no
                              ORDER BY open12 DESC, last_paid DESC NULLS LAST, status_rank,
                                       start_month, enrollment_id) AS rk,
           bool_or(open12) OVER (PARTITION BY person_ref, itype, cluster_no) AS has_open12,
           max(last_paid) OVER (PARTITION BY person_ref, itype, cluster_no) AS cluster_last_paid,
           count(*) OVER (PARTITION BY person_ref, itype, cluster_no) AS size
    FROM ref_cl c
)
SELECT person_ref, itype, cluster_no, enrollment_id AS survivor_id, start_month AS survivor_start,
       has_open12, cluster_last_paid, size
FROM ranked WHERE rk = 1;

-- §3 the person's record in the scheme.
DROP TABLE IF EXISTS ref_record;
CREATE TEMP TABLE ref_record AS
WITH cand AS (
    SELECT person_ref, itype, survivor_id AS record_id, 1 AS prio, 0 AS k1, 0 AS k2
      FROM ref_cluster WHERE has_open12
    UNION ALL
    SELECT person_ref, itype, enrollment_id, 2, -benefit_start_month, 0
      FROM ref_pe WHERE draws
    UNION ALL
    SELECT person_ref, itype, survivor_id, 3, -coalesce(cluster_last_paid, 0), -survivor_start
      FROM ref_cluster
)
SELECT DISTINCT ON (person_ref, itype) person_ref, itype, record_id
FROM cand
ORDER BY person_ref, itype, prio, k1, k2, record_id;

-- ------------------------------------------------------- §4, §5 per person
DROP TABLE IF EXISTS ref_conflict_month, ref_conflict;
CREATE TEMP TABLE ref_conflict_month AS
WITH pm AS (
    SELECT pe.person_ref, pe.itype, p.period, sum(p.amount) AS amount
    FROM ref_paid p JOIN ref_pe pe USING (enrollment_id)
    WHERE pe.itype IN ('110', '120', '170')
    GROUP BY 1, 2, 3
), per AS (
    SELECT person_ref, period,
           bool_or(itype = '110') AS p110, bool_or(itype = '120') AS p120, bool_or(itype = '170') AS p170,
           sum(amount) FILTER (WHERE itype = '170') AS amount170
    FROM pm GROUP BY 1, 2
)
SELECT person_ref, period AS month, 'refund'::text AS kind, amount170 AS refund
  FROM per WHERE p170 AND (p110 OR p120)
UNION ALL
SELECT person_ref, period, 'employee_institution', 0.00 FROM per WHERE p110 AND p120;

CREATE TEMP TABLE ref_conflict AS
SELECT person_ref, count(DISTINCT month) AS overlap_months, sum(refund)::numeric(14,2) AS refund_due
FROM ref_conflict_month GROUP BY person_ref;

-- Schemes a conflict person is counted in (§5: every scheme involved).
DROP TABLE IF EXISTS ref_conflict_scheme;
CREATE TEMP TABLE ref_conflict_scheme AS
SELECT DISTINCT cm.person_ref, pe.itype
FROM ref_conflict_month cm
JOIN ref_pe pe ON pe.person_ref = cm.person_ref
JOIN ref_paid p ON p.enrollment_id = pe.enrollment_id AND p.period = cm.month
WHERE (cm.kind = 'refund' AND pe.itype IN ('110', '120', '170'))
   OR (cm.kind = 'employee_institution' AND pe.itype IN ('110', '120'));

DROP TABLE IF EXISTS ref_person_scheme;
CREATE TEMP TABLE ref_person_scheme AS
WITH agg AS (
    SELECT pe.person_ref, pe.itype,
           bool_or(pe.open12) AS any_open12, bool_or(pe.draws) AS draws,
           max(pe.last_paid) AS last_paid,
           count(*) AS n_enrollments, count(DISTINCT pe.cluster_no) AS clusters
    FROM ref_cl pe GROUP BY 1, 2
), money AS (
    SELECT pe.person_ref, pe.itype, sum(p.amount) AS c12
    FROM ref_pe pe JOIN ref_paid p USING (enrollment_id) CROSS JOIN ref_a a
    WHERE p.p_ym BETWEEN a.a_ym - 11 AND a.a_ym
    GROUP BY 1, 2
), base AS (
    SELECT g.person_ref, g.itype, r.record_id, e.town_code AS raw_town, e.unit_id, e.worker_category,
           e.start_month AS s, e.name, e.gender, e.birth_date,
           coalesce(pp.dead, false) AS deceased,
           g.any_open12, g.draws, g.last_paid, g.clusters, g.n_enrollments - g.clusters AS duplicates,
           coalesce(m.c12, 0) AS c12,
           a.a_ym - greatest(coalesce((g.last_paid / 100) * 12 + g.last_paid % 100, 0),
                             (e.start_month / 100) * 12 + e.start_month % 100 - 1) AS months_unpaid,
           t.months AS threshold
    FROM agg g
    CROSS JOIN ref_a a
    JOIN ref_record r USING (person_ref, itype)
    JOIN ref_enr e ON e.enrollment_id = r.record_id
    JOIN ref_thr t ON t.itype = g.itype
    LEFT JOIN ref_person_pop pp ON pp.person_ref = g.person_ref
    LEFT JOIN money m ON m.person_ref = g.person_ref AND m.itype = g.itype
), ins AS (
    SELECT b.*, (NOT deceased AND (any_open12 OR draws)) AS insured FROM base b
), lap AS (
    SELECT i.*, (insured AND draws) AS beneficiary,
           (insured AND NOT draws AND coalesce(worker_category, '') <> 'project'
            AND months_unpaid >= threshold) AS lapsed
    FROM ins i
)
SELECT l.*,
       (insured AND NOT lapsed AND NOT beneficiary) AS contributing,
       CASE WHEN tw.code IS NOT NULL THEN tw.code
            WHEN length(raw_town) = 12 AND right(raw_town, 3) = '000' AND tw12.code IS NOT NULL THEN tw12.code
            ELSE 'unknown' END AS town_code,
       CASE WHEN emp.injury_risk_class BETWEEN 1 AND 8 THEN emp.injury_risk_class::text ELSE 'unknown' END AS risk_class,
       emp.unit_id AS employer_id, emp.name AS employer_name, emp.credit_code AS employer_credit_code,
       (cs.person_ref IS NOT NULL) AS conflict,
       CASE WHEN l.itype = '170' THEN coalesce(cf.refund_due, 0) ELSE 0 END AS refund_due
FROM lap l
LEFT JOIN ref_town tw ON tw.code = l.raw_town
LEFT JOIN ref_town tw12 ON tw12.code = left(l.raw_town, 9)
LEFT JOIN si_src.employer emp ON emp.unit_id = l.unit_id
LEFT JOIN ref_conflict_scheme cs ON cs.person_ref = l.person_ref AND cs.itype = l.itype
LEFT JOIN ref_conflict cf ON cf.person_ref = l.person_ref;
CREATE INDEX ON ref_person_scheme (person_ref);
ANALYZE ref_person_scheme;

-- ------------------------------------------------------------ §8 extracts
DROP TABLE IF EXISTS ref_pension, ref_unemployment, ref_injury;
CREATE TEMP TABLE ref_pension AS
WITH g AS (
    SELECT town_code, itype,
           count(*) FILTER (WHERE insured) AS insured, count(*) FILTER (WHERE contributing) AS contributing,
           count(*) FILTER (WHERE lapsed) AS lapsed, count(*) FILTER (WHERE beneficiary) AS beneficiaries,
           sum(duplicates) AS duplicates, count(*) FILTER (WHERE conflict) AS conflicts,
           sum(refund_due) AS refund_due, sum(c12) AS c12
    FROM ref_person_scheme WHERE itype IN ('110', '120', '170') GROUP BY 1, 2
)
SELECT row_number() OVER (ORDER BY town_code = 'unknown', town_code, itype) AS ord,
       a.a_text AS as_of, g.town_code, coalesce(tw.name, '未知') AS town_name, g.itype AS scheme,
       insured::text AS insured_persons, contributing::text AS contributing_persons,
       lapsed::text AS lapsed_persons, beneficiaries::text AS beneficiaries,
       duplicates::text AS duplicate_enrollments, conflicts::text AS conflict_persons,
       refund_due::numeric(16,2)::text AS refund_due, c12::numeric(16,2)::text AS contributions_12m
FROM g CROSS JOIN ref_a a LEFT JOIN ref_town tw ON tw.code = g.town_code;

CREATE TEMP TABLE ref_unemployment AS
WITH g AS (
    SELECT town_code,
           count(*) FILTER (WHERE insured) AS insured, count(*) FILTER (WHERE contributing) AS contributing,
           count(*) FILTER (WHERE lapsed) AS lapsed,
           count(DISTINCT employer_id) FILTER (WHERE insured) AS employers,
           sum(duplicates) AS duplicates, sum(c12) AS c12
    FROM ref_person_scheme WHERE itype = '210' GROUP BY 1
)
SELECT row_number() OVER (ORDER BY town_code = 'unknown', town_code) AS ord,
       a.a_text AS as_of, g.town_code, coalesce(tw.name, '未知') AS town_name,
       insured::text AS insured_persons, contributing::text AS contributing_persons,
       lapsed::text AS lapsed_persons, employers::text AS employers,
       duplicates::text AS duplicate_enrollments, c12::numeric(16,2)::text AS contributions_12m
FROM g CROSS JOIN ref_a a LEFT JOIN ref_town tw ON tw.code = g.town_code;

CREATE TEMP TABLE ref_injury AS
WITH g AS (
    SELECT town_code, risk_class,
           count(*) FILTER (WHERE insured) AS insured,
           count(*) FILTER (WHERE insured AND worker_category = 'project') AS project,
           count(DISTINCT employer_id) FILTER (WHERE insured) AS employers,
           count(*) FILTER (WHERE lapsed) AS lapsed, sum(c12) AS c12
    FROM ref_person_scheme WHERE itype = '410' GROUP BY 1, 2
)
SELECT row_number() OVER (ORDER BY town_code = 'unknown', town_code, risk_class = 'unknown', risk_class) AS ord,
       a.a_text AS as_of, g.town_code, coalesce(tw.name, '未知') AS town_name, risk_class,
       insured::text AS insured_persons, project::text AS project_based_persons,
       employers::text AS employers, lapsed::text AS lapsed_persons,
       c12::numeric(16,2)::text AS contributions_12m
FROM g CROSS JOIN ref_a a LEFT JOIN ref_town tw ON tw.code = g.town_code;

-- ------------------------------------------------------- §6, §7 targets
DROP TABLE IF EXISTS ref_lapsed, ref_uninsured;
CREATE TEMP TABLE ref_lapsed AS
SELECT person_ref, itype AS insurance_type, months_unpaid FROM ref_person_scheme WHERE lapsed;

CREATE TEMP TABLE ref_uninsured AS
SELECT pp.person_ref
FROM ref_person_pop pp CROSS JOIN ref_a a
WHERE pp.person_ref NOT LIKE 'UNRESOLVED-%'
  AND NOT pp.dead
  AND extract(year FROM age(a.a_end, to_date(substr(pp.person_ref, 7, 8), 'YYYYMMDD'))) BETWEEN 16 AND 59
  AND pp.in_school IS NOT TRUE
  AND NOT EXISTS (SELECT 1 FROM ref_person_scheme s
                  WHERE s.person_ref = pp.person_ref AND s.itype IN ('110', '120', '170') AND s.insured);

-- ----------------------------------------------------------- §9 clearing
-- Values as written in the files: spreadsheet guard applied to text cells.
DROP TABLE IF EXISTS ref_clearing;
CREATE TEMP TABLE ref_clearing AS
WITH rows AS (
    SELECT s.town_code, s.person_ref,
           CASE WHEN s.person_ref LIKE 'UNRESOLVED-%' THEN s.person_ref
                ELSE left(s.person_ref, 6) || '********' || right(s.person_ref, 4) END AS masked_id,
           s.name, s.gender,
           CASE WHEN s.person_ref LIKE 'UNRESOLVED-%' THEN s.birth_date
                ELSE to_date(substr(s.person_ref, 7, 8), 'YYYYMMDD') END AS birth,
           'lapsed'::text AS reason, s.itype AS insurance_type, s.months_unpaid,
           s.last_paid, s.employer_name, s.employer_credit_code, 0 AS reason_rank
    FROM ref_person_scheme s WHERE s.lapsed
    UNION ALL
    SELECT CASE WHEN tw.code IS NOT NULL THEN tw.code
                WHEN length(pp.town_code) = 12 AND right(pp.town_code, 3) = '000' AND tw12.code IS NOT NULL THEN tw12.code
                ELSE 'unknown' END,
           pp.person_ref, left(pp.person_ref, 6) || '********' || right(pp.person_ref, 4),
           pp.name, pp.gender, to_date(substr(pp.person_ref, 7, 8), 'YYYYMMDD'),
           'uninsured', '', NULL,
           (SELECT max(s.last_paid) FROM ref_person_scheme s              -- R9
             WHERE s.person_ref = pp.person_ref AND s.itype IN ('110', '120', '170')),
           NULL, NULL, 1
    FROM ref_uninsured u
    JOIN ref_person_pop pp USING (person_ref)
    LEFT JOIN ref_town tw ON tw.code = pp.town_code
    LEFT JOIN ref_town tw12 ON tw12.code = left(pp.town_code, 9)
), guarded AS (
    SELECT r.*,
           CASE WHEN r.name ~ '^[=+@-]' THEN '''' || r.name ELSE coalesce(r.name, '') END AS g_name,
           CASE WHEN r.gender ~ '^[=+@-]' THEN '''' || r.gender ELSE coalesce(r.gender, '') END AS g_gender,
           CASE WHEN r.employer_name ~ '^[=+@-]' THEN '''' || r.employer_name ELSE coalesce(r.employer_name, '') END AS g_emp,
           CASE WHEN r.employer_credit_code ~ '^[=+@-]' THEN '''' || r.employer_credit_code
                ELSE coalesce(r.employer_credit_code, '') END AS g_code
    FROM rows r
)
SELECT g.town_code AS file,
       row_number() OVER (PARTITION BY g.town_code
                          ORDER BY reason_rank, months_unpaid DESC, masked_id COLLATE "C",
                                   g_name COLLATE "C", insurance_type) AS ord,
       a.a_text AS as_of, g.town_code, g.masked_id, g.g_name AS name, g.g_gender AS gender,
       coalesce(extract(year FROM age(a.a_end, g.birth))::int::text, '') AS age,
       g.reason, g.insurance_type, coalesce(g.months_unpaid::text, '') AS months_unpaid,
       coalesce(g.last_paid::text, '') AS last_paid_period,
       g.g_emp AS employer_name, g.g_code AS employer_credit_code,
       a.a_text AS first_flagged,
       g.person_ref
FROM guarded g CROSS JOIN ref_a a;
