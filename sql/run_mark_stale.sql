-- run_mark_stale.sql — runs still 'running' while we hold the lock died without
-- finishing (killed, machine lost): say so.
UPDATE sibatch.run
   SET status = 'failed', finished_at = clock_timestamp(),
       message = coalesce(message || '; ', '') || 'the process ended before finishing (found by a later run)'
 WHERE status = 'running'
