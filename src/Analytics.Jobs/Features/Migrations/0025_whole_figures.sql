-- The whole loaded world's health figures (the national figure on the national world), beside each
-- territory's: protected in the same count table as every level, so no région can be had by subtracting.
CREATE TABLE features.whole_indicator (
    health_batch_id bigint NOT NULL,
    period          text NOT NULL,
    condition_code  text NOT NULL,
    statistic       text NOT NULL CHECK (statistic IN ('cases', 'population', 'crude_rate', 'standardised_rate', 'expected', 'sir')),
    value           double precision,
    ci_low          double precision,
    ci_high         double precision,
    state           text NOT NULL CHECK (state IN ('value', 'suppressed', 'missing', 'unreliable')),
    method          text NOT NULL,
    computed_at     timestamptz NOT NULL,
    CHECK ((state IN ('suppressed', 'missing')) = (value IS NULL)),
    PRIMARY KEY (health_batch_id, period, condition_code, statistic)
);
COMMENT ON TABLE features.whole_indicator IS 'One row per period × condition × statistic per health batch for the whole of the batch''s territories (no smoothed RR: there is nothing to smooth one territory towards). Written with features.health_indicator, under the same secrecy.';
