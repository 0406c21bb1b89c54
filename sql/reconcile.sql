-- reconcile.sql — the recount queries of `sibatch reconcile` (issue 6).
--
-- Several named queries, each introduced by a line "-- @query NAME" and run
-- alone with parameters (src/reconcile/reconcile.c splits the file). They
-- recount, independently of the extract writer, per scheme and town: insured,
-- contributing and lapsed persons and contributions_12m (definitions.md
-- §1–§4 and §8), once from sibatch's stored results and once from the source
-- tables with the stored identity (sibatch.enrollment_link/population_link).
--
-- The source recount re-derives usability, kept contributions, clusters,
-- survivors, the person's record, insured/lapsed from si_src: only "which
-- person is this row" is taken from sibatch's tables. Choices where the
-- contract leaves room are those of tests/reference/expected.sql (docs/dba.md).

-- @query stored_recount
-- The stored per person and scheme facts of the current (latest published)
-- run, added up per scheme and town. $1: the manifest's run_id.
SELECT insurance_type AS scheme,
       town_code,
       count(*) FILTER (WHERE insured)::text      AS insured_persons,
       count(*) FILTER (WHERE contributing)::text AS contributing_persons,
       count(*) FILTER (WHERE lapsed)::text       AS lapsed_persons,
       coalesce(sum(contributions_12m), 0)::numeric(16,2)::text AS contributions_12m
FROM sibatch.person_scheme
WHERE run_id = $1::bigint
GROUP BY insurance_type, town_code
ORDER BY 1, 2;

-- @query current_run
-- Which run the current tables hold (NULL when they are empty).
SELECT (SELECT min(run_id) FROM sibatch.person_scheme)::text,
       (SELECT max(run_id) FROM sibatch.person_scheme)::text,
       (SELECT count(*) FROM sibatch.person_scheme)::text;

-- @query latest_run
-- The latest published run of an as-of month (YYYYMM $1), and the SHA-256 of
-- the manifest it recorded.
SELECT run_id::text, coalesce(manifest_sha256, ''), status
FROM sibatch.run
WHERE as_of = $1::integer AND status = 'published'
ORDER BY run_id DESC
LIMIT 1;

-- @query planner
-- Run (as one script) before source_recount, inside reconcile's transaction.
-- The CTEs' row estimates are far too low (filters on regular expressions),
-- which makes the planner choose nested loops over whole CTEs (quadratic)
-- and makes the plan's cost look high enough for JIT compilation, which
-- alone took 14 s of a 16 s recount at scale 0.02. Hash joins without JIT
-- take 2 s there.
SET LOCAL enable_nestloop = off;
SET LOCAL jit = off;
SET LOCAL work_mem = '256MB';

-- @query source_recount
-- From the source tables. $1 as-of YYYYMM; $2..$6 lapse thresholds of 110,
-- 120, 170, 210, 410 (the run's effective configuration, from its manifest).
WITH a AS (
    SELECT $1::integer AS a,
           ($1::integer / 100) * 12 + $1::integer % 100 AS a_ym,
           (make_date($1::integer / 100, $1::integer % 100, 1) + interval '1 month' - interval '1 day')::date AS a_end
), thr(itype, months, pension) AS (
    VALUES ('110', $2::integer, true), ('120', $3::integer, true), ('170', $4::integer, true),
           ('210', $5::integer, false), ('410', $6::integer, false)
), town(code) AS (
    VALUES ('350581001'), ('350581002'), ('350581100'), ('350581101'), ('350581102'),
           ('350581103'), ('350581104'), ('350581105'), ('350581106'), ('350581400')
), enr AS (            -- §1: usable enrollments (in scope, no fault, started by A)
    SELECT e.enrollment_id, t.itype, t.status, e.unit_id, t.worker_category, t.town_code,
           e.start_month, e.end_month, e.benefit_start_month,
           coalesce(l.person_id::bigint, -e.enrollment_id) AS person
    FROM si_src.enrollment e
    CROSS JOIN a
    -- Unicode White_Space, every code point listed, as literal patterns (a
    -- pattern computed per row made the scan 200 times slower)
    CROSS JOIN LATERAL (
        SELECT regexp_replace(e.insurance_type, '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g') AS itype,
               regexp_replace(e.status, '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g') AS status,
               regexp_replace(e.worker_category, '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g') AS worker_category,
               regexp_replace(e.town_code, '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g') AS town_code
    ) t
    LEFT JOIN sibatch.enrollment_link l ON l.enrollment_id = e.enrollment_id
    WHERE t.itype IN ('110', '120', '170', '210', '410')
      AND e.start_month BETWEEN 100001 AND 999912 AND e.start_month % 100 BETWEEN 1 AND 12
      AND (e.end_month IS NULL
           OR (e.end_month BETWEEN 100001 AND 999912 AND e.end_month % 100 BETWEEN 1 AND 12
               AND e.end_month >= e.start_month))
      AND NOT (coalesce(regexp_replace(e.id_number, '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]', '', 'g'), '') = ''
               AND coalesce(regexp_replace(e.name, '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]', '', 'g'), '') = '')
      AND e.start_month <= a.a
), paid AS (           -- §1: contribution rows that are not rejected (repeats still in)
    SELECT c.enrollment_id, c.period, c.paid_on,
           coalesce(c.employer_amount, 0) + coalesce(c.personal_amount, 0) AS amount
    FROM si_src.contribution c
    JOIN enr e ON e.enrollment_id = c.enrollment_id
    CROSS JOIN a
    WHERE c.period BETWEEN 100001 AND 999912 AND c.period % 100 BETWEEN 1 AND 12 AND c.period <= a.a
      AND NOT (c.base < 0 OR c.employer_amount < 0 OR c.personal_amount < 0)
), last_paid AS (      -- a repeat never changes which months are paid
    SELECT enrollment_id, max(period) AS last_paid FROM paid GROUP BY enrollment_id
), kept12 AS (         -- the kept row of each (enrollment, period) of the last 12 months
    SELECT DISTINCT ON (p.enrollment_id, p.period) p.enrollment_id, p.amount
    FROM paid p CROSS JOIN a
    WHERE (p.period / 100) * 12 + p.period % 100 BETWEEN a.a_ym - 11 AND a.a_ym
    ORDER BY p.enrollment_id, p.period, p.paid_on DESC NULLS LAST, p.amount DESC
), c12 AS (
    SELECT enrollment_id, sum(amount) AS c12 FROM kept12 GROUP BY enrollment_id
), pe AS (
    SELECT e.*, lp.last_paid, coalesce(c.c12, 0) AS c12,
           (e.start_month <= a.a AND (e.end_month IS NULL OR e.end_month >= a.a)
            AND e.status IN ('1', '2')) AS open12,
           coalesce(t.pension AND e.benefit_start_month <= a.a AND e.benefit_start_month BETWEEN 100001 AND 999912
                    AND e.benefit_start_month % 100 BETWEEN 1 AND 12, false) AS draws,   -- not a month: NULL
           coalesce(e.end_month, a.a) AS end_eff,
           CASE e.status WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 ELSE 4 END AS status_rank
    FROM enr e
    CROSS JOIN a
    JOIN thr t ON t.itype = e.itype
    LEFT JOIN last_paid lp ON lp.enrollment_id = e.enrollment_id
    LEFT JOIN c12 c ON c.enrollment_id = e.enrollment_id
), isl AS (            -- §3 clusters: islands of overlapping periods
    SELECT pe.*,
           CASE WHEN start_month <= max(end_eff) OVER (PARTITION BY person, itype ORDER BY start_month, enrollment_id
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                THEN 0 ELSE 1 END AS new_cluster
    FROM pe
), cl AS (
    SELECT isl.*, sum(new_cluster) OVER (PARTITION BY person, itype ORDER BY start_month, enrollment_id) AS cluster_no
    FROM isl
), clr AS (            -- §3 survivors
    SELECT cl.*,
           row_number() OVER (PARTITION BY person, itype, cluster_no
                              ORDER BY open12 DESC, last_paid DESC NULLS LAST, status_rank, start_month, enrollment_id) AS rk,
           bool_or(open12) OVER (PARTITION BY person, itype, cluster_no) AS has_open12,
           max(last_paid) OVER (PARTITION BY person, itype, cluster_no) AS cluster_last_paid
    FROM cl
), cand AS (           -- §3 the person's record (with the attributes it gives)
    SELECT person, itype, enrollment_id, town_code, worker_category, start_month,
           1 AS prio, 0 AS k1, 0 AS k2 FROM clr WHERE rk = 1 AND has_open12
    UNION ALL
    SELECT person, itype, enrollment_id, town_code, worker_category, start_month,
           2, -benefit_start_month, 0 FROM pe WHERE draws
    UNION ALL
    SELECT person, itype, enrollment_id, town_code, worker_category, start_month,
           3, -coalesce(cluster_last_paid, 0), -start_month FROM clr WHERE rk = 1
), rec AS (
    SELECT DISTINCT ON (person, itype) person, itype, enrollment_id AS record_id,
           town_code, worker_category, start_month
    FROM cand ORDER BY person, itype, prio, k1, k2, enrollment_id
), agg AS (
    SELECT person, itype, bool_or(open12) AS any_open12, bool_or(draws) AS draws,
           max(last_paid) AS last_paid, sum(c12) AS c12
    FROM pe GROUP BY person, itype
), dead AS (           -- §4: deceased when any linked population row says so by the end of A
    SELECT pl.person_id::bigint AS person, bool_or(p.deceased_on <= a.a_end) AS dead
    FROM sibatch.population_link pl
    JOIN si_src.population p ON p.pop_id = pl.pop_id
    CROSS JOIN a
    WHERE pl.person_id IS NOT NULL
    GROUP BY pl.person_id
), ps AS (             -- §4 per person and scheme
    SELECT g.itype,
           CASE WHEN r.town_code IN (SELECT code FROM town) THEN r.town_code
                WHEN length(r.town_code) = 12 AND right(r.town_code, 3) = '000'
                     AND left(r.town_code, 9) IN (SELECT code FROM town) THEN left(r.town_code, 9)
                ELSE 'unknown' END AS town_code,
           (NOT coalesce(d.dead, false) AND (g.any_open12 OR g.draws)) AS insured,
           g.draws,
           coalesce(r.worker_category, '') <> 'project'
             AND a.a_ym - greatest(coalesce((g.last_paid / 100) * 12 + g.last_paid % 100, 0),
                                   (r.start_month / 100) * 12 + r.start_month % 100 - 1) >= t.months AS overdue,
           g.c12
    FROM agg g
    CROSS JOIN a
    JOIN thr t ON t.itype = g.itype
    JOIN rec r ON r.person = g.person AND r.itype = g.itype
    LEFT JOIN dead d ON d.person = g.person
), fl AS (
    SELECT itype, town_code, insured, c12,
           (insured AND NOT draws AND overdue) AS lapsed,
           (insured AND NOT draws AND NOT overdue) AS contributing
    FROM ps
)
SELECT itype AS scheme, town_code,
       count(*) FILTER (WHERE insured)::text AS insured_persons,
       count(*) FILTER (WHERE contributing)::text AS contributing_persons,
       count(*) FILTER (WHERE lapsed)::text AS lapsed_persons,
       sum(c12)::numeric(16,2)::text AS contributions_12m
FROM fl
GROUP BY itype, town_code
ORDER BY 1, 2;
