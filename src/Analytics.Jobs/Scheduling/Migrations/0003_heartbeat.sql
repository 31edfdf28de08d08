CREATE TABLE ops.heartbeat (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requested_by text NOT NULL,
    ran_at       timestamptz NOT NULL,
    worker       text NOT NULL
);
COMMENT ON TABLE ops.heartbeat IS 'One row per run of the heartbeat job: proves that an enqueued job reaches a worker and writes to the database.';
