-- The communes $1 of a feature matrix with a point inside each (Lambert-93) and their audit groups:
-- deprivation quintile (FDep), density class, mainland or overseas.
WITH c AS (SELECT id, code, geom_l93 FROM geo.territory WHERE id = ANY ($1)),
fdep AS (
    SELECT DISTINCT ON (v.territory_id) v.territory_id, v.value FROM facts.territory_value v
    WHERE v.indicator_code = 'fdep' AND v.territory_id = ANY ($1) ORDER BY v.territory_id, v.batch_id DESC, v.period DESC),
quintile AS (SELECT territory_id, ntile(5) OVER (ORDER BY value, territory_id) AS quintile FROM fdep),
density AS (
    SELECT DISTINCT ON (l.territory_id) l.territory_id, l.label FROM facts.territory_label l
    WHERE l.attribute = 'density_class' AND l.territory_id = ANY ($1) ORDER BY l.territory_id, l.batch_id DESC, l.period DESC)
SELECT c.id, c.code, ST_X(ST_PointOnSurface(c.geom_l93)), ST_Y(ST_PointOnSurface(c.geom_l93)),
       coalesce(q.quintile, 0), q.quintile IS NOT NULL,
       d.label,
       CASE WHEN dep.code LIKE '97%' THEN 'overseas' WHEN dep.code IS NOT NULL THEN 'mainland' END
FROM c
LEFT JOIN quintile q ON q.territory_id = c.id
LEFT JOIN density d ON d.territory_id = c.id
LEFT JOIN geo.territory_ancestor a ON a.territory_id = c.id AND a.ancestor_level = 'departement'
LEFT JOIN geo.territory dep ON dep.id = a.ancestor_id
