-- What the map reads: each territory's boundary in Web Mercator simplified once per zoom band (at build time, not
-- per request), and a stamp per features build so tile caches know when what they hold is stale.

CREATE TABLE geo.territory_tile_geometry (
    territory_id bigint NOT NULL REFERENCES geo.territory (id),
    level        text NOT NULL,
    zoom         smallint NOT NULL CHECK (zoom IN (5, 8, 11)),
    geom         geometry(MultiPolygon, 3857) NOT NULL,
    PRIMARY KEY (territory_id, zoom)
);
CREATE INDEX territory_tile_geometry_geom ON geo.territory_tile_geometry USING gist (geom);
CREATE INDEX territory_tile_geometry_level_zoom ON geo.territory_tile_geometry (level, zoom);
COMMENT ON TABLE geo.territory_tile_geometry IS 'One row per territory of the latest vintage × zoom band (5: zooms 0–6, 8: 7–9, 11: 10 and more): its boundary in EPSG:3857, simplified to half a pixel of a 256-pixel tile at that zoom.';

CREATE TABLE features.build (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    finished_at timestamptz NOT NULL
);
COMMENT ON TABLE features.build IS 'One row per completed features build: the stamp tile caches compare with.';
