COPY sibatch.enrollment_link (run_id, enrollment_id, person_id, usable, link_kind, id_status, score, evidence) FROM STDIN
