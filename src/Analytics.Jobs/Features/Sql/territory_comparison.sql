-- One statistic ($4) of one condition ($3) for territory ($1 level, $2 code) and each of its ancestors, every period
-- of the latest health batch built, nearest territory first: what a territory page sets side by side.
WITH RECURSIVE chain AS (
    SELECT t.id, 0 AS depth FROM geo.territory t
    WHERE t.level = $1 AND t.code = $2 AND t.vintage = (SELECT max(vintage) FROM geo.territory WHERE level = $1 AND code = $2)
    UNION ALL
    SELECT t.parent_id, c.depth + 1 FROM chain c JOIN geo.territory t ON t.id = c.id WHERE t.parent_id IS NOT NULL AND c.depth < 10)
SELECT c.depth, t.level, t.code, t.name, h.period, h.value, h.ci_low, h.ci_high, h.state
FROM chain c
JOIN geo.territory t ON t.id = c.id
JOIN features.health_indicator h ON h.territory_id = c.id AND h.condition_code = $3 AND h.statistic = $4
    AND h.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)
ORDER BY h.period, c.depth
