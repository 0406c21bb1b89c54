-- run_lock.sql — one run at a time: a session-level advisory lock (350581 = Shishi).
SELECT pg_try_advisory_lock(350581, 1)
