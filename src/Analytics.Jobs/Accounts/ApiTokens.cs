using Analytics.Jobs.Database;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Analytics.Models.Text;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Personal API tokens: issued to an account for scripts and notebooks, listed, revoked, and
/// resolved to their account on each request. Secrets are kept only as SHA-256; tokens of an account
/// whose roles need a second factor are issued, and work, only while one is enrolled.
/// </summary>
public sealed class ApiTokens(AccountRecords records, AccountStore accounts)
{
    /// <summary>Longest life, in days, a token may be given; shorter is better.</summary>
    public const int MaxTokenLifetimeDays = 365;

    /// <summary>Longest name a token may be given.</summary>
    public const int MaxTokenNameLength = 100;

    /// <summary>
    /// Issues a personal API token to an account, recorded in the same transaction. The name is
    /// checked before anything is written: 1 to 100 characters with a visible one, no control or
    /// format character, nothing shaped like a token or a second-factor key.
    /// </summary>
    public async Task<IssuedApiToken> IssueTokenAsync(long accountId, string name, int lifetimeDays, string actor, CancellationToken cancellationToken = default)
    {
        CheckTokenName(name);
        if (lifetimeDays < 1 || lifetimeDays > MaxTokenLifetimeDays)
            throw new AccountException("lifetimeDays", $"A token must expire within 1 to {MaxTokenLifetimeDays} days.");
        var lifetime = TimeSpan.FromDays(lifetimeDays);
        var account = await accounts.FindByIdAsync(accountId, cancellationToken);
        if (account is null || account.IsDisabled)
            throw new AccountException("account", "The account does not exist or is disabled.");
        if (account.SecondFactor == SecondFactorStep.Enrolment)
            throw new AccountException("account",
                $"Accounts with any of the roles {string.Join(", ", Role.NeedingSecondFactor)} get API tokens only once their second factor (TOTP) is enrolled: sign in to the web app once to enrol it.");
        var secret = ApiTokenSecret.Generate();
        var now = records.Clock.GetUtcNow();
        var id = await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO auth.api_token (account_id, name, token_hash, prefix, created_at, expires_at)
                SELECT id, $2, $3, $4, $5, $6 FROM auth.account
                WHERE id = $1 AND disabled_at IS NULL AND (totp_enabled_at IS NOT NULL OR NOT roles && $7)
                RETURNING id
                """, connection, transaction);
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = name.Trim() });
            command.Parameters.Add(new() { Value = ApiTokenSecret.Hash(secret) });
            command.Parameters.Add(new() { Value = ApiTokenSecret.DisplayPrefix(secret) });
            command.Parameters.Add(new() { Value = now });
            command.Parameters.Add(new() { Value = now + lifetime });
            command.Parameters.Add(new() { Value = Role.NeedingSecondFactor.ToArray() });
            // Null only when the account changed between the check above and here.
            var issued = (long?)await command.ExecuteScalarAsync(cancellationToken)
                ?? throw new AccountException("account", "The account changed while the token was being issued; try again.");
            await records.RecordAsync(connection, transaction, actor, AuditKinds.TokenIssue, account.UserName, new()
            {
                ["key"] = issued,
                ["name"] = name.Trim(),
                ["prefix"] = ApiTokenSecret.DisplayPrefix(secret),
                ["expires"] = (now + lifetime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
            return issued;
        }, cancellationToken);
        return new IssuedApiToken(new ApiTokenInfo(id, name.Trim(), ApiTokenSecret.DisplayPrefix(secret), now, now + lifetime, null, null), secret);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListTokensAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = records.DataSource.CreateCommand("""
            SELECT id, name, prefix, created_at, expires_at, revoked_at, last_used_at
            FROM auth.api_token WHERE account_id = $1 ORDER BY created_at DESC, id DESC
            """);
        command.Parameters.Add(new() { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<ApiTokenInfo>();
        while (await reader.ReadAsync(cancellationToken))
            tokens.Add(new ApiTokenInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        return tokens;
    }

    /// <summary>Revokes one of the account's own tokens, recorded in the same transaction. Returns false when it has no such live token.</summary>
    public async Task<bool> RevokeTokenAsync(long accountId, long tokenId, string actor, CancellationToken cancellationToken = default) =>
        await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE auth.api_token t SET revoked_at = $3 FROM auth.account a
                WHERE t.id = $2 AND t.account_id = $1 AND t.revoked_at IS NULL AND a.id = t.account_id
                RETURNING a.user_name
                """, connection, transaction);
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = tokenId });
            command.Parameters.Add(new() { Value = records.Clock.GetUtcNow() });
            if (await command.ExecuteScalarAsync(cancellationToken) is not string userName)
                return false;
            await records.RecordAsync(connection, transaction, actor, AuditKinds.TokenRevoke, userName, new() { ["key"] = tokenId }, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Resolves a presented token secret to its account; null when unknown, revoked, expired, the
    /// account is disabled, or its roles need a second factor that is not enrolled.
    /// </summary>
    public async Task<Account?> AuthenticateTokenAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!ApiTokenSecret.LooksLikeToken(secret))
            return null;
        await using var command = records.DataSource.CreateCommand(StageSql.Load("Accounts/Sql/authenticate_token.sql"));
        command.Parameters.Add(new() { Value = ApiTokenSecret.Hash(secret), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = records.Clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = Role.NeedingSecondFactor.ToArray() });
        return await AccountRecords.ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>
    /// A token's name is shown in lists and written to the audit log: a secret pasted into it (a
    /// token, a second-factor key URI) or control characters would end up there, so it is refused
    /// before anything is written.
    /// </summary>
    private static void CheckTokenName(string name)
    {
        if (!FreeText.HasContent(name) || name.Length > MaxTokenNameLength)
            throw new AccountException("name", $"A token needs a name of 1 to {MaxTokenNameLength} characters, saying what it is for (e.g. 'notebook on my laptop').");
        if (name.Any(c => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format))
            throw new AccountException("name", "A token's name cannot hold control or invisible formatting characters.");
        if (ApiTokenSecret.LooksLikeToken(name.Trim()) || AuditSecrets.HoldsSecret(name))
            throw new AccountException("name", "A token's name cannot hold a token or a second-factor key: name it for what it is for, and keep secrets out of it.");
    }
}
