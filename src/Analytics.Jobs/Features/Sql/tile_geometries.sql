-- Rebuilds the tile geometries of the latest vintage of each level: Web Mercator, simplified to half a pixel of a
-- 256-pixel tile at the band's zoom (40 075 016.686 m / (256 · 2^zoom) per pixel), topology kept.
DELETE FROM geo.territory_tile_geometry;
WITH latest AS (SELECT level, max(vintage) AS vintage FROM geo.territory WHERE level IN ('commune', 'epci', 'departement', 'region') GROUP BY level)
INSERT INTO geo.territory_tile_geometry (territory_id, level, zoom, geom)
SELECT t.id, t.level, z.zoom, ST_Multi(ST_SimplifyPreserveTopology(ST_Transform(t.geom, 3857), 0.5 * 40075016.686 / (256 * 2 ^ z.zoom)))
FROM geo.territory t JOIN latest l ON l.level = t.level AND l.vintage = t.vintage
CROSS JOIN (VALUES (5), (8), (11)) AS z (zoom);
