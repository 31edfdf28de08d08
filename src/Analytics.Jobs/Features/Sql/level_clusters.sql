-- The clusters of condition $3 for every territory of level $1 (latest vintage) from the latest health batch: with
-- $2 = 'lisa' or 'gi_star', each territory's local cluster category and p-value in period $4 (no category where the
-- territory's count is withheld: the state says so); with $2 = 'scan', the spatial scan clusters holding a territory
-- whose period range covers $4 (their rank as category; membership is published, a withheld cluster's counts are not).
WITH latest AS (SELECT max(vintage) AS vintage FROM geo.territory WHERE level = $1),
batch AS (SELECT max(health_batch_id) AS id FROM features.health_indicator)
SELECT t.code, c.category, c.p_value, c.state
FROM features.territory_cluster c
JOIN geo.territory t ON t.id = c.territory_id
JOIN latest l ON t.vintage = l.vintage
WHERE $2 <> 'scan' AND t.level = $1 AND c.health_batch_id = (SELECT id FROM batch)
  AND c.condition_code = $3 AND c.method = $2 AND c.period = $4
UNION ALL
SELECT t.code, s.rank::text, s.p_value, s.state
FROM features.scan_cluster s
CROSS JOIN LATERAL unnest(s.territory_ids) AS member(id)
JOIN geo.territory t ON t.id = member.id
JOIN latest l ON t.vintage = l.vintage
WHERE $2 = 'scan' AND t.level = $1 AND s.health_batch_id = (SELECT id FROM batch)
  AND s.condition_code = $3 AND $4 BETWEEN s.period_from AND s.period_to
ORDER BY 1, 2
