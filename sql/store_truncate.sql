-- store_truncate.sql — the current tables hold the latest published run only:
-- emptied inside the publishing transaction (TRUNCATE locks them: a query on
-- them waits until the run commits or rolls back, and never sees a mix; a
-- rollback leaves the previous run). Their indexes are dropped here and built again after
-- the COPYs (sql/store_index_resolution.sql, sql/store_index.sql): one sort
-- beats millions of index inserts.
TRUNCATE sibatch.person, sibatch.enrollment_link, sibatch.population_link, sibatch.duplicate,
         sibatch.person_scheme, sibatch.conflict_month, sibatch.review, sibatch.reject;
ALTER TABLE sibatch.person DROP CONSTRAINT IF EXISTS person_pkey;
ALTER TABLE sibatch.enrollment_link DROP CONSTRAINT IF EXISTS enrollment_link_pkey;
ALTER TABLE sibatch.population_link DROP CONSTRAINT IF EXISTS population_link_pkey;
ALTER TABLE sibatch.duplicate DROP CONSTRAINT IF EXISTS duplicate_pkey;
ALTER TABLE sibatch.person_scheme DROP CONSTRAINT IF EXISTS person_scheme_pkey;
ALTER TABLE sibatch.conflict_month DROP CONSTRAINT IF EXISTS conflict_month_pkey;
ALTER TABLE sibatch.review DROP CONSTRAINT IF EXISTS review_pkey;
DROP INDEX IF EXISTS sibatch.review_source_idx;
DROP INDEX IF EXISTS sibatch.person_key_idx, sibatch.enrollment_link_person_idx,
                     sibatch.population_link_person_idx, sibatch.reject_reason_idx;
