-- store_index.sql — the current tables' keys and indexes, built after loading.
ALTER TABLE sibatch.person ADD PRIMARY KEY (person_id);
ALTER TABLE sibatch.enrollment_link ADD PRIMARY KEY (enrollment_id);
ALTER TABLE sibatch.population_link ADD PRIMARY KEY (pop_id);
ALTER TABLE sibatch.person_scheme ADD PRIMARY KEY (person_id, insurance_type);
ALTER TABLE sibatch.conflict_month ADD PRIMARY KEY (person_id, month, kind);
CREATE INDEX review_source_idx ON sibatch.review (source_table, source_id);
CREATE INDEX person_key_idx ON sibatch.person (person_key);
CREATE INDEX enrollment_link_person_idx ON sibatch.enrollment_link (person_id);
CREATE INDEX population_link_person_idx ON sibatch.population_link (person_id);
CREATE INDEX reject_reason_idx ON sibatch.reject (source_table, reason);
