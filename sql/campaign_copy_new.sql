COPY sibatch.target (person_ref, reason, insurance_type, town_code, opened_run, opened_as_of, last_run, last_as_of, months_unpaid, last_paid) FROM STDIN
