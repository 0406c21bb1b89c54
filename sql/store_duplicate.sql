COPY sibatch.duplicate (run_id, enrollment_id, person_id, insurance_type, cluster_id, survivor_id) FROM STDIN
