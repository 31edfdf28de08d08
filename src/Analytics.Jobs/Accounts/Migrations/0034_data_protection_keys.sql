-- ASP.NET Core's data-protection keys, which encrypt and sign the session and sign-in cookies. Kept in
-- the database rather than each process's file system, so that every API process behind a load
-- balancer reads the cookies the others wrote (docs/operations.md, "Database").
CREATE TABLE auth.data_protection_key (
    name      text PRIMARY KEY,
    xml       text NOT NULL,
    stored_at timestamptz NOT NULL
);
COMMENT ON TABLE auth.data_protection_key IS 'One row per element of the ASP.NET Core data-protection key ring (a key, or a revocation), as the XML the framework writes; keys are not encrypted at rest. A session cookie holds only the random id of an auth.session row, so reading these keys does not open a session by itself.';
COMMENT ON COLUMN auth.data_protection_key.name IS 'The framework''s name for the element (key-<id>, revocation-<date>).';
