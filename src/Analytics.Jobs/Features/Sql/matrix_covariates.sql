-- Each commune's ($2) series of each indicator ($1): interpolated exposures first, then values loaded by code; the latest batch wins per period.
SELECT DISTINCT ON (territory_id, indicator_code, period) territory_id, indicator_code, period, value, batch_id FROM (
    SELECT territory_id, indicator_code, period, value, batch_id, 0 AS preference FROM features.territory_exposure
    WHERE indicator_code = ANY ($1) AND territory_id = ANY ($2) AND method IN ('area', 'idw')
    UNION ALL
    SELECT territory_id, indicator_code, period, value, batch_id, 1 FROM facts.territory_value
    WHERE indicator_code = ANY ($1) AND territory_id = ANY ($2)) v
ORDER BY territory_id, indicator_code, period, preference, batch_id DESC
