-- Claims stage $2 of pipeline run $1 for worker $3: inserts its row (and marks the run running), or takes over a
-- row that failed or whose worker stopped beating for longer than the lease timeout $4. No row: the stage is done,
-- or a live worker holds it.
WITH started AS (UPDATE ops.pipeline_run SET status = 'running' WHERE id = $1 AND status IN ('queued', 'running') RETURNING id)
INSERT INTO ops.pipeline_stage (run_id, stage, status, worker)
SELECT $1, $2, 'running', $3 FROM started
ON CONFLICT (run_id, stage) DO UPDATE
    SET status = 'running', attempts = ops.pipeline_stage.attempts + 1, worker = $3, heartbeat_at = now(), started_at = now(),
        finished_at = NULL, detail = NULL
    WHERE ops.pipeline_stage.status = 'failed'
       OR (ops.pipeline_stage.status = 'running' AND ops.pipeline_stage.heartbeat_at < now() - $4)
RETURNING id
