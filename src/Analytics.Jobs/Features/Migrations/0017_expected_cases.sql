-- Expected cases by indirect standardisation, computed once per health batch (Features/ExpectedCases.cs,
-- with Analytics.Models' IndirectStandardisation) and read by the published figures, the scan, the
-- feature matrices and the custom zones — one definition of the reference and of the leaf strata.

CREATE TABLE features.expected_cases (
    health_batch_id bigint NOT NULL,
    territory_id    bigint NOT NULL,
    condition_code  text NOT NULL,
    scope           text NOT NULL CHECK (scope IN ('period', 'all_periods')),
    period          text NOT NULL,
    cases           bigint NOT NULL CHECK (cases >= 0),
    population      double precision NOT NULL CHECK (population >= 0),
    expected        double precision NOT NULL CHECK (expected >= 0),
    computed_at     timestamptz NOT NULL,
    PRIMARY KEY (health_batch_id, condition_code, scope, period, territory_id)
);
COMMENT ON TABLE features.expected_cases IS 'One row per territory with counts × condition × period of a health batch: its recorded cases, population and expected cases, summed over the batch''s leaf strata (sex × age band, source totals and source-suppressed cells left out). Scope period: the reference is the batch''s rates of that period. Scope all_periods (period = first/last): the reference is the batch''s rates over all its periods, as the spatial scan uses.';
