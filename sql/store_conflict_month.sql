COPY sibatch.conflict_month (run_id, person_id, month, kind, refund) FROM STDIN
