CREATE TABLE auth.account (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name     text NOT NULL,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    roles         text[] NOT NULL DEFAULT '{}',
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL,
    CONSTRAINT account_user_name_is_lower CHECK (user_name = lower(user_name) AND length(user_name) BETWEEN 2 AND 64),
    CONSTRAINT account_roles_are_known CHECK (roles <@ ARRAY['analyst','planner','reviewer','auditor','steward','admin']::text[])
);
CREATE UNIQUE INDEX account_user_name_key ON auth.account (user_name);
COMMENT ON TABLE auth.account IS 'One row per person who can sign in. Passwords are stored only as ASP.NET Core Identity hashes (PBKDF2).';

CREATE TABLE auth.api_token (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES auth.account (id),
    name        text NOT NULL,
    token_hash  bytea NOT NULL,
    prefix      text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    last_used_at timestamptz,
    CONSTRAINT api_token_expires_after_creation CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX api_token_hash_key ON auth.api_token (token_hash);
COMMENT ON TABLE auth.api_token IS 'One row per personal API token. Only the SHA-256 of the secret is kept; the secret is shown once at issue.';
