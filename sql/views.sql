-- views.sql — DBA views over sibatch's results (docs/dba.md has the psql
-- queries). Applied by `sibatch init-db` after source.sql and sibatch.sql;
-- idempotent (CREATE OR REPLACE). The "current" tables hold the latest
-- published run only, so these views describe that run; v_run_history and
-- the clearing views read the history.
--
-- Views meant for people never show a full ID number: the masked form is
-- the first 6 characters, ********, the last 4 (sibatch.mask_id).

-- The masked form of an ID (or of any raw ID text); NULL stays NULL, text
-- shorter than 10 characters is fully masked.
CREATE OR REPLACE FUNCTION sibatch.mask_id(id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN id IS NULL THEN NULL
                WHEN id LIKE 'UNRESOLVED-%' THEN id
                WHEN length(id) < 10 THEN '********'
                ELSE left(id, 6) || '********' || right(id, 4) END
$$;
COMMENT ON FUNCTION sibatch.mask_id(text) IS 'First 6 + ******** + last 4 of an ID; UNRESOLVED-... kept; short text fully masked';

-- The ten towns of shared/docs/domain.md (names for the views).
CREATE OR REPLACE VIEW sibatch.v_town AS
SELECT * FROM (VALUES
    ('350581001', '湖滨街道'), ('350581002', '凤里街道'), ('350581100', '灵秀镇'),
    ('350581101', '宝盖镇'), ('350581102', '蚶江镇'), ('350581103', '祥芝镇'),
    ('350581104', '鸿山镇'), ('350581105', '锦尚镇'), ('350581106', '永宁镇'),
    ('350581400', '石狮高新技术产业开发区'), ('unknown', '未知')) AS t(town_code, town_name);
COMMENT ON VIEW sibatch.v_town IS 'Town codes and names (domain.md), unknown = 未知';

-- Resolved persons with their masked key and how their records were linked.
CREATE OR REPLACE VIEW sibatch.v_person AS
SELECT p.person_id,
       sibatch.mask_id(p.person_ref) AS masked_ref,
       p.person_key IS NOT NULL AS keyed,
       CASE WHEN p.person_key IS NULL THEN 'unresolved'
            WHEN coalesce(e.probable, 0) + coalesce(q.probable, 0) > 0 THEN 'key + probable links'
            WHEN coalesce(e.normalized, 0) + coalesce(q.normalized, 0) > 0 THEN 'key (some IDs normalized)'
            ELSE 'key (exact)' END AS how_resolved,
       coalesce(e.n, 0) AS enrollments,
       coalesce(e.exact, 0) AS enrollments_exact,
       coalesce(e.normalized, 0) AS enrollments_normalized,
       coalesce(e.probable, 0) AS enrollments_probable,
       coalesce(q.n, 0) AS population_rows,
       e.schemes,
       p.run_id
FROM sibatch.person p
LEFT JOIN (
    SELECT l.person_id, count(*) AS n,
           count(*) FILTER (WHERE l.link_kind = 'exact') AS exact,
           count(*) FILTER (WHERE l.link_kind = 'normalized') AS normalized,
           count(*) FILTER (WHERE l.link_kind = 'probable') AS probable,
           string_agg(DISTINCT btrim(s.insurance_type), ',') AS schemes
    FROM sibatch.enrollment_link l
    LEFT JOIN si_src.enrollment s ON s.enrollment_id = l.enrollment_id
    WHERE l.person_id IS NOT NULL
    GROUP BY l.person_id
) e ON e.person_id = p.person_id
LEFT JOIN (
    SELECT person_id, count(*) AS n,
           count(*) FILTER (WHERE link_kind = 'normalized') AS normalized,
           count(*) FILTER (WHERE link_kind = 'probable') AS probable
    FROM sibatch.population_link WHERE person_id IS NOT NULL GROUP BY person_id
) q ON q.person_id = p.person_id;
COMMENT ON VIEW sibatch.v_person IS 'Resolved persons (latest run): masked key, how resolved, records by link kind';

-- Why were two enrollment rows merged? One row per ordered pair of
-- enrollment rows linked to one person (both directions), with each row's
-- masked raw ID, link kind, score and evidence. Query by one row:
--   SELECT * FROM sibatch.v_merge_reason WHERE enrollment_id = 123;
-- or by pair: ... WHERE enrollment_id = 123 AND other_enrollment_id = 456.
CREATE OR REPLACE VIEW sibatch.v_merge_reason AS
SELECT a.person_id,
       sibatch.mask_id(p.person_ref) AS masked_ref,
       a.enrollment_id,
       b.enrollment_id AS other_enrollment_id,
       sibatch.mask_id(ea.id_number) AS masked_id_number,
       sibatch.mask_id(eb.id_number) AS other_masked_id_number,
       ea.name, eb.name AS other_name,
       ea.birth_date, eb.birth_date AS other_birth_date,
       btrim(ea.insurance_type) AS insurance_type, btrim(eb.insurance_type) AS other_insurance_type,
       a.link_kind, b.link_kind AS other_link_kind,
       a.id_status, b.id_status AS other_id_status,
       a.score, b.score AS other_score,
       a.evidence, b.evidence AS other_evidence,
       (da.cluster_id IS NOT NULL AND da.cluster_id = db.cluster_id) AS same_duplicate_cluster,
       CASE WHEN a.link_kind IN ('exact', 'normalized') AND b.link_kind IN ('exact', 'normalized')
                THEN 'both IDs give the same person key (' || a.link_kind || ' / ' || b.link_kind || ')'
            WHEN a.link_kind = 'probable' OR b.link_kind = 'probable'
                THEN 'probable link: ' ||
                     concat_ws('; ',
                         CASE WHEN a.link_kind = 'probable' THEN a.enrollment_id || ' score ' || round(a.score::numeric, 1) || ' (' || coalesce(a.evidence, '') || ')' END,
                         CASE WHEN b.link_kind = 'probable' THEN b.enrollment_id || ' score ' || round(b.score::numeric, 1) || ' (' || coalesce(b.evidence, '') || ')' END)
            ELSE 'same person (' || coalesce(a.link_kind, '?') || ' / ' || coalesce(b.link_kind, '?') || ')' END AS reason
FROM sibatch.enrollment_link a
JOIN sibatch.enrollment_link b ON b.person_id = a.person_id AND b.enrollment_id <> a.enrollment_id
JOIN sibatch.person p ON p.person_id = a.person_id
LEFT JOIN sibatch.duplicate da ON da.enrollment_id = a.enrollment_id
LEFT JOIN sibatch.duplicate db ON db.enrollment_id = b.enrollment_id
LEFT JOIN si_src.enrollment ea ON ea.enrollment_id = a.enrollment_id
LEFT JOIN si_src.enrollment eb ON eb.enrollment_id = b.enrollment_id
WHERE a.person_id IS NOT NULL;
COMMENT ON VIEW sibatch.v_merge_reason IS 'Why two enrollment rows belong to one person: masked IDs, link kinds, scores, evidence';

-- Duplicate enrollments (重复参保): clusters of overlapping enrollments of one
-- person in one scheme with more than one row, and their survivor.
CREATE OR REPLACE VIEW sibatch.v_duplicate_cluster AS
SELECT d.person_id,
       sibatch.mask_id(p.person_ref) AS masked_ref,
       d.insurance_type,
       d.cluster_id,
       count(*) AS enrollments,
       count(*) - 1 AS duplicates,
       min(d.survivor_id) AS survivor_id,
       array_agg(d.enrollment_id ORDER BY d.enrollment_id) AS enrollment_ids,
       array_agg(DISTINCT e.source_system) AS source_systems,
       min(e.start_month) AS first_start_month
FROM sibatch.duplicate d
JOIN sibatch.person p ON p.person_id = d.person_id
LEFT JOIN si_src.enrollment e ON e.enrollment_id = d.enrollment_id
GROUP BY d.person_id, p.person_ref, d.insurance_type, d.cluster_id;
COMMENT ON VIEW sibatch.v_duplicate_cluster IS 'Clusters of overlapping enrollments of one person in one scheme (n-1 duplicates each)';

-- Cross-scheme pension conflicts per person: months and refund due.
CREATE OR REPLACE VIEW sibatch.v_conflict AS
SELECT c.person_id,
       sibatch.mask_id(p.person_ref) AS masked_ref,
       count(DISTINCT c.month) AS overlap_months,
       count(*) FILTER (WHERE c.kind = 'refund') AS refund_months,
       count(*) FILTER (WHERE c.kind = 'employee_institution') AS employee_institution_months,
       sum(c.refund)::numeric(14,2) AS refund_due,
       min(c.month) AS first_month,
       max(c.month) AS last_month,
       string_agg(DISTINCT c.kind, ',') AS kinds
FROM sibatch.conflict_month c
JOIN sibatch.person p ON p.person_id = c.person_id
GROUP BY c.person_id, p.person_ref;
COMMENT ON VIEW sibatch.v_conflict IS 'Persons paying two pension schemes for the same months; refund due from 170';

-- Open clearing-campaign targets with town and aging bucket (months unpaid:
-- 3-5, 6-11, 12-23, 24+; uninsured targets have their own bucket).
CREATE OR REPLACE VIEW sibatch.v_clearing_open AS
SELECT t.target_id,
       sibatch.mask_id(t.person_ref) AS masked_ref,
       t.reason,
       t.insurance_type,
       t.town_code,
       coalesce(w.town_name, t.town_code) AS town_name,
       t.months_unpaid,
       t.last_paid,
       CASE WHEN t.reason = 'uninsured' THEN 'uninsured'
            WHEN t.months_unpaid IS NULL THEN 'unknown'
            WHEN t.months_unpaid < 3 THEN '<3'
            WHEN t.months_unpaid < 6 THEN '3-5'
            WHEN t.months_unpaid < 12 THEN '6-11'
            WHEN t.months_unpaid < 24 THEN '12-23'
            ELSE '24+' END AS aging_bucket,
       to_char(to_date(t.opened_as_of::text, 'YYYYMM'), 'YYYY-MM') AS first_flagged,
       to_char(to_date(t.last_as_of::text, 'YYYYMM'), 'YYYY-MM') AS last_flagged,
       t.opened_run, t.last_run
FROM sibatch.target t
LEFT JOIN sibatch.v_town w ON w.town_code = t.town_code
WHERE t.closed_run IS NULL;
COMMENT ON VIEW sibatch.v_clearing_open IS 'Open 动态清零 targets with town and aging bucket';

-- Rejected, out-of-scope and warned rows of the latest run by table and reason.
CREATE OR REPLACE VIEW sibatch.v_reject_summary AS
SELECT r.run_id,
       r.source_table,
       r.severity,
       r.reason,
       count(*) AS rows,
       (array_agg(r.source_key ORDER BY r.source_key))[1:5] AS example_keys
FROM sibatch.reject r
GROUP BY r.run_id, r.source_table, r.severity, r.reason;
COMMENT ON VIEW sibatch.v_reject_summary IS 'Rows sibatch could not use (and warnings) by table, severity and reason, with example keys';

-- Runs with status, duration and their main counts.
CREATE OR REPLACE VIEW sibatch.v_run_history AS
SELECT r.run_id,
       to_char(to_date(r.as_of::text, 'YYYYMM'), 'YYYY-MM') AS as_of,
       r.status,
       r.started_at,
       r.finished_at,
       r.finished_at - r.started_at AS duration,
       r.host, r.pid, r.sibatch_version, r.out_dir,
       (SELECT sum(open_targets) FROM sibatch.run_count c WHERE c.run_id = r.run_id) AS open_targets,
       (SELECT sum(opened) FROM sibatch.run_count c WHERE c.run_id = r.run_id) AS opened_targets,
       (SELECT sum(closed_paid + closed_enrolled + closed_excluded) FROM sibatch.run_count c WHERE c.run_id = r.run_id) AS closed_targets,
       r.counts -> 'totals' AS totals,
       r.counts -> 'rejects' AS rejects,
       r.message
FROM sibatch.run r;
COMMENT ON VIEW sibatch.v_run_history IS 'sibatch runs: status, duration, campaign and manifest counts';
