-- Resolves a token (its SHA-256 $1, now $2) to its account; nothing when unknown, revoked, expired, the account
-- disabled, or its roles ($3: those needing a second factor) lack an enrolled one. Its last use is recorded to the
-- minute: writing the same row on every request would queue a script's concurrent requests behind its row lock.
WITH found AS (
    SELECT t.id AS token_id, t.last_used_at, a.id, a.user_name, a.display_name, a.roles, a.totp_enabled_at, a.security_stamp
    FROM auth.api_token t JOIN auth.account a ON a.id = t.account_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND a.disabled_at IS NULL
      AND (a.totp_enabled_at IS NOT NULL OR NOT a.roles && $3)),
touched AS (
    UPDATE auth.api_token t SET last_used_at = $2 FROM found f
    WHERE t.id = f.token_id AND (f.last_used_at IS NULL OR f.last_used_at < $2 - interval '1 minute'))
SELECT id, user_name, display_name, roles, false, totp_enabled_at IS NOT NULL, security_stamp FROM found
