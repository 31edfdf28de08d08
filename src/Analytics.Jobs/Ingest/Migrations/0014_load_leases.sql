-- Work leases for loads: a running load writes heartbeat_at every few seconds from the worker
-- that holds it, so a load whose worker died (killed, crashed, machine lost) is told apart from a
-- slow one and marked failed by the reaper instead of showing "running" for ever.
ALTER TABLE ingest.progress
    ADD COLUMN heartbeat_at timestamptz,
    ADD COLUMN worker       text;
CREATE INDEX progress_running ON ingest.progress (heartbeat_at) WHERE state = 'running';
COMMENT ON COLUMN ingest.progress.heartbeat_at IS 'Last sign of life of the worker running the load (NULL before it started); a running load whose heartbeat is older than Jobs:LeaseTimeoutSeconds is reaped as failed (interrupted).';
COMMENT ON COLUMN ingest.progress.worker IS 'The process running the load, as host:pid.';
