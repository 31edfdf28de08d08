-- Getis-Ord Gi* hot and cold spots beside the LISA categories, Kulldorff scan clusters, and the feature matrix of each model specification.

ALTER TABLE features.territory_cluster DROP CONSTRAINT territory_cluster_method_check;
ALTER TABLE features.territory_cluster ADD CONSTRAINT territory_cluster_method_check CHECK (method IN ('lisa', 'gi_star'));
COMMENT ON TABLE features.territory_cluster IS 'One row per territory × period × condition × method per health batch: its local cluster category on the smoothed relative risk — LISA (high-high, low-low, high-low, low-high, not significant, island) or Getis-Ord Gi* (hot spot, cold spot, not significant, island) — withheld where the territory''s count is suppressed.';

CREATE TABLE features.scan_cluster (
    health_batch_id bigint NOT NULL,
    condition_code  text NOT NULL,
    period_from     text NOT NULL,
    period_to       text NOT NULL,
    rank            integer NOT NULL CHECK (rank >= 1),
    centre_territory_id bigint NOT NULL,
    radius_m        double precision NOT NULL CHECK (radius_m >= 0),
    territory_ids   bigint[] NOT NULL,
    population      double precision NOT NULL,
    cases           bigint,
    expected        double precision,
    relative_risk   double precision,
    log_likelihood_ratio double precision,
    p_value         double precision NOT NULL CHECK (p_value > 0 AND p_value <= 1),
    state           text NOT NULL CHECK (state IN ('value', 'suppressed')),
    refusal         text,
    detail          jsonb NOT NULL,
    computed_at     timestamptz NOT NULL,
    CHECK ((state = 'suppressed') = (cases IS NULL) AND (cases IS NULL) = (log_likelihood_ratio IS NULL)),
    PRIMARY KEY (health_batch_id, condition_code, rank)
);
COMMENT ON TABLE features.scan_cluster IS 'One row per cluster found by Kulldorff''s Poisson spatial scan over the communes, per condition over all periods of a health batch: rank 1 is the most likely cluster, the others are secondary clusters sharing no commune with a better one. Counts are withheld (state suppressed, refusal says why) when the window, as a custom zone, could be differenced against a published zoning.';

CREATE TABLE features.feature_matrix (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spec_code       text NOT NULL,
    dataset_version text NOT NULL CHECK (dataset_version ~ '^[0-9a-f]{64}$'),
    feature_names   text[] NOT NULL,
    source_batches  bigint[] NOT NULL,
    rows            integer NOT NULL,
    excluded        jsonb NOT NULL,
    built_at        timestamptz NOT NULL,
    UNIQUE (spec_code, dataset_version)
);
COMMENT ON TABLE features.feature_matrix IS 'One row per (model specification, dataset version): the feature names, the ingest batches the values came from (the dataset version is a SHA-256 over them and the specification) and the rows left out, with why.';

CREATE TABLE features.feature_matrix_row (
    matrix_id    bigint NOT NULL REFERENCES features.feature_matrix (id) ON DELETE CASCADE,
    territory_id bigint NOT NULL,
    period       text NOT NULL,
    observed     bigint NOT NULL CHECK (observed >= 0),
    population   double precision NOT NULL CHECK (population > 0),
    exposure     double precision NOT NULL CHECK (exposure > 0),
    x            double precision[] NOT NULL,
    groups       jsonb NOT NULL,
    x_l93        double precision NOT NULL,
    y_l93        double precision NOT NULL,
    PRIMARY KEY (matrix_id, territory_id, period)
);
COMMENT ON TABLE features.feature_matrix_row IS 'One row per territory × period of a feature matrix: observed cases (unsuppressed — never served), population, exposure offset, covariates in the order of feature_names, the territory''s audit groups and a point inside it (Lambert-93) for the spatial blocks.';

CREATE TABLE features.cumulative_index (
    health_batch_id  bigint NOT NULL,
    territory_id     bigint NOT NULL,
    score            double precision,
    score_percentile double precision,
    pollution_burden double precision,
    population_characteristics double precision,
    components       jsonb NOT NULL,
    percentiles      jsonb NOT NULL,
    ranks            jsonb NOT NULL,
    best_rank        integer,
    worst_rank       integer,
    gaps             text[] NOT NULL,
    computed_at      timestamptz NOT NULL,
    CHECK ((score IS NULL) = (best_rank IS NULL)),
    CHECK (best_rank <= worst_rank),
    PRIMARY KEY (health_batch_id, territory_id)
);
COMMENT ON TABLE features.cumulative_index IS 'One row per commune per health batch: the CalEnviroScreen-style cumulative index — indicator percentiles, component scores, pollution burden × population characteristics, its percentile — with the commune''s rank under each alternative aggregation and its rank interval (best–worst); gaps say why a commune has no score.';

CREATE TABLE geo.custom_zone (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zoning      text NOT NULL,
    code        text NOT NULL,
    name        text NOT NULL,
    communes    bigint[] NOT NULL,
    population  bigint NOT NULL,
    state       text NOT NULL CHECK (state IN ('accepted', 'refused')),
    refusal     text,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    CHECK ((state = 'refused') = (refusal IS NOT NULL)),
    UNIQUE (zoning, code)
);
COMMENT ON TABLE geo.custom_zone IS 'One row per zone of a custom zoning (health contracts, CPTS territories, a study area) as a set of communes: accepted only when populous enough and not differing from a published zone (or an earlier custom zone) by a small group of communes; refused zones are kept with why and get no figures.';

CREATE TABLE features.custom_zone_indicator (
    health_batch_id bigint NOT NULL,
    zone_id         bigint NOT NULL REFERENCES geo.custom_zone (id),
    period          text NOT NULL,
    condition_code  text NOT NULL,
    statistic       text NOT NULL CHECK (statistic IN ('cases', 'population', 'crude_rate', 'expected', 'sir')),
    value           double precision,
    ci_low          double precision,
    ci_high         double precision,
    state           text NOT NULL CHECK (state IN ('value', 'suppressed', 'unreliable')),
    method          text NOT NULL,
    CHECK ((state = 'suppressed') = (value IS NULL)),
    PRIMARY KEY (health_batch_id, zone_id, period, condition_code, statistic)
);
COMMENT ON TABLE features.custom_zone_indicator IS 'One row per accepted custom zone × period × condition × statistic per health batch: counts summed over the zone''s communes, rates and SIR — suppressed when 1 to 10 cases or when, published beside the hierarchy, the zone''s count would let a reader recover a suppressed cell.';

CREATE TABLE features.custom_zone_exposure (
    zone_id        bigint NOT NULL REFERENCES geo.custom_zone (id),
    indicator_code text NOT NULL,
    period         text NOT NULL,
    value          double precision NOT NULL,
    coverage       double precision NOT NULL CHECK (coverage >= 0 AND coverage <= 1),
    PRIMARY KEY (zone_id, indicator_code, period)
);
COMMENT ON TABLE features.custom_zone_exposure IS 'One row per accepted custom zone × indicator × period: the population-weighted mean of its communes'' exposures (latest source batch); coverage = share of the zone''s population whose commune has a value.';
