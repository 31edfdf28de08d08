-- The model side of planning for release $1 while it is in force: the latest period, the matrix's feature names,
-- the coefficients of the approved model (estimate and standard error per feature: the BYM2 model's when it is the
-- champion, else the Poisson model's, the trees having none), the champion, the Poisson model itself (for its
-- dispersion) and the card's known limits.
SELECT (SELECT max(period) FROM ml.prediction WHERE run_id = f.run_id), fm.feature_names,
       (CASE WHEN m.champion = 'bym2' THEN m.spatial->'coefficients' ELSE m.coefficients END)::text,
       m.model_poisson, coalesce(m.model_card->'Limits', '[]')::text, m.champion
FROM review.release_in_force f JOIN ml.model_run m ON m.id = f.run_id JOIN features.feature_matrix fm ON fm.id = m.matrix_id
WHERE f.release_id = $1
