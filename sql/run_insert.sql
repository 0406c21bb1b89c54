-- run_insert.sql — registers a run as 'running' (committed at once, so a run
-- that dies is visible). $1 as-of, $2 host, $3 pid, $4 version, $5 config.
INSERT INTO sibatch.run (as_of, status, host, pid, sibatch_version, config)
VALUES ($1::integer, 'running', $2, $3::integer, $4, $5::jsonb)
RETURNING run_id
