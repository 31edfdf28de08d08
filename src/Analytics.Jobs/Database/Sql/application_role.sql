-- What the application's role may do (docs/operations.md, "Database"), granted by the migrator after
-- every run to the role of Database:ConnectionString (set as analytics.application_role): the rows of
-- every schema the owner holds, and no DDL; in audit, read and append only — expired events leave
-- only through audit.purge_through, which runs as the owner. Applied again after each run, so the
-- tables of later migrations are covered; the default privileges cover tables that the owner's
-- functions create while the application runs (a load's partition of facts.health_count).
DO $$
DECLARE
    app name := current_setting('analytics.application_role');
    s name;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
        RAISE EXCEPTION 'the role % of Database:ConnectionString does not exist', app;
    END IF;
    EXECUTE format('GRANT SELECT ON public.schema_migration TO %I', app);
    FOR s IN SELECT nspname FROM pg_namespace
             WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
               AND nspname NOT IN ('public', 'audit') AND nspname NOT LIKE 'pg\_%'
    LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, app);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, app);
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, app);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', s, app);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', s, app);
    END LOOP;
    EXECUTE format('GRANT USAGE ON SCHEMA audit TO %I', app);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA audit TO %I', app);
    EXECUTE format('GRANT INSERT ON audit.event TO %I', app);
END
$$;
