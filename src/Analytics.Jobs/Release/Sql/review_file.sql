-- What a reviewer reads about release $1 before deciding: the decision so far, data quality, the diff
-- against the release in force, the run's metrics, coefficients (the Poisson model's, and the champion's) and card,
-- exclusions and the open review items.
SELECT jsonb_build_object(
    'id', r.id, 'runId', r.run_id, 'model', r.spec_code, 'state', r.state, 'createdAt', r.created_at, 'contentSha256', r.content_sha256,
    'launchedBy', m.launched_by, 'decidedBy', r.decided_by, 'decidedAt', r.decided_at, 'justification', r.justification, 'acknowledgement', r.acknowledgement,
    'revokedBy', r.revoked_by, 'revokedAt', r.revoked_at, 'revokeReason', r.revoke_reason,
    'fairnessVerdict', r.fairness_verdict, 'fairnessAfterMitigation', (SELECT verdict FROM ml.fairness_report WHERE run_id = r.run_id AND variant = 'reweighted'),
    'dataQuality', r.data_quality, 'diff', r.diff,
    'champion', m.champion, 'championRule', m.champion_rule, 'metrics', m.metrics, 'coefficients', m.coefficients,
    'championCoefficients', ml.champion_coefficients(m), 'importance', m.importance,
    'residualMoran', m.residual_moran, 'checks', m.checks, 'modelCard', m.model_card, 'codeVersion', m.code_version, 'datasetVersion', m.dataset_version,
    'exclusions', coalesce((SELECT jsonb_agg(jsonb_build_object('territory', t.code, 'reason', x.reason, 'by', x.excluded_by, 'at', x.excluded_at))
        FROM review.territory_exclusion x JOIN geo.territory t ON t.id = x.territory_id WHERE x.release_id = r.id), '[]'),
    'openReviewItems', (SELECT count(*) FROM review.item i WHERE i.spec_code = r.spec_code AND i.state = 'open'))::text
FROM review.release r JOIN ml.model_run m ON m.id = r.run_id WHERE r.id = $1
