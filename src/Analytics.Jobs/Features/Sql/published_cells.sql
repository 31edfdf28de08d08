-- The batch's ($1) cases per territory of every level as published (value, and whether suppressed), with the true sums
-- of population and expected cases (features.expected_cases) summed up the hierarchy. Never served: the roll-up's secrecy check reads it.
WITH e AS (
    SELECT territory_id, period, condition_code, cases, population, expected FROM features.expected_cases
    WHERE health_batch_id = $1 AND scope = 'period'),
sums AS (
    SELECT a.ancestor_id AS territory_id, e.period, e.condition_code, sum(e.cases)::bigint AS cases, sum(e.population)::float8 AS population,
           sum(e.expected ORDER BY e.territory_id) AS expected
    FROM e JOIN geo.territory_ancestor a ON a.territory_id = e.territory_id GROUP BY 1, 2, 3)
SELECT c.territory_id, t.parent_id, c.period, c.condition_code, s.cases, c.state = 'suppressed', s.population, s.expected
FROM features.health_indicator c
JOIN geo.territory t ON t.id = c.territory_id
JOIN sums s ON (s.territory_id, s.period, s.condition_code) = (c.territory_id, c.period, c.condition_code)
WHERE c.health_batch_id = $1 AND c.statistic = 'cases' AND c.state <> 'missing'
