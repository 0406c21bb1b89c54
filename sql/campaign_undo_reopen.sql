-- campaign_undo_reopen.sql — ... and the targets they closed are open again.
UPDATE sibatch.target
   SET closed_run = NULL, closed_as_of = NULL, resolution = NULL
 WHERE closed_run IN (SELECT run_id FROM sibatch.run WHERE status = 'published' AND as_of >= $1::integer)
