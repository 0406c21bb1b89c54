-- campaign_undo_runs.sql — ... and those runs are marked superseded by the new one.
UPDATE sibatch.run
   SET status = 'superseded', message = 'superseded by run ' || $2::text
 WHERE status = 'published' AND as_of >= $1::integer
