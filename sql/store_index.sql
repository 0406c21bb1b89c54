-- store_index.sql — keys and indexes of the tables filled after dedup and
-- conflicts, built after their COPYs (sql/store_index_resolution.sql has
-- those of the tables resolution fills).
ALTER TABLE sibatch.duplicate ADD PRIMARY KEY (enrollment_id);
ALTER TABLE sibatch.person_scheme ADD PRIMARY KEY (person_id, insurance_type);
ALTER TABLE sibatch.conflict_month ADD PRIMARY KEY (person_id, month, kind);
CREATE INDEX reject_reason_idx ON sibatch.reject (source_table, reason);
