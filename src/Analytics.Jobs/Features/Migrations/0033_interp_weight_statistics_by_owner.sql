-- Interpolation weights are analysed right after they are computed, or the planner takes the new
-- weights for an empty table. Only the table's owner may ANALYZE it (another role is skipped with a
-- warning), and the application's role is not the owner (docs/operations.md, "Database").
CREATE FUNCTION geo.analyze_interp_weight() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ANALYZE geo.interp_weight;
END
$$;
COMMENT ON FUNCTION geo.analyze_interp_weight() IS 'Refreshes the planner statistics of geo.interp_weight, as its owner.';
