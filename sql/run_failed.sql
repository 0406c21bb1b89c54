-- run_failed.sql — records a run that failed, tripped the guard or was aborted.
UPDATE sibatch.run
   SET status = $2, finished_at = clock_timestamp(), message = $3
 WHERE run_id = $1::bigint AND status = 'running'
