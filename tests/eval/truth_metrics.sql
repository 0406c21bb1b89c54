-- truth_metrics.sql — how sibatch's latest published run compares with the
-- generator's ground truth (schema si_truth). Run by scripts/eval.sh after
-- `sibatch gen` and `sibatch run`; prints one row per metric.
-- The pipeline never reads si_truth: only this evaluation does.

WITH
-- duplicate enrollments, pairwise: same cluster = same person, scheme, overlapping periods
pred_pair AS (
    SELECT a.enrollment_id AS a, b.enrollment_id AS b
      FROM sibatch.duplicate a
      JOIN sibatch.duplicate b ON b.cluster_id = a.cluster_id AND b.enrollment_id > a.enrollment_id
),
true_pair AS (
    SELECT least(enrollment_id_a, enrollment_id_b) AS a, greatest(enrollment_id_a, enrollment_id_b) AS b
      FROM si_truth.expected_duplicate_pair
),
pairs AS (
    SELECT (SELECT count(*) FROM pred_pair p JOIN true_pair t USING (a, b)) AS tp,
           (SELECT count(*) FROM pred_pair) AS pred,
           (SELECT count(*) FROM true_pair) AS truth
),
-- every link: the record's true person against the person it was linked to
links AS (
    SELECT l.link_kind, l.id_status, tp.person_key AS true_key, p.person_key AS linked_key
      FROM sibatch.enrollment_link l
      JOIN sibatch.person p ON p.person_id = l.person_id
      JOIN si_truth.enrollment_person ep ON ep.enrollment_id = l.enrollment_id
      JOIN si_truth.person tp ON tp.person_id = ep.person_id
    UNION ALL
    SELECT l.link_kind, l.id_status, tp.person_key, p.person_key
      FROM sibatch.population_link l
      JOIN sibatch.person p ON p.person_id = l.person_id
      JOIN si_truth.population_person pp ON pp.pop_id = l.pop_id
      JOIN si_truth.person tp ON tp.person_id = pp.person_id
),
probable AS (
    SELECT count(*) FILTER (WHERE link_kind = 'probable' AND linked_key = true_key) AS tp,
           count(*) FILTER (WHERE link_kind = 'probable') AS pred,
           -- linkable: an invalid ID whose true person exists among the keyed persons
           count(*) FILTER (WHERE id_status <> 'valid'
                              AND true_key IN (SELECT person_key FROM sibatch.person WHERE person_key IS NOT NULL)) AS truth
      FROM links
),
valid_merges AS (
    SELECT count(*) AS n FROM links
     WHERE link_kind IN ('exact', 'normalized') AND linked_key <> true_key
),
-- conflicts per true person: overlap months and refund
pred_conflict AS (
    SELECT p.person_key, c.kind, count(*) AS months, sum(c.refund) AS refund
      FROM sibatch.conflict_month c JOIN sibatch.person p USING (person_id)
     WHERE p.person_key IS NOT NULL
     GROUP BY 1, 2
),
true_conflict AS (
    SELECT tp.person_key, CASE e.kind WHEN 'refund' THEN 'refund' ELSE 'employee_institution' END AS kind,
           e.overlap_months AS months, e.refund_due AS refund
      FROM si_truth.expected_conflict e JOIN si_truth.person tp USING (person_id)
),
conflicts AS (
    SELECT count(*) FILTER (WHERE p.person_key IS NOT NULL AND t.person_key IS NOT NULL
                              AND p.months = t.months AND (p.kind <> 'refund' OR p.refund = t.refund)) AS exact,
           count(p.person_key) AS pred, count(t.person_key) AS truth
      FROM pred_conflict p FULL JOIN true_conflict t USING (person_key, kind)
),
last_run AS (SELECT max(run_id) AS run_id FROM sibatch.run WHERE status = 'published'),
pred_lapsed AS (
    SELECT person_ref, insurance_type FROM sibatch.target
     WHERE reason = 'lapsed' AND closed_run IS NULL
),
true_lapsed AS (
    SELECT tp.person_key AS person_ref, e.insurance_type
      FROM si_truth.expected_lapsed e JOIN si_truth.person tp USING (person_id)
),
lapsed AS (
    SELECT (SELECT count(*) FROM pred_lapsed JOIN true_lapsed USING (person_ref, insurance_type)) AS tp,
           (SELECT count(*) FROM pred_lapsed) AS pred, (SELECT count(*) FROM true_lapsed) AS truth
),
pred_unins AS (SELECT person_ref FROM sibatch.target WHERE reason = 'uninsured' AND closed_run IS NULL),
true_unins AS (SELECT tp.person_key AS person_ref FROM si_truth.expected_uninsured e JOIN si_truth.person tp USING (person_id)),
uninsured AS (
    SELECT (SELECT count(*) FROM pred_unins JOIN true_unins USING (person_ref)) AS tp,
           (SELECT count(*) FROM pred_unins) AS pred, (SELECT count(*) FROM true_unins) AS truth
)
SELECT metric, tp, pred, truth,
       round(tp::numeric / nullif(pred, 0), 5) AS precision,
       round(tp::numeric / nullif(truth, 0), 5) AS recall
  FROM (
    SELECT 1 AS o, 'duplicate enrollment pairs' AS metric, tp, pred, truth FROM pairs
    UNION ALL SELECT 2, 'probable links', tp, pred, truth FROM probable
    UNION ALL SELECT 3, 'conflict persons (months and refund exact)', exact, pred, truth FROM conflicts
    UNION ALL SELECT 4, 'lapsed targets (person, scheme)', tp, pred, truth FROM lapsed
    UNION ALL SELECT 5, 'uninsured targets', tp, pred, truth FROM uninsured
    UNION ALL SELECT 6, 'merges of two different valid IDs (must be 0)', n, n, 0 FROM valid_merges
  ) m
 ORDER BY o;
