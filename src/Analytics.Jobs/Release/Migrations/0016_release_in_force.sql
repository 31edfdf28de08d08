-- The publication gate in one place: the release in force of each model (beside the partial unique
-- index release_one_in_force that keeps it to one), and what a release publishes once its
-- reviewers' exclusions are taken out. Every route that serves model output reads through these
-- views (Release/PublishedReleases.cs for analysts and planners, Release/ReleaseFiles.cs for reviewers).

CREATE VIEW review.release_in_force AS
SELECT r.id AS release_id, r.run_id, r.spec_code, m.champion, m.code_version, m.dataset_version,
       r.decided_by AS approved_by, r.decided_at AS approved_at, r.content_sha256
FROM review.release r JOIN ml.model_run m ON m.id = r.run_id
WHERE r.state = 'approved';
COMMENT ON VIEW review.release_in_force IS 'The publication gate: for each model, its one approved release (at most one, by release_one_in_force) with its provenance. Nothing else of a model is served to analysts and planners.';

CREATE VIEW review.release_prediction AS
SELECT r.id AS release_id, r.spec_code, p.*
FROM review.release r JOIN ml.prediction p ON p.run_id = r.run_id
WHERE NOT EXISTS (SELECT FROM review.territory_exclusion x WHERE x.release_id = r.id AND x.territory_id = p.territory_id);
COMMENT ON VIEW review.release_prediction IS 'The predictions a release carries, without the territories its reviewers excluded: what reviewers read before deciding and, joined to release_in_force, what is published.';
