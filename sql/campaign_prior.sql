-- campaign_prior.sql — before the refresh (campaign_apply.sql), what it will
-- overwrite, kept for undoing this run. $1 run id.
INSERT INTO sibatch.target_prior (run_id, target_id, town_code, months_unpaid, last_paid, last_run, last_as_of)
SELECT $1::bigint, t.target_id, t.town_code, t.months_unpaid, t.last_paid, t.last_run, t.last_as_of
  FROM sibatch.target t JOIN campaign_refresh r ON r.target_id = t.target_id
