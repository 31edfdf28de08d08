-- Claims stage $2 (unit $5: a model code for training, NULL otherwise) of pipeline run $1 for worker $3: inserts
-- its row (and marks the run running), or takes over a row that failed or whose worker stopped beating for longer
-- than the lease timeout $4. No row: the stage is done, a live worker holds it, or the run is over.
WITH started AS (UPDATE ops.pipeline_run SET status = 'running' WHERE id = $1 AND status IN ('queued', 'running') RETURNING id)
INSERT INTO ops.pipeline_stage (run_id, stage, unit, status, worker)
SELECT $1, $2, $5, 'running', $3 FROM started
ON CONFLICT (run_id, stage, unit) DO UPDATE
    SET status = 'running', attempts = ops.pipeline_stage.attempts + 1, worker = $3, heartbeat_at = now(), started_at = now(),
        finished_at = NULL, detail = NULL
    WHERE ops.pipeline_stage.status = 'failed'
       OR (ops.pipeline_stage.status = 'running' AND ops.pipeline_stage.heartbeat_at < now() - $4)
RETURNING id
