-- campaign_undo_restore.sql — ... the targets they refreshed get back the
-- values they had before the earliest of them refreshed them ...
UPDATE sibatch.target t
   SET town_code = p.town_code, months_unpaid = p.months_unpaid, last_paid = p.last_paid,
       last_run = p.last_run, last_as_of = p.last_as_of
  FROM (SELECT DISTINCT ON (p.target_id) p.*
          FROM sibatch.target_prior p JOIN sibatch.run r ON r.run_id = p.run_id
         WHERE r.status = 'published' AND r.as_of >= $1::integer
         ORDER BY p.target_id, r.as_of, r.run_id) p
 WHERE t.target_id = p.target_id
