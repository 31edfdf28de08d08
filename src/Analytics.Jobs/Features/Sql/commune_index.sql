-- The cumulative index of every commune scored from the latest health batch built, as the territory page shows it: its
-- percentile and its rank interval (best–worst under the alternative aggregations). Communes without a score are left out.
WITH batch AS (SELECT max(health_batch_id) AS id FROM features.health_indicator)
SELECT t.code, i.score_percentile, i.best_rank, i.worst_rank
FROM features.cumulative_index i JOIN geo.territory t ON t.id = i.territory_id
WHERE i.health_batch_id = (SELECT id FROM batch) AND i.score IS NOT NULL
