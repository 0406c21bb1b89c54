COPY sibatch.population_link (run_id, pop_id, person_id, link_kind, id_status, score, evidence) FROM STDIN
