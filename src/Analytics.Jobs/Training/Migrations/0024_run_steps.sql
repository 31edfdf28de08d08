-- The step a training run is in, so a launch can be followed to its end (GET /api/models/{code}/runs/{job}).
ALTER TABLE ml.model_run
    ADD COLUMN step text CHECK (step IN ('cross_validation', 'final_fit', 'fairness_audit', 'mitigation', 'storing'));
COMMENT ON COLUMN ml.model_run.step IS 'The step the run is in or ended in, in the order of TrainingRuns.Steps; NULL before the first.';
