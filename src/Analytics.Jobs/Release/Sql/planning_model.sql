-- The model side of planning for release $1 while it is in force: the latest period, the matrix's feature names,
-- the coefficients of the approved model (ml.champion_coefficients), the champion, the Poisson model itself (for its
-- dispersion) and the card's known limits.
SELECT (SELECT max(period) FROM ml.prediction WHERE run_id = f.run_id), fm.feature_names,
       ml.champion_coefficients(m)::text,
       m.model_poisson, coalesce(m.model_card->'Limits', '[]')::text, m.champion
FROM review.release_in_force f JOIN ml.model_run m ON m.id = f.run_id JOIN features.feature_matrix fm ON fm.id = m.matrix_id
WHERE f.release_id = $1
