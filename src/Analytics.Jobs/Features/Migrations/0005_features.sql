-- The Features stage: areal interpolation weights and the values derived from them.

CREATE TABLE geo.interp_weight_set (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    layer_id    bigint NOT NULL REFERENCES geo.source_layer (id),
    level       text NOT NULL,
    vintage     integer NOT NULL,
    computed_at timestamptz NOT NULL,
    seconds     double precision NOT NULL,
    pairs       bigint NOT NULL,
    UNIQUE (layer_id, level, vintage)
);
COMMENT ON TABLE geo.interp_weight_set IS 'One row per (source layer, zoning level and vintage) whose intersection weights are computed: computed once, applied to every period.';

CREATE TABLE geo.interp_weight (
    weight_set_id bigint NOT NULL REFERENCES geo.interp_weight_set (id) ON DELETE CASCADE,
    territory_id  bigint NOT NULL,
    feature_id    integer NOT NULL,
    overlap_m2    double precision NOT NULL CHECK (overlap_m2 > 0),
    feature_share double precision NOT NULL CHECK (feature_share > 0 AND feature_share <= 1.000001),
    PRIMARY KEY (weight_set_id, territory_id, feature_id)
);
CREATE INDEX interp_weight_feature ON geo.interp_weight (weight_set_id, feature_id);
COMMENT ON TABLE geo.interp_weight IS 'One row per territory × source geometry that overlap: the overlap area (m², Lambert-93) and the share of the source geometry it is. Sparse: a 1 km cell meets a handful of communes.';

CREATE TABLE features.territory_exposure (
    layer_id       bigint NOT NULL REFERENCES geo.source_layer (id),
    batch_id       bigint NOT NULL,
    territory_id   bigint NOT NULL,
    indicator_code text NOT NULL,
    period         text NOT NULL,
    method         text NOT NULL CHECK (method IN ('area', 'population', 'nearest', 'idw')),
    value          double precision NOT NULL,
    coverage       double precision CHECK (coverage >= 0),
    distance_m     double precision CHECK (distance_m >= 0),
    PRIMARY KEY (layer_id, batch_id, territory_id, indicator_code, period, method)
);
COMMENT ON TABLE features.territory_exposure IS 'One row per territory × indicator × period × method per source batch: a layer''s values brought onto the territory — averaged over it (area or population weights; coverage = share of the territory the layer covers) or taken from stations (nearest or inverse-distance weighting; distance_m = nearest station used).';

-- Every territory with all its ancestors (itself included, depth 0), for roll-ups along the hierarchy.
CREATE VIEW geo.territory_ancestor AS
WITH RECURSIVE chain AS (
    SELECT id AS territory_id, id AS ancestor_id, 0 AS depth FROM geo.territory
    UNION ALL
    SELECT c.territory_id, t.parent_id, c.depth + 1
    FROM chain c JOIN geo.territory t ON t.id = c.ancestor_id
    WHERE t.parent_id IS NOT NULL AND c.depth < 10
)
SELECT c.territory_id, c.ancestor_id, a.level AS ancestor_level, c.depth FROM chain c JOIN geo.territory a ON a.id = c.ancestor_id;
COMMENT ON VIEW geo.territory_ancestor IS 'One row per territory × each of its ancestors (and itself at depth 0).';

CREATE TABLE features.health_indicator (
    health_batch_id bigint NOT NULL,
    territory_id    bigint NOT NULL,
    level           text NOT NULL,
    period          text NOT NULL,
    condition_code  text NOT NULL,
    statistic       text NOT NULL CHECK (statistic IN ('cases', 'population', 'crude_rate', 'standardised_rate', 'expected', 'sir', 'smoothed_rr', 'p_rr_above_1')),
    value           double precision,
    ci_low          double precision,
    ci_high         double precision,
    state           text NOT NULL CHECK (state IN ('value', 'suppressed', 'missing', 'unreliable')),
    method          text NOT NULL,
    computed_at     timestamptz NOT NULL,
    CHECK ((state IN ('suppressed', 'missing')) = (value IS NULL)),
    PRIMARY KEY (health_batch_id, territory_id, period, condition_code, statistic)
);
COMMENT ON TABLE features.health_indicator IS 'One row per territory × period × condition × statistic per health batch: the published figure (NULL when suppressed for secrecy or missing), its 95% interval, its state and the method. Every level of the hierarchy is protected together, so no level can be subtracted from another.';

CREATE TABLE features.spatial_pattern (
    health_batch_id bigint NOT NULL,
    level           text NOT NULL,
    period          text NOT NULL,
    condition_code  text NOT NULL,
    statistic       text NOT NULL CHECK (statistic IN ('eb_moran_i')),
    value           double precision NOT NULL,
    p_value         double precision NOT NULL,
    detail          jsonb NOT NULL,
    computed_at     timestamptz NOT NULL,
    PRIMARY KEY (health_batch_id, level, period, condition_code, statistic)
);
COMMENT ON TABLE features.spatial_pattern IS 'One row per level × period × condition × statistic per health batch: global spatial autocorrelation of the rates (empirical-Bayes Moran''s I, permutation p-value), with islands and neighbour rule in detail.';

CREATE TABLE features.territory_cluster (
    health_batch_id bigint NOT NULL,
    territory_id    bigint NOT NULL,
    period          text NOT NULL,
    condition_code  text NOT NULL,
    method          text NOT NULL CHECK (method IN ('lisa')),
    category        text,
    p_value         double precision,
    state           text NOT NULL CHECK (state IN ('value', 'suppressed')),
    CHECK ((state = 'suppressed') = (category IS NULL)),
    PRIMARY KEY (health_batch_id, territory_id, period, condition_code, method)
);
COMMENT ON TABLE features.territory_cluster IS 'One row per territory × period × condition × method per health batch: its local cluster category (LISA on the smoothed relative risk: high-high, low-low, high-low, low-high, not significant, island) — withheld where the territory''s count is suppressed.';
