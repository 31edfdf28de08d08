-- The map's views of level $1, each with its extent in degrees: every territory outside the overseas départements
-- (code null), then one per overseas département (INSEE codes 97x) holding some, largest first. A territory belongs to
-- the overseas département whose box, widened by 20 km, it crosses: overseas départements lie thousands of kilometres
-- from anything else, and a whole-country extent would open the map on an ocean.
WITH overseas AS (
    SELECT DISTINCT ON (t.code) t.code, t.name, g.geom
    FROM geo.territory t JOIN geo.territory_tile_geometry g ON g.territory_id = t.id AND g.zoom = 5
    WHERE t.level = 'departement' AND t.code LIKE '97%'
    ORDER BY t.code, t.vintage DESC),
placed AS (
    SELECT g.geom, (SELECT o.code FROM overseas o WHERE g.geom && ST_Expand(o.geom, 20000) ORDER BY o.code LIMIT 1) AS departement
    FROM geo.territory_tile_geometry g WHERE g.level = $1 AND g.zoom = 5)
SELECT p.departement, o.name, p.territories, ST_XMin(p.extent), ST_YMin(p.extent), ST_XMax(p.extent), ST_YMax(p.extent)
FROM (SELECT departement, count(*) AS territories, ST_Extent(ST_Transform(geom, 4326)) AS extent FROM placed GROUP BY departement) p
LEFT JOIN overseas o ON o.code = p.departement
ORDER BY p.departement IS NOT NULL, p.territories DESC, p.departement
