-- A health load writes its batch's own partition of facts.health_count (0004), created at the start of
-- the load and attached when it commits. Both are DDL, which the application's role may not do
-- (docs/operations.md, "Database"): these functions do exactly that, as their owner, and nothing else.
-- The partition belongs to the owner; the application's rights on it come from the default
-- privileges the migrator sets in schema facts.
CREATE FUNCTION facts.create_health_partition(p_batch_id bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    partition text := format('facts.health_count_b%s', p_batch_id);
BEGIN
    EXECUTE format('CREATE TABLE %s (LIKE facts.health_count INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition);
    EXECUTE format('ALTER TABLE %s ADD CHECK (batch_id = %s)', partition, p_batch_id);
    EXECUTE format('COMMENT ON TABLE %s IS %L', partition, format('Batch %s of facts.health_count.', p_batch_id));
    RETURN partition;
END
$$;
COMMENT ON FUNCTION facts.create_health_partition(bigint) IS 'Creates the empty, unattached partition facts.health_count_b<batch> that a health load fills; returns its name.';

CREATE FUNCTION facts.attach_health_partition(p_batch_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('ALTER TABLE facts.health_count ATTACH PARTITION facts.health_count_b%s FOR VALUES IN (%s)', p_batch_id, p_batch_id);
END
$$;
COMMENT ON FUNCTION facts.attach_health_partition(bigint) IS 'Attaches a health load''s partition to facts.health_count, as the load commits.';
