-- What run $1 changes against the release in force of its model: territories entering and leaving the priority
-- list (latest period of each) and the ten largest changes of predicted SIR.
WITH current AS (SELECT f.run_id FROM review.release_in_force f WHERE f.spec_code = (SELECT spec_code FROM ml.model_run WHERE id = $1)),
latest AS (SELECT max(period) AS period FROM ml.prediction WHERE run_id = $1),
now AS (SELECT territory_id, predicted_sir, priority_rank FROM ml.prediction WHERE run_id = $1 AND period = (SELECT period FROM latest)),
before AS (SELECT p.territory_id, p.predicted_sir, p.priority_rank FROM ml.prediction p JOIN current c ON c.run_id = p.run_id
           WHERE p.period = (SELECT max(period) FROM ml.prediction WHERE run_id = c.run_id))
SELECT jsonb_build_object(
    'againstRun', (SELECT run_id FROM current),
    'entering', coalesce((SELECT jsonb_agg(t.code ORDER BY n.priority_rank) FROM now n JOIN geo.territory t ON t.id = n.territory_id
        LEFT JOIN before b ON b.territory_id = n.territory_id WHERE n.priority_rank IS NOT NULL AND b.priority_rank IS NULL AND EXISTS (SELECT FROM current)), '[]'),
    'leaving', coalesce((SELECT jsonb_agg(t.code ORDER BY b.priority_rank) FROM before b JOIN geo.territory t ON t.id = b.territory_id
        LEFT JOIN now n ON n.territory_id = b.territory_id WHERE b.priority_rank IS NOT NULL AND n.priority_rank IS NULL), '[]'),
    'largestChanges', coalesce((SELECT jsonb_agg(x) FROM (
        SELECT jsonb_build_object('territory', t.code, 'before', round(b.predicted_sir::numeric, 3), 'after', round(n.predicted_sir::numeric, 3)) AS x
        FROM now n JOIN before b ON b.territory_id = n.territory_id JOIN geo.territory t ON t.id = n.territory_id
        ORDER BY abs(n.predicted_sir - b.predicted_sir) DESC, t.code LIMIT 10) c), '[]'))
