-- The migration runner's own bookkeeping, created before any migration runs.
CREATE TABLE IF NOT EXISTS public.schema_migration (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL
);
COMMENT ON TABLE public.schema_migration IS 'One row per applied migration file (Database/Migrations and each stage''s Migrations folder).';
