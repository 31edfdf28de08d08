-- The published figures of the accepted zone ($1 zoning, $2 code) from the latest health batch, optionally of one
-- condition ($3), by condition, period and statistic; with the health batch's source, licence and load date.
SELECT i.health_batch_id, i.condition_code, i.period, i.statistic, i.value, i.ci_low, i.ci_high, i.state, i.method,
       b.source, b.licence, b.finished_at
FROM geo.custom_zone z
JOIN features.custom_zone_indicator i ON i.zone_id = z.id
JOIN ingest.batch b ON b.id = i.health_batch_id
WHERE z.zoning = $1 AND z.code = $2 AND z.state = 'accepted'
  AND i.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)
  AND ($3::text IS NULL OR i.condition_code = $3)
ORDER BY i.condition_code, i.period, i.statistic
