-- Releases awaiting or carrying a human decision, the territories reviewers exclude, and analysts' comments.

CREATE TABLE review.release (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          bigint NOT NULL UNIQUE REFERENCES ml.model_run (id),
    spec_code       text NOT NULL,
    state           text NOT NULL CHECK (state IN ('pending_review', 'approved', 'rejected', 'revoked', 'superseded')),
    created_at      timestamptz NOT NULL,
    content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    data_quality    jsonb NOT NULL,
    diff            jsonb NOT NULL,
    fairness_verdict text NOT NULL CHECK (fairness_verdict IN ('pass', 'warn', 'fail', 'insufficient_evidence')),
    decided_by      text,
    decided_at      timestamptz,
    justification   text,
    acknowledgement text,
    revoked_by      text,
    revoked_at      timestamptz,
    revoke_reason   text,
    CHECK ((state = 'pending_review') = (decided_by IS NULL)),
    CHECK ((state = 'revoked') = (revoked_by IS NOT NULL))
);
CREATE UNIQUE INDEX release_one_in_force ON review.release (spec_code) WHERE state = 'approved';
COMMENT ON TABLE review.release IS 'One row per training run that passed its technical checks: what a reviewer decides on (predictions, priority list, fairness report, data-quality report, diff against the release in force) and the decision. At most one approved release per model is in force; only it is served.';

CREATE TABLE review.territory_exclusion (
    release_id   bigint NOT NULL REFERENCES review.release (id),
    territory_id bigint NOT NULL,
    reason       text NOT NULL,
    excluded_by  text NOT NULL,
    excluded_at  timestamptz NOT NULL,
    PRIMARY KEY (release_id, territory_id)
);
COMMENT ON TABLE review.territory_exclusion IS 'One row per territory a reviewer kept out of a release''s publication, with why.';

CREATE TABLE review.item (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spec_code    text NOT NULL,
    territory_id bigint NOT NULL,
    release_id   bigint REFERENCES review.release (id),
    author       text NOT NULL,
    comment      text NOT NULL CHECK (length(comment) BETWEEN 1 AND 4000),
    created_at   timestamptz NOT NULL,
    state        text NOT NULL CHECK (state IN ('open', 'accepted', 'declined')),
    answer       text,
    answered_by  text,
    answered_at  timestamptz,
    CHECK ((state = 'open') = (answered_by IS NULL))
);
COMMENT ON TABLE review.item IS 'One row per analyst comment on a territory of a model''s published output: a review item that must be answered (accepted, or declined with a reason) before the model''s next release can be approved.';
