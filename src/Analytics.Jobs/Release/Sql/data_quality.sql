-- The data-quality report of run $1 a release carries: rows left out of the matrix, suppressed and missing counts,
-- quarantined rows of its source batches, and the lowest coverage of each exposure it uses.
SELECT jsonb_build_object(
    'rowsLeftOut', f.excluded,
    'rowsModelled', f.rows,
    'suppressedCounts', (SELECT count(*) FROM features.health_indicator h WHERE h.health_batch_id = ANY (f.source_batches) AND h.statistic = 'cases' AND h.state = 'suppressed'),
    'missingCounts', (SELECT count(*) FROM features.health_indicator h WHERE h.health_batch_id = ANY (f.source_batches) AND h.statistic = 'cases' AND h.state = 'missing'),
    'quarantinedRows', (SELECT count(*) FROM ingest.quarantine q WHERE q.batch_id = ANY (f.source_batches)),
    'sourceBatches', to_jsonb(f.source_batches),
    'exposureCoverage', (SELECT jsonb_object_agg(indicator_code, coverage) FROM (
        SELECT e.indicator_code, round(min(e.coverage)::numeric, 3) AS coverage FROM features.territory_exposure e
        WHERE e.indicator_code = ANY (f.feature_names) AND e.coverage IS NOT NULL GROUP BY 1) c))
FROM ml.model_run m JOIN features.feature_matrix f ON f.id = m.matrix_id WHERE m.id = $1
