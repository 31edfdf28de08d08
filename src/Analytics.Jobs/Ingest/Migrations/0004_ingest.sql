-- The Ingest stage's tables: batches and quarantine, the catalogue, territories and source
-- geometries, and the facts loaded from files. Every fact row carries the batch it came from.
-- Fact tables carry no foreign keys: the loaders resolve every reference before writing, and
-- per-row foreign-key triggers would make bulk loads several times slower.

CREATE TABLE ingest.batch (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('catalog', 'territories', 'code-changes', 'health', 'socio', 'animal', 'environment')),
    file_name        text NOT NULL,
    file_sha256      text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    file_bytes       bigint NOT NULL,
    part             text NOT NULL DEFAULT '',
    source           text,
    licence          text,
    loaded_by        text NOT NULL,
    options          jsonb NOT NULL DEFAULT '{}',
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL,
    status           text NOT NULL CHECK (status IN ('loaded', 'failed')),
    rows_read        bigint NOT NULL DEFAULT 0,
    rows_loaded      bigint NOT NULL DEFAULT 0,
    rows_quarantined bigint NOT NULL DEFAULT 0,
    geometries_repaired bigint NOT NULL DEFAULT 0,
    notes            text[] NOT NULL DEFAULT '{}',
    error            text
);
-- The same file loaded twice is a no-op: one loaded batch per (kind, content, part of the file read).
CREATE UNIQUE INDEX batch_loaded_once ON ingest.batch (kind, file_sha256, part) WHERE status = 'loaded';
COMMENT ON TABLE ingest.batch IS 'One row per load attempt of one file: loaded (its rows are in the facts) or failed (nothing of it is, the reason is in error). part names the layer or level read from a multi-layer file.';

CREATE TABLE ingest.quarantine (
    batch_id bigint NOT NULL REFERENCES ingest.batch (id),
    line     bigint,
    field    text,
    reason   text NOT NULL,
    raw      text
);
CREATE INDEX quarantine_batch ON ingest.quarantine (batch_id);
COMMENT ON TABLE ingest.quarantine IS 'One row per rejected record of a batch, with its line, field and reason; raw holds the record''s text (truncated) so it can be fixed.';

CREATE TABLE ingest.progress (
    load_id      uuid PRIMARY KEY,
    kind         text NOT NULL,
    file_name    text NOT NULL,
    state        text NOT NULL CHECK (state IN ('queued', 'running', 'loaded', 'failed', 'unchanged')),
    rows_done    bigint NOT NULL DEFAULT 0,
    bytes_done   bigint NOT NULL DEFAULT 0,
    bytes_total  bigint NOT NULL DEFAULT 0,
    batch_id     bigint,
    message      text,
    updated_at   timestamptz NOT NULL
);
COMMENT ON TABLE ingest.progress IS 'One row per load queued, in progress or done, updated outside the load''s transaction so screens can show a progress bar.';

CREATE TABLE catalog.indicator (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    label_fr    text NOT NULL,
    label_en    text NOT NULL,
    unit        text NOT NULL,
    domain      text NOT NULL CHECK (domain IN ('human', 'animal', 'environment', 'socio-economic')),
    method      text NOT NULL,
    licence     text NOT NULL,
    source      text NOT NULL,
    cim10_codes text,
    batch_id    bigint NOT NULL REFERENCES ingest.batch (id)
);
COMMENT ON TABLE catalog.indicator IS 'One row per indicator the product knows: labels, unit, domain, method, licence and the real source it stands for. Health conditions carry their CIM-10 codes.';

CREATE TABLE geo.territory (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level     text NOT NULL CHECK (level IN ('iris', 'commune', 'epci', 'departement', 'region', 'custom')),
    code      text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
    name      text NOT NULL,
    vintage   integer NOT NULL CHECK (vintage BETWEEN 1943 AND 2200),
    parent_id bigint REFERENCES geo.territory (id),
    batch_id  bigint NOT NULL REFERENCES ingest.batch (id),
    geom      geometry(MultiPolygon, 4326) NOT NULL,
    geom_l93  geometry(MultiPolygon, 2154) NOT NULL,
    area_km2  double precision NOT NULL CHECK (area_km2 > 0),
    UNIQUE (level, code, vintage)
);
CREATE INDEX territory_geom ON geo.territory USING gist (geom);
CREATE INDEX territory_geom_l93 ON geo.territory USING gist (geom_l93);
CREATE INDEX territory_parent ON geo.territory (parent_id);
COMMENT ON TABLE geo.territory IS 'One row per territory per zoning vintage (COG year): a new vintage adds rows, never replaces. area_km2 is geodesic (right for overseas too).';

CREATE TABLE geo.code_change (
    level    text NOT NULL,
    old_code text NOT NULL,
    new_code text NOT NULL,
    vintage  integer NOT NULL,
    batch_id bigint NOT NULL REFERENCES ingest.batch (id),
    PRIMARY KEY (level, old_code, vintage)
);
COMMENT ON TABLE geo.code_change IS 'One row per territory code retired in a vintage (commune merger, split, renumbering) and the code that replaces it.';

CREATE TABLE geo.source_layer (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('grid', 'stations', 'polygons', 'points')),
    name          text NOT NULL,
    geometry_hash text NOT NULL,
    cell_size_m   double precision,
    batch_id      bigint NOT NULL REFERENCES ingest.batch (id),
    UNIQUE (kind, geometry_hash)
);
COMMENT ON TABLE geo.source_layer IS 'One row per distinct set of source geometries (a grid, a station network, a polygon layer). Reloading the same geometries reuses the layer, so interpolation weights computed for it stay valid.';

CREATE TABLE geo.source_feature (
    layer_id   bigint NOT NULL REFERENCES geo.source_layer (id),
    feature_id integer NOT NULL,
    code       text NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    geom_l93   geometry(Geometry, 2154) NOT NULL,
    geom       geometry(Geometry, 4326) NOT NULL,
    PRIMARY KEY (layer_id, feature_id),
    UNIQUE (layer_id, code)
);
CREATE INDEX source_feature_geom_l93 ON geo.source_feature USING gist (geom_l93);
COMMENT ON TABLE geo.source_feature IS 'One row per source geometry of a layer: a grid cell, a station, a polygon zone or an event point, with its non-numeric attributes.';

CREATE TABLE facts.health_count (
    batch_id       bigint NOT NULL,
    territory_id   bigint NOT NULL,
    -- 'YYYY' or 'YYYY-MM', parsed by the loader; a regular-expression check here would cost
    -- 40% of the load time of this, the largest table, so only the shape is checked.
    period         text NOT NULL CHECK (length(period) IN (4, 7)),
    condition_code text NOT NULL,
    sex            text NOT NULL CHECK (sex IN ('M', 'F', 'T')),
    age_band       text NOT NULL,
    cases          integer CHECK (cases >= 0),
    suppressed_at_source boolean NOT NULL,
    population     integer CHECK (population >= 0),
    source_line    bigint NOT NULL,
    CHECK (suppressed_at_source = (cases IS NULL))
) PARTITION BY LIST (batch_id);
-- One partition per batch, created and filled by the batch's load and attached when it commits:
-- a load writes into an unindexed table (the fastest way in), a batch can be read or dropped
-- whole, and (territory, period, condition, sex, age band) is unique within each batch, which the
-- loader checks before attaching (an index maintained row by row would triple the load time).
COMMENT ON TABLE facts.health_count IS 'One row per territory × period × condition × sex × age band per batch: cases (NULL when suppressed by the producer), population when given, and the line of the source file. Partitioned by batch.';

CREATE TABLE facts.territory_value (
    batch_id       bigint NOT NULL,
    territory_id   bigint NOT NULL,
    indicator_code text NOT NULL,
    period         text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2]))?$'),
    value          double precision NOT NULL,
    PRIMARY KEY (batch_id, territory_id, indicator_code, period)
);
COMMENT ON TABLE facts.territory_value IS 'One row per territory × indicator × period per batch: socio-economic, animal-health and per-territory environment values.';

CREATE TABLE facts.feature_value (
    batch_id       bigint NOT NULL,
    layer_id       bigint NOT NULL,
    feature_id     integer NOT NULL,
    indicator_code text NOT NULL,
    period         text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2]))?$'),
    value          double precision NOT NULL,
    PRIMARY KEY (batch_id, layer_id, feature_id, indicator_code, period)
);
COMMENT ON TABLE facts.feature_value IS 'One row per source geometry (grid cell, station, zone) × indicator × period per batch.';

CREATE TABLE facts.territory_label (
    batch_id     bigint NOT NULL,
    territory_id bigint NOT NULL,
    attribute    text NOT NULL,
    period       text NOT NULL CHECK (period ~ '^\d{4}(-(0[1-9]|1[0-2]))?$'),
    label        text NOT NULL,
    PRIMARY KEY (batch_id, territory_id, attribute, period)
);
COMMENT ON TABLE facts.territory_label IS 'One row per territory × categorical attribute (density class, risk class label…) × period per batch.';
