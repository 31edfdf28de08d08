-- Zoning files are loaded like every other input (batch kind "zoning"): each zone remembers the batch (file, SHA-256, who, when) it came from.
-- Zones declared before this migration keep a NULL batch.
ALTER TABLE geo.custom_zone ADD COLUMN batch_id bigint REFERENCES ingest.batch (id);
COMMENT ON COLUMN geo.custom_zone.batch_id IS 'The ingest batch of the zoning file the zone came from.';

ALTER TABLE ingest.batch DROP CONSTRAINT batch_kind_check;
ALTER TABLE ingest.batch ADD CONSTRAINT batch_kind_check
    CHECK (kind IN ('catalog', 'territories', 'code-changes', 'health', 'socio', 'animal', 'environment', 'zoning'));
