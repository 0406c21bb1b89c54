-- store_index_resolution.sql — keys and indexes of the tables resolution
-- fills (person, enrollment_link, population_link, review), built after
-- their COPYs. A run stores these while the contributions still stream in
-- (src/run/run.c);
-- sql/store_index.sql builds the rest once dedup and conflicts are done.
ALTER TABLE sibatch.person ADD PRIMARY KEY (person_id);
ALTER TABLE sibatch.enrollment_link ADD PRIMARY KEY (enrollment_id);
ALTER TABLE sibatch.population_link ADD PRIMARY KEY (pop_id);
CREATE INDEX person_key_idx ON sibatch.person (person_key);
CREATE INDEX enrollment_link_person_idx ON sibatch.enrollment_link (person_id);
CREATE INDEX population_link_person_idx ON sibatch.population_link (person_id);
CREATE INDEX review_source_idx ON sibatch.review (source_table, source_id);
