-- One statistic ($4) of one condition ($3) for territory ($1 level, $2 code), each of its ancestors and the whole
-- loaded world, every period of the latest health batch built, nearest first: what a territory page sets side by side.
WITH RECURSIVE chain AS (
    SELECT t.id, 0 AS depth FROM geo.territory t
    WHERE t.level = $1 AND t.code = $2 AND t.vintage = (SELECT max(vintage) FROM geo.territory WHERE level = $1 AND code = $2)
    UNION ALL
    SELECT t.parent_id, c.depth + 1 FROM chain c JOIN geo.territory t ON t.id = c.id WHERE t.parent_id IS NOT NULL AND c.depth < 10),
batch AS (SELECT max(health_batch_id) AS id FROM features.health_indicator)
SELECT c.depth, t.level, t.code, t.name, h.period, h.value, h.ci_low, h.ci_high, h.state
FROM chain c
JOIN geo.territory t ON t.id = c.id
JOIN features.health_indicator h ON h.territory_id = c.id AND h.condition_code = $3 AND h.statistic = $4 AND h.health_batch_id = (SELECT id FROM batch)
UNION ALL
-- The whole, after the farthest ancestor; only for a known territory.
SELECT (SELECT max(depth) + 1 FROM chain), 'whole', '', 'Ensemble des territoires chargés', w.period, w.value, w.ci_low, w.ci_high, w.state
FROM features.whole_indicator w
WHERE w.condition_code = $3 AND w.statistic = $4 AND w.health_batch_id = (SELECT id FROM batch) AND EXISTS (SELECT FROM chain)
ORDER BY 5, 1
