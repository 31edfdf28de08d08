-- Work leases for training runs (see 0014): heartbeat_at and worker while a run trains, and the key
-- of the job that launched it, so that a job delivered twice (Hangfire redelivers a job whose
-- worker died) never trains a second run nor creates a second release.
ALTER TABLE ml.model_run
    ADD COLUMN heartbeat_at timestamptz,
    ADD COLUMN worker       text,
    ADD COLUMN job_key      uuid UNIQUE;
CREATE INDEX model_run_running ON ml.model_run (heartbeat_at) WHERE status = 'running';
COMMENT ON COLUMN ml.model_run.heartbeat_at IS 'Last sign of life of the worker training the run; a running run whose heartbeat is older than Jobs:LeaseTimeoutSeconds is reaped as failed (interrupted).';
COMMENT ON COLUMN ml.model_run.worker IS 'The process training the run, as host:pid.';
COMMENT ON COLUMN ml.model_run.job_key IS 'The key of the launch request (one per POST /api/models/{code}/runs); NULL for command-line runs. A second delivery of the same request finds its run and stops.';
