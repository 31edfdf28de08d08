-- Resolves a token (its SHA-256 $1, now $2) to its account and records its use; nothing when unknown, revoked, expired,
-- the account disabled, or its roles ($3: those needing a second factor) lack an enrolled one.
UPDATE auth.api_token t SET last_used_at = $2
FROM auth.account a
WHERE t.token_hash = $1 AND a.id = t.account_id
  AND t.revoked_at IS NULL AND t.expires_at > $2 AND a.disabled_at IS NULL
  AND (a.totp_enabled_at IS NOT NULL OR NOT a.roles && $3)
RETURNING a.id, a.user_name, a.display_name, a.roles, false, a.totp_enabled_at IS NOT NULL, a.security_stamp
