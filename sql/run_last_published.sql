-- run_last_published.sql — the as-of month of the latest published run (empty when none).
SELECT max(as_of) FROM sibatch.run WHERE status = 'published'
