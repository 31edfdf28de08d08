-- Every zone of every custom zoning, accepted or refused (with why), with how many communes and residents it has,
-- and, for an accepted zone, whether the latest health batch has figures for it; zoning then code order.
SELECT z.zoning, z.code, z.name, z.state, z.refusal, cardinality(z.communes), z.population,
       EXISTS (SELECT 1 FROM features.custom_zone_indicator i WHERE i.zone_id = z.id
               AND i.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator))
FROM geo.custom_zone z
ORDER BY z.zoning, z.code
