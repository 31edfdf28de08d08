-- A territory's page reads its latest socio-economic values and labels (population, deprivation index, income,
-- density class…). The primary keys lead with the batch; without these the page scans every territory's facts
-- (a million rows for the national world).
CREATE INDEX territory_value_by_territory ON facts.territory_value (territory_id, indicator_code, period DESC, batch_id DESC);
CREATE INDEX territory_label_by_territory ON facts.territory_label (territory_id, attribute, period DESC, batch_id DESC);
