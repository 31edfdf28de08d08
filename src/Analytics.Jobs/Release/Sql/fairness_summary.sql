-- The fairness audit of release $1's model as trained (the variant its verdict comes from), reduced to what the review
-- screen charts: per dimension and group, the verdict, the number of territories and each metric's ratio to the
-- reference group with its interval. No case count or sum: those stay in the whole report.
SELECT jsonb_build_object(
    'release', r.id, 'overall', f.report->'overall',
    'tolerance', jsonb_build_object('lower', f.report->'policy'->'lowerTolerance', 'upper', f.report->'policy'->'upperTolerance'),
    'afterMitigation', (SELECT verdict FROM ml.fairness_report WHERE run_id = r.run_id AND variant = 'reweighted'),
    'dimensions', (SELECT jsonb_agg(jsonb_build_object(
        'dimension', d->'dimension', 'reference', d->'referenceGroup',
        'groups', (SELECT jsonb_agg(jsonb_build_object(
            'label', g->'label', 'isReference', g->'isReference', 'overall', g->'overall', 'territories', g->'sums'->'territories',
            'metrics', (SELECT jsonb_agg(jsonb_build_object(
                'metric', m->'metric', 'verdict', m->'verdict', 'ratio', m->'ratio',
                'lower', m->'ratioInterval'->'lower', 'upper', m->'ratioInterval'->'upper') ORDER BY mo)
                FROM jsonb_array_elements(g->'metrics') WITH ORDINALITY AS ms (m, mo))) ORDER BY go)
            FROM jsonb_array_elements(d->'groups') WITH ORDINALITY AS gs (g, go))) ORDER BY do_)
        FROM jsonb_array_elements(f.report->'dimensions') WITH ORDINALITY AS ds (d, do_)))::text
FROM review.release r JOIN ml.fairness_report f ON f.run_id = r.run_id AND f.variant = 'unmitigated'
WHERE r.id = $1
