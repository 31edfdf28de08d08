-- The children of territory ($1 level, $2 code) with one figure ($3 condition, $4 statistic, $5 period) of the latest
-- health batch, published ones ranked by value (highest first), withheld and missing ones after, with their state.
WITH parent AS (
    SELECT id FROM geo.territory WHERE level = $1 AND code = $2 ORDER BY vintage DESC LIMIT 1)
SELECT t.code, t.name, t.level, h.value, h.ci_low, h.ci_high, coalesce(h.state, 'missing')
FROM geo.territory t
LEFT JOIN features.health_indicator h ON h.territory_id = t.id AND h.condition_code = $3 AND h.statistic = $4 AND h.period = $5
    AND h.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)
WHERE t.parent_id = (SELECT id FROM parent)
ORDER BY h.value DESC NULLS LAST, t.code
