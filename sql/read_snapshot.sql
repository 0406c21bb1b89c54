-- read_snapshot.sql — opens the run's consistent view of si_src. Everything the
-- run reads comes from this one snapshot; its identity goes into the manifest.
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
