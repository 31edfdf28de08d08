-- The application's role may read and append to the audit log, never delete from it (docs/operations.md,
-- "Database"). The purge of expired events therefore runs as the owner of audit.purge_through, with the
-- checks of 0008 unchanged: the anchor must match the chain, and the delete trigger lets through only
-- rows covered by it. Its body names every object with its schema, so the search path is pinned.
ALTER FUNCTION audit.purge_through(bigint, bytea, timestamptz, timestamptz) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
