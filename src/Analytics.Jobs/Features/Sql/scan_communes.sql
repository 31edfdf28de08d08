-- The communes of the vintage the health batch's ($1) counts are attached to: a point inside each and its ancestors.
WITH v AS (SELECT max(t.vintage) AS vintage FROM facts.health_count h JOIN geo.territory t ON t.id = h.territory_id WHERE h.batch_id = $1 AND t.level = 'commune')
SELECT c.id, c.code, ST_X(p.point), ST_Y(p.point), l.epci_id, l.departement_id, l.region_id
FROM geo.territory c CROSS JOIN v CROSS JOIN LATERAL (SELECT ST_PointOnSurface(c.geom_l93) AS point) p
LEFT JOIN geo.territory_lineage() l ON l.territory_id = c.id
WHERE c.level = 'commune' AND c.vintage = v.vintage
ORDER BY c.code
