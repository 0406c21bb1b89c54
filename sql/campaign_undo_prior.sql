-- campaign_undo_prior.sql — ... and the replaced runs' prior values go.
DELETE FROM sibatch.target_prior
 WHERE run_id IN (SELECT run_id FROM sibatch.run WHERE status = 'published' AND as_of >= $1::integer)
