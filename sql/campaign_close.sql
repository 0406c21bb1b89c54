-- campaign_close.sql — closes the targets no longer flagged. $1 run id, $2 as-of.
UPDATE sibatch.target t
   SET closed_run = $1::bigint, closed_as_of = $2::integer, resolution = c.resolution
  FROM campaign_close c
 WHERE t.target_id = c.target_id
