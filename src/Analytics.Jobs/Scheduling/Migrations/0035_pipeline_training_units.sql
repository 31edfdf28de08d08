-- The training stage splits into one unit per model specification, each its own Hangfire job (run in parallel
-- across workers) and its own row of ops.pipeline_stage; the run records the units it plans so that it
-- succeeds only once every one of them has.
ALTER TABLE ops.pipeline_run ADD COLUMN training_units text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN ops.pipeline_run.training_units IS 'Codes of the model specifications the run trains, one training unit each, read when the run was created; the run succeeds once each has succeeded or been skipped.';

ALTER TABLE ops.pipeline_stage ADD COLUMN unit text;
COMMENT ON COLUMN ops.pipeline_stage.unit IS 'The unit of a split stage: for training, the code of the model specification; NULL for the stages run whole (ingest, features).';
ALTER TABLE ops.pipeline_stage DROP CONSTRAINT pipeline_stage_run_id_stage_key;
ALTER TABLE ops.pipeline_stage ADD CONSTRAINT pipeline_stage_run_id_stage_unit_key UNIQUE NULLS NOT DISTINCT (run_id, stage, unit);
COMMENT ON TABLE ops.pipeline_stage IS 'One row per stage of a pipeline run, and per unit of a split stage (training: one per model specification): its state (skipped: its inputs had not changed), the key of its inputs, what it did, its attempts, and the lease of the worker running it (heartbeat_at, worker).';
