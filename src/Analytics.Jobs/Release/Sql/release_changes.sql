-- Release $1's predicted SIR and priority rank per commune (latest period of its run) beside those of the run it was
-- compared with when it was created (the release then in force, diff.againstRun): the review desk's map of changes.
-- No row when there was nothing to compare with.
WITH release AS (SELECT run_id, (diff->>'againstRun')::bigint AS against FROM review.release WHERE id = $1),
now AS (SELECT p.territory_id, p.predicted_sir, p.priority_rank FROM ml.prediction p, release r
        WHERE p.run_id = r.run_id AND p.period = (SELECT max(period) FROM ml.prediction WHERE run_id = r.run_id)),
before AS (SELECT p.territory_id, p.predicted_sir, p.priority_rank FROM ml.prediction p, release r
           WHERE p.run_id = r.against AND p.period = (SELECT max(period) FROM ml.prediction WHERE run_id = r.against))
SELECT coalesce(jsonb_agg(jsonb_build_object(
    'code', t.code, 'name', t.name, 'before', round(b.predicted_sir::numeric, 3), 'after', round(n.predicted_sir::numeric, 3),
    'rankBefore', b.priority_rank, 'rankAfter', n.priority_rank) ORDER BY t.code), '[]')::text
FROM now n JOIN before b ON b.territory_id = n.territory_id JOIN geo.territory t ON t.id = n.territory_id
