-- Accounts, hardened: a second factor (TOTP), lockout after failed sign-ins, and a security stamp
-- that ends every open session when it changes.
ALTER TABLE auth.account
    ADD COLUMN totp_secret     bytea,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint,
    ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until    timestamptz,
    ADD COLUMN security_stamp  uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD CONSTRAINT account_totp_enabled_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL),
    ADD CONSTRAINT account_failed_sign_ins_not_negative CHECK (failed_sign_ins >= 0);

COMMENT ON TABLE auth.account IS 'One row per person who can sign in. Passwords are stored only as ASP.NET Core Identity hashes (PBKDF2); TOTP secrets only encrypted (AES-256-GCM, key outside the database).';
COMMENT ON COLUMN auth.account.totp_secret IS 'TOTP secret, AES-256-GCM encrypted with the key of Accounts:SecretKeyFile and bound to the account id; set at enrolment, before it is confirmed.';
COMMENT ON COLUMN auth.account.totp_enabled_at IS 'When the TOTP enrolment was confirmed with a valid code; null: no second factor yet.';
COMMENT ON COLUMN auth.account.totp_last_step IS 'Time step (30 s since 1970) of the last TOTP code accepted: codes of that step or earlier are refused (replay).';
COMMENT ON COLUMN auth.account.failed_sign_ins IS 'Wrong passwords or codes since the last full sign-in; reaching Accounts:MaxFailedSignIns locks the account and resets the count.';
COMMENT ON COLUMN auth.account.locked_until IS 'Sign-in refused until then (lockout after too many failures).';
COMMENT ON COLUMN auth.account.security_stamp IS 'Changes when the account is disabled, its password, roles or second factor change: session cookies carrying another stamp are refused.';
