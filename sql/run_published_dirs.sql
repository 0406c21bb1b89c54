-- run_published_dirs.sql — each month's latest published run and its directory.
SELECT DISTINCT ON (as_of) as_of, out_dir
  FROM sibatch.run WHERE status = 'published' AND out_dir IS NOT NULL
 ORDER BY as_of, run_id DESC
