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
    weight_set_id  bigint NOT NULL REFERENCES geo.interp_weight_set (id) ON DELETE CASCADE,
    batch_id       bigint NOT NULL,
    territory_id   bigint NOT NULL,
    indicator_code text NOT NULL,
    period         text NOT NULL,
    method         text NOT NULL CHECK (method IN ('area', 'population')),
    value          double precision NOT NULL,
    coverage       double precision NOT NULL CHECK (coverage >= 0),
    PRIMARY KEY (weight_set_id, batch_id, territory_id, indicator_code, period, method)
);
COMMENT ON TABLE features.territory_exposure IS 'One row per territory × indicator × period × method per source batch: the source layer''s values averaged over the territory (area- or population-weighted), and the share of the territory the layer covers.';
