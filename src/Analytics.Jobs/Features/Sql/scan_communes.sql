-- The communes of the vintage the health batch's ($1) counts are attached to: a point inside each and its ancestors.
WITH v AS (SELECT max(t.vintage) AS vintage FROM facts.health_count h JOIN geo.territory t ON t.id = h.territory_id WHERE h.batch_id = $1 AND t.level = 'commune')
SELECT c.id, c.code, ST_X(p.point), ST_Y(p.point),
       (SELECT a.ancestor_id FROM geo.territory_ancestor a WHERE a.territory_id = c.id AND a.ancestor_level = 'epci'),
       (SELECT a.ancestor_id FROM geo.territory_ancestor a WHERE a.territory_id = c.id AND a.ancestor_level = 'departement'),
       (SELECT a.ancestor_id FROM geo.territory_ancestor a WHERE a.territory_id = c.id AND a.ancestor_level = 'region')
FROM geo.territory c CROSS JOIN v CROSS JOIN LATERAL (SELECT ST_PointOnSurface(c.geom_l93) AS point) p
WHERE c.level = 'commune' AND c.vintage = v.vintage
ORDER BY c.code
