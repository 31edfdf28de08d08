-- Both published fairness reports of release $1 while it is in force (never the reviewers' whole report),
-- with its provenance $2; NULL when the run predates the published form.
SELECT CASE WHEN bool_and(r.published_report IS NOT NULL) THEN
    jsonb_build_object('release', $2::jsonb, 'reports', jsonb_object_agg(r.variant, jsonb_build_object('verdict', r.verdict, 'report', r.published_report)))::text END
FROM review.release_in_force f JOIN ml.fairness_report r ON r.run_id = f.run_id
WHERE f.release_id = $1
