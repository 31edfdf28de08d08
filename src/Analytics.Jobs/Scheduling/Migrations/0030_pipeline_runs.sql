-- Runs of the scheduled pipeline (ingest of a drop folder → features build → training), one Hangfire job per
-- stage chained by continuations, and the input key of each features build so that a build on unchanged
-- inputs is skipped.
CREATE TABLE ops.pipeline_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger      text NOT NULL CHECK (trigger IN ('schedule', 'command_line', 'api')),
    requested_by text NOT NULL,
    manifest     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    finished_at  timestamptz,
    error        text
);
COMMENT ON TABLE ops.pipeline_run IS 'One row per pipeline run: who or what asked (schedule, command line, API), the load manifest of its ingest stage (NULL: no ingest), its state and, when it failed, why.';

CREATE TABLE ops.pipeline_stage (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES ops.pipeline_run (id),
    stage        text NOT NULL CHECK (stage IN ('ingest', 'features', 'training')),
    status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'skipped', 'failed')),
    input_key    text,
    detail       text,
    attempts     integer NOT NULL DEFAULT 1,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    worker       text NOT NULL,
    UNIQUE (run_id, stage)
);
COMMENT ON TABLE ops.pipeline_stage IS 'One row per stage of a pipeline run: its state (skipped: its inputs had not changed), the key of its inputs, what it did, its attempts, and the lease of the worker running it (heartbeat_at, worker).';

ALTER TABLE features.build ADD COLUMN input_key text;
COMMENT ON COLUMN features.build.input_key IS 'SHA-256 of what the build read (the loaded batches, the cumulative index definition, the build of the code); a pipeline skips a build whose key the latest build has.';
