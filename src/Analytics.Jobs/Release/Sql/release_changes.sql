-- Release $1's predicted SIR and priority rank per commune (latest period of its run) beside those of the run it was
-- compared with when it was created (the release then in force, diff.againstRun), and whether the new SIR lies outside
-- the earlier one's 90% interval: the review desk's map of changes and planners' "what changed".
-- No row when there was nothing to compare with. $2 = true: only while the release is in force (planners' "what
-- changed" since the release before it); false: whatever its state (the review desk).
WITH release AS (SELECT r.id, r.run_id, e.id AS against FROM review.release r LEFT JOIN review.release e ON e.run_id = (r.diff->>'againstRun')::bigint
                 WHERE r.id = $1 AND (NOT $2 OR r.id IN (SELECT release_id FROM review.release_in_force))),
-- Through review.release_prediction: a territory either release's reviewers excluded is not compared.
now AS (SELECT p.territory_id, p.predicted_sir, p.priority_rank FROM review.release_prediction p, release r
        WHERE p.release_id = r.id AND p.period = (SELECT max(period) FROM ml.prediction WHERE run_id = r.run_id)),
before AS (SELECT p.territory_id, p.predicted_sir, p.priority_rank, p.interval_low / nullif(p.exposure, 0) AS sir_low,
                  p.interval_high / nullif(p.exposure, 0) AS sir_high FROM review.release_prediction p, release r
           WHERE p.release_id = r.against AND p.period = (SELECT max(period) FROM review.release_prediction WHERE release_id = r.against))
SELECT coalesce(jsonb_agg(jsonb_build_object(
    'code', t.code, 'name', t.name, 'before', round(b.predicted_sir::numeric, 3), 'after', round(n.predicted_sir::numeric, 3),
    'rankBefore', b.priority_rank, 'rankAfter', n.priority_rank,
    -- Beyond the 90% interval the earlier release gave: a change larger than that release's own uncertainty.
    'beyondInterval', n.predicted_sir < b.sir_low OR n.predicted_sir > b.sir_high) ORDER BY t.code), '[]')::text
FROM now n JOIN before b ON b.territory_id = n.territory_id JOIN geo.territory t ON t.id = n.territory_id
