-- Exposures of the accepted custom zones: population-weighted mean of the communes' latest values, with the share of residents covered.
WITH residents AS (
    SELECT DISTINCT ON (territory_id) territory_id, value AS population FROM facts.territory_value
    WHERE indicator_code = 'population' ORDER BY territory_id, period DESC, batch_id DESC),
latest AS (
    SELECT DISTINCT ON (territory_id, indicator_code, period) territory_id, indicator_code, period, value FROM features.territory_exposure
    WHERE method IN ('area', 'idw') ORDER BY territory_id, indicator_code, period, batch_id DESC)
INSERT INTO features.custom_zone_exposure (zone_id, indicator_code, period, value, coverage)
SELECT z.id, l.indicator_code, l.period, sum(l.value * r.population ORDER BY l.territory_id) / sum(r.population ORDER BY l.territory_id),
       least(1, sum(r.population) / z.population)
FROM geo.custom_zone z JOIN latest l ON l.territory_id = ANY (z.communes) JOIN residents r ON r.territory_id = l.territory_id
WHERE z.state = 'accepted' AND z.population > 0
GROUP BY z.id, z.population, l.indicator_code, l.period
HAVING sum(r.population) > 0
