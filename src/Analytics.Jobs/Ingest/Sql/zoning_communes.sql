-- The latest vintage's communes by code, with their residents (latest population loaded; 0 when none) and ancestors.
SELECT c.code, c.id, coalesce((SELECT v.value FROM facts.territory_value v WHERE v.territory_id = c.id AND v.indicator_code = 'population'
                              ORDER BY v.period DESC, v.batch_id DESC LIMIT 1), 0)::bigint,
       l.epci_id, l.departement_id, l.region_id
FROM geo.territory c LEFT JOIN geo.territory_lineage() l ON l.territory_id = c.id
WHERE c.level = 'commune' AND c.vintage = (SELECT max(vintage) FROM geo.territory WHERE level = 'commune')
