COPY sibatch.reject (run_id, source_table, source_key, reason, severity, detail) FROM STDIN
