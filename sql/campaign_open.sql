-- campaign_open.sql — the open clearing targets, for the nightly diff.
SELECT target_id, person_ref, reason, insurance_type, opened_as_of, town_code
  FROM sibatch.target
 WHERE closed_run IS NULL
