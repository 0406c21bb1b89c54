-- run_lock_holder.sql — who holds the run lock: the latest run still marked running.
SELECT run_id, pid, host, to_char(as_of, 'FM000000'), to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ')
  FROM sibatch.run WHERE status = 'running' ORDER BY run_id DESC LIMIT 1
