COPY sibatch.review (run_id, source_table, source_id, candidate_id, score, evidence) FROM STDIN
