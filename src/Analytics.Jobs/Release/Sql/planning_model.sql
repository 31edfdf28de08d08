-- The model side of planning for release $1 while it is in force: the latest period, the matrix's feature names,
-- the Poisson coefficients (estimate and standard error per feature), the Poisson model itself (for its dispersion)
-- and the card's known limits.
SELECT (SELECT max(period) FROM ml.prediction WHERE run_id = f.run_id), fm.feature_names, m.coefficients::text,
       m.model_poisson, coalesce(m.model_card->'Limits', '[]')::text
FROM review.release_in_force f JOIN ml.model_run m ON m.id = f.run_id JOIN features.feature_matrix fm ON fm.id = m.matrix_id
WHERE f.release_id = $1
