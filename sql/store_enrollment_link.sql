COPY sibatch.enrollment_link (run_id, enrollment_id, person_id, usable, link_kind, id_status, score, evidence, cluster_id, survivor_id, is_record) FROM STDIN
