-- Web sessions kept on the server: the session cookie carries only a random id, and a session
-- exists while its row does. Signing out deletes the row; a password change, a role change, a
-- second-factor reset or disabling the account deletes every row of the account.
CREATE TABLE auth.session (
    id_hash             bytea PRIMARY KEY,
    account_id          bigint NOT NULL REFERENCES auth.account (id),
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    second_factor_passed boolean NOT NULL,
    CONSTRAINT session_id_hash_is_sha256 CHECK (length(id_hash) = 32),
    CONSTRAINT session_lasts_at_most_12_hours CHECK (expires_at > created_at AND expires_at <= created_at + interval '12 hours')
);
CREATE INDEX session_account ON auth.session (account_id);
COMMENT ON TABLE auth.session IS 'One row per open web session. Only the SHA-256 of the session id (256 random bits, inside the encrypted session cookie) is kept; the row is deleted at sign-out, and every row of an account when its password, roles or second factor change or it is disabled.';
COMMENT ON COLUMN auth.session.second_factor_passed IS 'Whether the session was opened with a TOTP code (or a second-factor enrolment): only such sessions may issue personal API tokens.';
COMMENT ON COLUMN auth.session.expires_at IS 'End of the session, at most 12 hours after it opened, whatever the activity; expired rows are refused and deleted at the next sign-in of the account.';
COMMENT ON COLUMN auth.account.security_stamp IS 'Changes when the account is disabled, its password, roles or second factor change: sign-in steps (password given, code to come) carrying another stamp are refused. Sessions end by the deletion of their auth.session rows in the same change.';
