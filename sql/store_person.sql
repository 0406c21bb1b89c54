COPY sibatch.person (run_id, person_id, person_ref, person_key) FROM STDIN
