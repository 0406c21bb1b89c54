-- campaign_undo_delete.sql — a rerun of a month (or --force to an earlier
-- month) first undoes the published runs it replaces: the targets they opened go.
DELETE FROM sibatch.target
 WHERE opened_run IN (SELECT run_id FROM sibatch.run WHERE status = 'published' AND as_of >= $1::integer)
