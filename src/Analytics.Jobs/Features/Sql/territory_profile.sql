-- Everything else the features stage publishes about territory ($1 level, $2 code), one row per item, kind first:
-- exposures (latest batch per indicator, period and method, with coverage or distance), local cluster categories
-- (withheld where the count is), the scan clusters it belongs to (counts withheld when the cluster's are) and its
-- cumulative index with the rank interval, and its latest socio-economic, animal-health and per-territory
-- environment values and labels (public data loaded as facts, the latest period of each, from its latest batch).
-- Health batch: the latest built. A first 'territory' row says it exists.
WITH territory AS (
    SELECT id FROM geo.territory WHERE level = $1 AND code = $2 ORDER BY vintage DESC LIMIT 1),
batch AS (SELECT max(health_batch_id) AS id FROM features.health_indicator)
SELECT 'territory' AS kind, $2 AS name, NULL AS period, NULL::float8 AS value, NULL::float8 AS extra, NULL AS label, 'value' AS state FROM territory
UNION ALL
SELECT 'exposure', e.indicator_code, e.period, e.value, e.coverage, e.method, 'value'
FROM (SELECT DISTINCT ON (indicator_code, period, method) * FROM features.territory_exposure
      WHERE territory_id = (SELECT id FROM territory) ORDER BY indicator_code, period, method, batch_id DESC) e
UNION ALL
SELECT 'cluster', c.condition_code || ':' || c.method, c.period, c.p_value, NULL, c.category, c.state
FROM features.territory_cluster c
WHERE c.territory_id = (SELECT id FROM territory) AND c.health_batch_id = (SELECT id FROM batch)
UNION ALL
SELECT 'scan', s.condition_code || ':' || s.rank, s.period_from || '/' || s.period_to, s.relative_risk, s.p_value, NULL, s.state
FROM features.scan_cluster s
WHERE (SELECT id FROM territory) = ANY (s.territory_ids) AND s.health_batch_id = (SELECT id FROM batch)
UNION ALL
SELECT 'value', v.indicator_code, v.period, v.value, NULL, NULL, 'value'
FROM (SELECT DISTINCT ON (indicator_code) indicator_code, period, value FROM facts.territory_value
      WHERE territory_id = (SELECT id FROM territory) ORDER BY indicator_code, period DESC, batch_id DESC) v
UNION ALL
SELECT 'value', l.attribute, l.period, NULL, NULL, l.label, 'value'
FROM (SELECT DISTINCT ON (attribute) attribute, period, label FROM facts.territory_label
      WHERE territory_id = (SELECT id FROM territory) ORDER BY attribute, period DESC, batch_id DESC) l
UNION ALL
SELECT 'index', 'cumulative_index', NULL, i.score, i.score_percentile, i.best_rank || '–' || i.worst_rank, CASE WHEN i.score IS NULL THEN 'missing' ELSE 'value' END
FROM features.cumulative_index i
WHERE i.territory_id = (SELECT id FROM territory) AND i.health_batch_id = (SELECT id FROM batch)
ORDER BY 1, 2, 3
