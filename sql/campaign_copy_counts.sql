COPY sibatch.run_count (run_id, town_code, insurance_type, open_targets, opened, closed_paid, closed_enrolled, closed_excluded) FROM STDIN
