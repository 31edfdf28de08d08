-- One figure ($2 condition, $3 statistic) of every territory of level $1 (latest vintage) from the latest health
-- batch, for one period ($4), the periods from $12 to $13 (either open) or every period of the condition: value,
-- interval, state ('missing' where the build has no figure) and the boundary as GeoJSON (EPSG:4326, 6 decimals) when
-- $9; optionally only territories whose box meets the bbox ($5 west, $6 south, $7 east, $8 north), or territory $14;
-- in code then period order, $10 rows at most from offset $11, with how many rows match in all.
WITH latest AS (SELECT max(vintage) AS vintage FROM geo.territory WHERE level = $1),
batch AS (SELECT max(health_batch_id) AS id FROM features.health_indicator),
-- The periods are read on the régions' rows (every figure is built at every level): the primary key's (batch,
-- territory) prefix finds them at once, where the whole batch is millions of rows nationally.
periods AS (
    SELECT DISTINCT h.period FROM features.health_indicator h JOIN batch b ON h.health_batch_id = b.id
    WHERE h.territory_id IN (SELECT id FROM geo.territory WHERE level = 'region')
      AND h.condition_code = $2 AND h.statistic = $3 AND ($4::text IS NULL OR h.period = $4)
      AND ($12::text IS NULL OR h.period >= $12) AND ($13::text IS NULL OR h.period <= $13))
SELECT t.code, t.name, t.vintage, p.period, h.value, h.ci_low, h.ci_high, coalesce(h.state, 'missing'),
       CASE WHEN $9 THEN ST_AsGeoJSON(t.geom, 6) END, count(*) OVER ()
FROM geo.territory t
JOIN latest l ON t.vintage = l.vintage
CROSS JOIN periods p
LEFT JOIN features.health_indicator h ON h.territory_id = t.id AND h.condition_code = $2 AND h.statistic = $3
    AND h.period = p.period AND h.health_batch_id = (SELECT id FROM batch)
    -- The period named again where one is asked for: the figure index (batch, condition, statistic, period) then
    -- reads that period's rows alone.
    AND ($4::text IS NULL OR h.period = $4)
WHERE t.level = $1 AND ($5::float8 IS NULL OR t.geom && ST_MakeEnvelope($5, $6, $7, $8, 4326)) AND ($14::text IS NULL OR t.code = $14)
ORDER BY t.code, p.period
LIMIT $10 OFFSET $11
