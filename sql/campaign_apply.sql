-- campaign_apply.sql — applies the staged refreshes and closures. $1 run id, $2 as-of.
UPDATE sibatch.target t
   SET town_code = r.town_code, months_unpaid = r.months_unpaid, last_paid = r.last_paid,
       last_run = $1::bigint, last_as_of = $2::integer
  FROM campaign_refresh r
 WHERE t.target_id = r.target_id
