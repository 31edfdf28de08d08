-- The territories of level $1 (latest vintage) as OGC API features: code, name, vintage and boundary (GeoJSON,
-- EPSG:4326, 6 decimals), optionally those whose box meets the bbox ($2 west, $3 south, $4 east, $5 north), in code
-- order, $6 at most from offset $7, with how many match in all.
WITH latest AS (SELECT max(vintage) AS vintage FROM geo.territory WHERE level = $1)
SELECT t.code, t.name, t.vintage, ST_AsGeoJSON(t.geom, 6), count(*) OVER ()
FROM geo.territory t JOIN latest l ON t.vintage = l.vintage
WHERE t.level = $1 AND ($2::float8 IS NULL OR t.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326))
ORDER BY t.code
LIMIT $6 OFFSET $7
