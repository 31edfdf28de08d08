-- One vector tile ($2 zoom, $3 x, $4 y) of the territories of level $1 from the geometries of zoom band $5, with one
-- figure of period $8 as attributes when one is asked for: a published health figure ($6 condition, $7 statistic) —
-- its value (none when withheld) and its state — or an exposure ($9 indicator, from its layer's latest batch: public
-- environmental data, no secrecy). The state is always named ("missing" for a territory without the figure). With $10,
-- only the code and the state: a third of the bytes fewer for a map that colours from the figures it reads beside.
WITH bounds AS (SELECT ST_TileEnvelope($2, $3, $4) AS envelope),
figures AS MATERIALIZED (
    SELECT h.territory_id, h.value, h.state FROM features.health_indicator h
    WHERE $6::text IS NOT NULL AND h.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)
      AND h.condition_code = $6 AND h.statistic = $7 AND h.period = $8
    UNION ALL
    SELECT e.territory_id, e.value, 'value' FROM features.territory_exposure e
    WHERE $9::text IS NOT NULL AND e.indicator_code = $9 AND e.period = $8
      AND e.batch_id = (SELECT max(batch_id) FROM features.territory_exposure WHERE indicator_code = $9)),
shapes AS (
    SELECT t.code, CASE WHEN $10 THEN NULL ELSE t.name END AS name, CASE WHEN $10 THEN NULL ELSE f.value END AS value, CASE WHEN $8::text IS NULL THEN NULL ELSE coalesce(f.state, 'missing') END AS state,
           ST_AsMVTGeom(g.geom, b.envelope, 4096, 64, true) AS geom
    FROM geo.territory_tile_geometry g CROSS JOIN bounds b
    JOIN geo.territory t ON t.id = g.territory_id
    LEFT JOIN figures f ON f.territory_id = g.territory_id
    WHERE g.level = $1 AND g.zoom = $5 AND g.geom && b.envelope)
SELECT ST_AsMVT(shapes, 'territories', 4096, 'geom') FROM shapes WHERE geom IS NOT NULL
