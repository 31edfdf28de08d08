-- The cumulative index's inputs ($2: indicator codes) for the communes of health batch $1: each exposure's or loaded value's
-- latest period (interpolated exposures preferred), and each condition's smoothed RR of the batch's latest period with its state.
WITH communes AS (
    SELECT DISTINCT t.id, t.code FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
    WHERE h.health_batch_id = $1 AND h.level = 'commune'),
latest AS (SELECT max(period) AS period FROM features.health_indicator WHERE health_batch_id = $1),
loaded AS (
    SELECT DISTINCT ON (territory_id, indicator_code) territory_id, indicator_code, value FROM (
        SELECT territory_id, indicator_code, period, value, batch_id, 0 AS preference FROM features.territory_exposure
        WHERE indicator_code = ANY ($2) AND method IN ('area', 'idw')
        UNION ALL
        SELECT territory_id, indicator_code, period, value, batch_id, 1 FROM facts.territory_value WHERE indicator_code = ANY ($2)) v
    ORDER BY territory_id, indicator_code, period DESC, preference, batch_id DESC)
SELECT c.id, c.code, l.indicator_code, l.value, 'value' FROM communes c JOIN loaded l ON l.territory_id = c.id
UNION ALL
SELECT c.id, c.code, h.condition_code, h.value, h.state FROM communes c
JOIN features.health_indicator h ON h.territory_id = c.id AND h.health_batch_id = $1 AND h.statistic = 'smoothed_rr'
    AND h.period = (SELECT period FROM latest) AND h.condition_code = ANY ($2)
