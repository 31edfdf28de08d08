-- The registry of model runs: what each run learnt from, how it did, what it predicted, and its fairness reports.

CREATE TABLE ml.model_run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spec_code       text NOT NULL,
    specification   jsonb NOT NULL,
    matrix_id       bigint NOT NULL REFERENCES features.feature_matrix (id),
    dataset_version text NOT NULL,
    seed            numeric(20, 0) NOT NULL,
    code_version    text NOT NULL,
    launched_by     text NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error           text,
    champion        text CHECK (champion IN ('poisson', 'boosted')),
    champion_rule   text,
    metrics         jsonb,
    coefficients    jsonb,
    importance      jsonb,
    residual_moran  jsonb,
    checks          jsonb,
    model_poisson   bytea,
    model_boosted   bytea,
    model_card      jsonb,
    predictions_sha256 text
);
COMMENT ON TABLE ml.model_run IS 'One row per training run: its specification, dataset version, seed and code version (so it can be repeated), metrics of both trainers under spatially blocked cross-validation, the champion and why, coefficients as rate ratios, permutation importance, Moran''s I of the residuals, technical checks, the serialized models and the model card (fr/en).';

CREATE TABLE ml.prediction (
    run_id        bigint NOT NULL REFERENCES ml.model_run (id) ON DELETE CASCADE,
    territory_id  bigint NOT NULL,
    period        text NOT NULL,
    exposure      double precision NOT NULL,
    predicted     double precision NOT NULL CHECK (predicted >= 0),
    interval_low  double precision NOT NULL,
    interval_high double precision NOT NULL,
    predicted_sir double precision NOT NULL,
    out_of_fold   double precision NOT NULL,
    priority_rank integer,
    contributions jsonb NOT NULL,
    CHECK (interval_low <= interval_high),
    PRIMARY KEY (run_id, territory_id, period)
);
COMMENT ON TABLE ml.prediction IS 'One row per territory × period of a run: the champion''s expected cases with a 90% prediction interval of the count (integers: a small expected count may lie above an upper bound of 0), the predicted SIR, the out-of-fold prediction of the cross-validation, the rank in the priority list (latest period; NULL when outside it) and each factor''s contribution.';

CREATE TABLE ml.fairness_report (
    run_id     bigint NOT NULL REFERENCES ml.model_run (id) ON DELETE CASCADE,
    variant    text NOT NULL CHECK (variant IN ('unmitigated', 'reweighted')),
    verdict    text NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail', 'insufficient_evidence')),
    report     jsonb NOT NULL,
    html       text NOT NULL,
    csv        text NOT NULL,
    PRIMARY KEY (run_id, variant)
);
COMMENT ON TABLE ml.fairness_report IS 'One row per run and variant (the model as trained, and retrained with the under-served groups reweighted): the overall verdict and the report as JSON, a self-contained French HTML page and CSV.';
