-- Getis-Ord Gi* hot and cold spots beside the LISA categories, and Kulldorff scan clusters.

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
