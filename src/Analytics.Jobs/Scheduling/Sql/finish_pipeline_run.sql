-- Ends pipeline run $1 at $2 once every stage it plans — ingest, features and one training unit per code of
-- training_units — has succeeded or been skipped. The caller holds the run's row lock, so two units ending at
-- once cannot both miss the other's row.
UPDATE ops.pipeline_run r SET status = 'succeeded', finished_at = $2
WHERE r.id = $1 AND r.status = 'running'
  AND (SELECT count(*) FROM ops.pipeline_stage s
       WHERE s.run_id = r.id AND s.status IN ('succeeded', 'skipped')
         AND (s.stage IN ('ingest', 'features') OR s.unit = ANY (r.training_units))) = 2 + cardinality(r.training_units)
