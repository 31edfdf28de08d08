-- The fairness page of release $1 (the reweighted report, which carries the before / after comparison) with what its
-- heading names: the model's title, its code and the release's date. $2 = true: the published form, only while the
-- release is in force; false: the whole report, whatever the release's state (review routes). The English page and
-- title beside (NULL for a run trained before English pages: the reader then serves the French one).
SELECT CASE WHEN $2 THEN f.published_html ELSE f.html END, m.model_card->'Title'->>'Fr', r.spec_code, r.created_at,
       CASE WHEN $2 THEN f.published_html_en ELSE f.html_en END, m.model_card->'Title'->>'En'
FROM review.release r
JOIN ml.model_run m ON m.id = r.run_id
JOIN ml.fairness_report f ON f.run_id = r.run_id AND f.variant = 'reweighted'
WHERE r.id = $1 AND (NOT $2 OR r.id IN (SELECT release_id FROM review.release_in_force))
