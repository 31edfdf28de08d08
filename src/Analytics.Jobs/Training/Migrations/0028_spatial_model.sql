-- The BYM2 spatial model, third candidate of every run: its bytes, its hyperparameters, coefficients and what
-- its spatial effect took per fairness group; the posterior exceedance probability of predictions it made.
ALTER TABLE ml.model_run
    ADD COLUMN model_bym2 bytea,
    ADD COLUMN spatial jsonb;
COMMENT ON COLUMN ml.model_run.model_bym2 IS 'The BYM2 model fitted on all rows (Bym2RiskModel.Serialize); NULL for runs before migration 0028.';
COMMENT ON COLUMN ml.model_run.spatial IS 'BYM2: hyperparameters (sigma, phi), coefficients with posterior intervals, mean spatial effect per fairness group (relative risk).';
ALTER TABLE ml.prediction
    ADD COLUMN exceedance double precision CHECK (exceedance BETWEEN 0 AND 1);
COMMENT ON COLUMN ml.prediction.exceedance IS 'P(relative risk > 1 | data) when the champion is the BYM2 model; NULL otherwise.';
ALTER TABLE ml.model_run DROP CONSTRAINT model_run_champion_check;
ALTER TABLE ml.model_run ADD CONSTRAINT model_run_champion_check CHECK (champion IN ('poisson', 'boosted', 'bym2'));
