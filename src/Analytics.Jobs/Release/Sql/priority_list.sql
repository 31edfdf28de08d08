-- The priority list of release $1 (its latest period), without the territories its reviewers excluded.
-- $2 = true: only while the release is in force (the published list); false: whatever its state (the review file).
SELECT p.period, p.priority_rank, t.code, t.name, p.predicted_sir, p.predicted, p.interval_low, p.interval_high
FROM review.release_prediction p JOIN geo.territory t ON t.id = p.territory_id
WHERE p.release_id = $1 AND p.priority_rank IS NOT NULL
  AND (NOT $2 OR p.release_id IN (SELECT release_id FROM review.release_in_force))
ORDER BY p.priority_rank
