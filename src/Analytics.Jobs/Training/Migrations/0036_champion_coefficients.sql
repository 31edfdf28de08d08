-- The coefficients a run stands behind, in one place: the BYM2 model's when it is the champion (not confounded with
-- place; standard errors the wider of the posterior and the block-robust ones), else the Poisson model's, the trees
-- having none. Read by the review file and by planning (Release/Sql/review_file.sql, planning_model.sql).

CREATE FUNCTION ml.champion_coefficients(run ml.model_run) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN run.champion = 'bym2' THEN run.spatial->'coefficients' ELSE run.coefficients END
$$;
COMMENT ON FUNCTION ml.champion_coefficients(ml.model_run) IS 'The coefficients (name, estimate, standardError, rateRatio, rateRatioLow, rateRatioHigh) of the champion: BYM2''s when it is the champion, else the Poisson model''s (the interpretable reference beside boosted trees).';
