-- run_published.sql — marks the run published, inside the publishing transaction.
-- $1 run id, $2 run directory, $3 manifest SHA-256, $4 manifest JSON.
UPDATE sibatch.run
   SET status = 'published', finished_at = clock_timestamp(), out_dir = $2, manifest_sha256 = $3,
       counts = $4::jsonb, snapshot_id = $4::jsonb #>> '{snapshot,snapshot_id}',
       txid_snapshot = $4::jsonb #>> '{snapshot,txid_snapshot}'
 WHERE run_id = $1::bigint
