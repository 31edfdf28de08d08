-- Area-weighted interpolation weights (set $4) of layer $1 onto the territories of level $2 and vintage $3: the area each
-- source feature shares with each territory, and that area's share of the feature, from subdivided territories (so the spatial index prunes).
WITH pieces AS (
    SELECT t.id AS territory_id, ST_Subdivide(t.geom_l93, 256) AS geom
    FROM geo.territory t WHERE t.level = $2 AND t.vintage = $3
), overlap AS (
    SELECT p.territory_id, f.feature_id,
           CASE WHEN ST_CoveredBy(f.geom_l93, p.geom) THEN ST_Area(f.geom_l93)
                ELSE ST_Area(ST_Intersection(f.geom_l93, p.geom)) END AS overlap_m2,
           ST_Area(f.geom_l93) AS feature_m2
    FROM pieces p JOIN geo.source_feature f ON f.layer_id = $1 AND f.geom_l93 && p.geom AND ST_Intersects(f.geom_l93, p.geom)
)
INSERT INTO geo.interp_weight (weight_set_id, territory_id, feature_id, overlap_m2, feature_share)
SELECT $4, territory_id, feature_id, sum(overlap_m2), least(sum(overlap_m2) / max(feature_m2), 1)
FROM overlap GROUP BY territory_id, feature_id HAVING sum(overlap_m2) > 0
