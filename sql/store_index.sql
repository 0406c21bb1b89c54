-- store_index.sql — keys and indexes of the tables filled after dedup and
-- conflicts, built after their COPYs (sql/store_index_resolution.sql has
-- those of person, population_link and review).
ALTER TABLE sibatch.enrollment_link ADD PRIMARY KEY (enrollment_id);
ALTER TABLE sibatch.person_scheme ADD PRIMARY KEY (person_id, insurance_type);
ALTER TABLE sibatch.conflict_month ADD PRIMARY KEY (person_id, month, kind);
CREATE INDEX enrollment_link_person_idx ON sibatch.enrollment_link (person_id);
CREATE INDEX reject_reason_idx ON sibatch.reject (source_table, reason);
