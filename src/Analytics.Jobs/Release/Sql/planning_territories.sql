-- What prevention planning reads of release $1 while it is in force: its latest period's predictions per commune
-- (reviewers' exclusions out) with the commune's département and EPCI (codes, then their names last), the population, covariate values and audit
-- groups of the run's feature matrix, and its GP accessibility (APL) and deprivation index (FDep), the latest values
-- loaded. No recorded count.
WITH release AS (SELECT f.release_id, f.run_id, m.matrix_id FROM review.release_in_force f JOIN ml.model_run m ON m.id = f.run_id WHERE f.release_id = $1),
latest AS (SELECT max(p.period) AS period FROM ml.prediction p JOIN release r ON p.run_id = r.run_id),
loaded AS (
    SELECT DISTINCT ON (v.territory_id, v.indicator_code) v.territory_id, v.indicator_code, v.value FROM facts.territory_value v
    WHERE v.indicator_code IN ('apl_gp', 'fdep') ORDER BY v.territory_id, v.indicator_code, v.batch_id DESC, v.period DESC)
SELECT t.code, t.name, dep.code, epci.code, fm.population, p.exposure, p.predicted, p.interval_low, p.interval_high, p.priority_rank,
       p.contributions::text, fm.x, fm.groups::text, apl.value, fdep.value, dep.name, epci.name
FROM release r
JOIN review.release_prediction p ON p.release_id = r.release_id AND p.period = (SELECT period FROM latest)
JOIN geo.territory t ON t.id = p.territory_id
JOIN features.feature_matrix_row fm ON fm.matrix_id = r.matrix_id AND fm.territory_id = p.territory_id AND fm.period = p.period
LEFT JOIN geo.territory_lineage() l ON l.territory_id = t.id
LEFT JOIN geo.territory dep ON dep.id = l.departement_id
LEFT JOIN geo.territory epci ON epci.id = l.epci_id
LEFT JOIN loaded apl ON apl.territory_id = t.id AND apl.indicator_code = 'apl_gp'
LEFT JOIN loaded fdep ON fdep.territory_id = t.id AND fdep.indicator_code = 'fdep'
ORDER BY t.code
