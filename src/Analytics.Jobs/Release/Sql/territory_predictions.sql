-- Every period's prediction and factor contributions for territory $2 in release $1, while it is in force
-- (nothing for a territory its reviewers excluded).
SELECT t.name, p.period, p.predicted, p.interval_low, p.interval_high, p.predicted_sir, p.priority_rank, p.contributions::text
FROM review.release_prediction p
JOIN review.release_in_force f ON f.release_id = p.release_id
JOIN geo.territory t ON t.id = p.territory_id
WHERE p.release_id = $1 AND t.code = $2
ORDER BY p.period
