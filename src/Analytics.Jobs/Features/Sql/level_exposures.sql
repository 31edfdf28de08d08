-- One exposure or public value ($2 indicator) of every territory of level $1 (latest vintage), for period $3 or every
-- period: a layer's values brought onto the territories (the indicator's latest batch; one method per territory and
-- period: population weights first, then area, inverse distance, nearest station; with coverage or distance), or a
-- value loaded per territory (socio-economic, animal health, radon…; its latest batch). Public data: no secrecy applies.
WITH latest AS (SELECT max(vintage) AS vintage FROM geo.territory WHERE level = $1),
candidates AS (
    SELECT e.territory_id, e.period, e.value, e.method, coalesce(e.coverage, e.distance_m) AS extra,
           array_position(ARRAY['population', 'area', 'idw', 'nearest'], e.method) AS preference
    FROM features.territory_exposure e
    WHERE e.indicator_code = $2 AND e.batch_id = (SELECT max(batch_id) FROM features.territory_exposure WHERE indicator_code = $2)
    UNION ALL
    SELECT v.territory_id, v.period, v.value, 'territory', NULL, 5
    FROM facts.territory_value v
    WHERE v.indicator_code = $2 AND v.batch_id = (SELECT max(batch_id) FROM facts.territory_value WHERE indicator_code = $2))
SELECT DISTINCT ON (t.code, x.period) t.code, x.period, x.value, x.method, x.extra
FROM candidates x
JOIN geo.territory t ON t.id = x.territory_id
JOIN latest l ON t.vintage = l.vintage
WHERE t.level = $1 AND ($3::text IS NULL OR x.period = $3)
ORDER BY t.code, x.period, x.preference
