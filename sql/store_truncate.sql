-- store_truncate.sql — the current tables hold the latest published run only:
-- emptied inside the publishing transaction (readers keep seeing the previous
-- run until it commits).
TRUNCATE sibatch.person, sibatch.enrollment_link, sibatch.population_link,
         sibatch.person_scheme, sibatch.conflict_month, sibatch.review, sibatch.reject;
