-- The card of release $1 while it is in force, with its provenance $2 at the head, and the coefficients the approved
-- model stands behind (ml.champion_coefficients).
SELECT jsonb_build_object('release', $2::jsonb, 'card', m.model_card, 'coefficients', ml.champion_coefficients(m), 'metrics', m.metrics,
                          'importance', m.importance, 'residualMoran', m.residual_moran)::text
FROM review.release_in_force f JOIN ml.model_run m ON m.id = f.run_id
WHERE f.release_id = $1
