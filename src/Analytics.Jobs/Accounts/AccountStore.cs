using System.Security.Cryptography;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Analytics.Models.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Local accounts, their roles, second factors and personal API tokens (tables <c>auth.account</c>,
/// <c>auth.api_token</c>). Passwords are hashed with ASP.NET Core Identity's PBKDF2 hasher;
/// token secrets are kept only as SHA-256; TOTP secrets only encrypted (<see cref="AccountSecretCipher"/>).
/// </summary>
/// <remarks>
/// <para>Lockout: every wrong password or code for an existing account counts; at
/// <see cref="AccountOptions.MaxFailedSignIns"/> the account refuses every sign-in, right or wrong,
/// for <see cref="AccountOptions.LockoutMinutes"/>. The count is cleared only by a complete sign-in
/// (password and, when needed, code), so a known password does not buy unlimited code guesses.</para>
/// <para>Sessions (<see cref="SessionStore"/>): disabling an account, or changing its password, roles
/// or second factor, deletes its sessions (and changes its security stamp, which ends a sign-in
/// under way). Disabling and a new password also revoke every token.</para>
/// <para>Audit: every change — account created, enabled, disabled, roles granted or revoked, password
/// set, second factor enrolled or reset, token issued or revoked — is appended to the audit log with
/// the person who acted, in the transaction of the change. Refused second-factor codes are logged too.</para>
/// <para>Tokens of an account whose roles need a second factor are issued, and work, only while one is enrolled.</para>
/// </remarks>
public sealed class AccountStore(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AccountOptions> options, ILogger<AccountStore> logger, AuditTrail.AuditLog audit)
{
    /// <summary>Longest life, in days, a token may be given; shorter is better.</summary>
    public const int MaxTokenLifetimeDays = 365;

    /// <summary>Longest name a token may be given.</summary>
    public const int MaxTokenNameLength = 100;

    public const int MinPasswordLength = 12;

    /// <summary>The columns <see cref="ReadAccount"/> reads, in its order (of <c>auth.account</c>, unqualified).</summary>
    internal const string AccountColumns =
        "id, user_name, display_name, roles, disabled_at IS NOT NULL, totp_enabled_at IS NOT NULL, security_stamp";

    private static readonly PasswordHasher<string> Hasher = new();

    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    private readonly AccountSecretCipher cipher = new(options.Value.SecretKeyFile);

    public async Task<Account> CreateAsync(string userName, string displayName, string password, IEnumerable<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        var roleList = CheckRoles(roles);
        CheckPassword(password);
        return await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                INSERT INTO auth.account (user_name, display_name, password_hash, roles, created_at)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (user_name) DO NOTHING
                RETURNING {AccountColumns}
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = FreeText.HasContent(displayName) ? displayName.Trim() : name });
            command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
            command.Parameters.Add(new() { Value = roleList.ToArray() });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() });
            var created = await ReadSingleAsync(command, cancellationToken)
                ?? throw new AccountException("userName", $"An account named '{name}' already exists.");
            await RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "created", ["granted"] = RoleArray(roleList) }, cancellationToken);
            return created;
        }, cancellationToken);
    }

    public async Task<Account?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AccountColumns} FROM auth.account WHERE user_name = $1");
        command.Parameters.Add(new() { Value = userName.Trim().ToLowerInvariant() });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<Account?> FindByIdAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AccountColumns} FROM auth.account WHERE id = $1");
        command.Parameters.Add(new() { Value = accountId });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AccountColumns} FROM auth.account ORDER BY user_name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(cancellationToken))
            accounts.Add(ReadAccount(reader));
        return accounts;
    }

    /// <summary>
    /// Checks a password. Returns the account only when it exists, is enabled, is not locked and the
    /// password matches; a wrong password counts towards lockout. Whether a code must follow is
    /// <see cref="Account.SecondFactor"/>.
    /// </summary>
    public async Task<Account?> VerifyPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        Account account;
        string hash;
        DateTimeOffset? lockedUntil;
        await using (var command = dataSource.CreateCommand($"SELECT {AccountColumns}, password_hash, locked_until FROM auth.account WHERE user_name = $1"))
        {
            command.Parameters.Add(new() { Value = userName.Trim().ToLowerInvariant() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                // Spend the same time as a real check so response times do not reveal which names exist.
                Hasher.VerifyHashedPassword("", DummyHash, password);
                return null;
            }
            account = ReadAccount(reader);
            hash = reader.GetString(7);
            lockedUntil = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8);
        }
        if (account.IsDisabled || lockedUntil > clock.GetUtcNow())
        {
            Hasher.VerifyHashedPassword("", DummyHash, password);
            return null;
        }
        if (Hasher.VerifyHashedPassword(account.UserName, hash, password) == PasswordVerificationResult.Failed)
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
                await RecordFailureAsync(connection, null, account, cancellationToken);
            return null;
        }
        if (account.SecondFactor == SecondFactorStep.None)
            await ClearFailuresAsync(account.Id, cancellationToken);
        return account;
    }

    /// <summary>
    /// Checks a TOTP code of an enrolled account. Returns the account when the code is right and
    /// newer than the last one accepted; otherwise null, and the attempt counts towards lockout.
    /// </summary>
    public async Task<Account?> VerifyTotpAsync(long accountId, string code, CancellationToken cancellationToken = default)
    {
        var state = await ReadTotpStateAsync(accountId, enrolled: true, cancellationToken);
        if (state is null)
            return null;
        var (step, replayed) = CheckCode(state, code);
        if (step is null)
        {
            await RecordRefusedCodeAsync(state.Account, "code", replayed, countsTowardsLockout: true, cancellationToken);
            return null;
        }
        // The condition on the last step makes two requests racing with one code accept it once.
        await using var command = dataSource.CreateCommand($"""
            UPDATE auth.account SET totp_last_step = $2, failed_sign_ins = 0
            WHERE id = $1 AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
            RETURNING {AccountColumns}
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = step.Value });
        var account = await ReadSingleAsync(command, cancellationToken);
        if (account is null)
            await RecordRefusedCodeAsync(state.Account, "code", replayed: true, countsTowardsLockout: false, cancellationToken);
        return account;
    }

    /// <summary>
    /// Starts (or restarts) enrolling a second factor for an account that has none: draws a new
    /// secret, stores it encrypted, and returns it — the only time it is shown.
    /// </summary>
    public async Task<TotpEnrolment> BeginTotpEnrolmentAsync(long accountId, CancellationToken cancellationToken = default)
    {
        var secret = Totp.NewSecret();
        try
        {
            await using var command = dataSource.CreateCommand("""
                UPDATE auth.account SET totp_secret = $2
                WHERE id = $1 AND totp_enabled_at IS NULL AND disabled_at IS NULL
                RETURNING user_name
                """);
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = cipher.Protect(secret, accountId) });
            var userName = (string?)await command.ExecuteScalarAsync(cancellationToken)
                ?? throw new AccountException("account", "This account already has a second factor, or is disabled; an administrator can reset it ('analytics-jobs user totp reset').");
            return new TotpEnrolment(Base32.Encode(secret).TrimEnd('='), Totp.ProvisioningUri(secret, userName));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// Completes an enrolment with a code from the authenticator: the second factor is then
    /// required at every sign-in. Null when the code is wrong (counted towards lockout) or no
    /// enrolment is under way.
    /// </summary>
    public async Task<Account?> ConfirmTotpEnrolmentAsync(long accountId, string code, CancellationToken cancellationToken = default)
    {
        var state = await ReadTotpStateAsync(accountId, enrolled: false, cancellationToken);
        if (state is null)
            return null;
        var (step, replayed) = CheckCode(state, code);
        if (step is null)
        {
            await RecordRefusedCodeAsync(state.Account, "enrolment", replayed, countsTowardsLockout: true, cancellationToken);
            return null;
        }
        var account = await InTransactionAsync(async (connection, transaction) =>
        {
            // Matching the stored secret makes a restarted enrolment invalidate codes of the previous one.
            await using var command = new NpgsqlCommand($"""
                UPDATE auth.account SET totp_enabled_at = $3, totp_last_step = $4, failed_sign_ins = 0
                WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret = $2
                RETURNING {AccountColumns}
                """, connection, transaction);
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = state.EncryptedSecret, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() });
            command.Parameters.Add(new() { Value = step.Value });
            var enrolled = await ReadSingleAsync(command, cancellationToken);
            if (enrolled is not null)
                await RecordAsync(connection, transaction, enrolled.UserName, AuditKinds.AccountChange, enrolled.UserName,
                    new() { ["change"] = "second factor enrolled" }, cancellationToken);
            return enrolled;
        }, cancellationToken);
        if (account is not null)
            logger.LogInformation("Second factor enrolled for {UserName}", account.UserName);
        return account;
    }

    /// <summary>Removes an account's second factor (lost phone): its sessions end, and the next sign-in enrols a new one when the roles need it.</summary>
    public async Task ResetTotpAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        var ended = await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, security_stamp = gen_random_uuid()
                    WHERE user_name = $1
                    RETURNING id),
                {EndSessions}
                SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM ended)
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            var (accounts, sessions) = await ReadCountsAsync(command, cancellationToken);
            if (accounts == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "second factor reset", ["sessions_ended"] = sessions }, cancellationToken);
            return sessions;
        }, cancellationToken);
        logger.LogInformation("Second factor reset for {UserName}; {Sessions} sessions ended", name, ended);
    }

    /// <summary>
    /// Disables an account: in one transaction its sessions are ended and every live token is
    /// revoked. Returns how many tokens were revoked.
    /// </summary>
    public async Task<int> DisableAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        var revoked = await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account SET disabled_at = coalesce(disabled_at, $2), security_stamp = gen_random_uuid()
                    WHERE user_name = $1
                    RETURNING id),
                {RevokeTokens},
                {EndSessions}
                SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM revoked), (SELECT count(*) FROM ended)
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() });
            var (accounts, tokens, sessions) = await ReadThreeCountsAsync(command, cancellationToken);
            if (accounts == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "disabled", ["sessions_ended"] = sessions, ["keys_revoked"] = tokens }, cancellationToken);
            return (int)tokens;
        }, cancellationToken);
        logger.LogInformation("Account {UserName} disabled; {Revoked} API tokens revoked", name, revoked);
        return revoked;
    }

    /// <summary>Enables a disabled account again and lifts any lockout. Tokens revoked when it was disabled stay revoked.</summary>
    public async Task EnableAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "UPDATE auth.account SET disabled_at = NULL, failed_sign_ins = 0, locked_until = NULL WHERE user_name = $1", connection, transaction);
            command.Parameters.Add(new() { Value = name });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name, new() { ["change"] = "enabled" }, cancellationToken);
            return true;
        }, cancellationToken);
        logger.LogInformation("Account {UserName} enabled", name);
    }

    /// <summary>Replaces an account's roles; when they change, its sessions end. The audit event names the roles granted and revoked.</summary>
    public async Task<Account> SetRolesAsync(string userName, IEnumerable<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        var roleList = CheckRoles(roles);
        return await InTransactionAsync(async (connection, transaction) =>
        {
            string[] before;
            await using (var read = new NpgsqlCommand("SELECT roles FROM auth.account WHERE user_name = $1 FOR UPDATE", connection, transaction))
            {
                read.Parameters.Add(new() { Value = name });
                before = await read.ExecuteScalarAsync(cancellationToken) as string[]
                    ?? throw new AccountException("userName", $"No account is named '{userName}'.");
            }
            var granted = roleList.Except(before).ToList();
            var revoked = before.Except(roleList).ToList();
            var changed = granted.Count > 0 || revoked.Count > 0;
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account
                    SET roles = $2, security_stamp = CASE WHEN $3 THEN gen_random_uuid() ELSE security_stamp END
                    WHERE user_name = $1
                    RETURNING *),
                ended AS (DELETE FROM auth.session WHERE $3 AND account_id IN (SELECT id FROM account) RETURNING 1)
                SELECT {AccountColumns}, (SELECT count(*) FROM ended) FROM account
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = roleList.ToArray() });
            command.Parameters.Add(new() { Value = changed });
            Account account;
            long sessions;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                account = ReadAccount(reader);
                sessions = reader.GetInt64(7);
            }
            await RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name, new()
            {
                ["change"] = "roles set",
                ["granted"] = RoleArray(granted),
                ["revoked"] = RoleArray(revoked),
                ["sessions_ended"] = sessions,
            }, cancellationToken);
            return account;
        }, cancellationToken);
    }

    /// <summary>Sets a new password: open sessions end, every live token is revoked, and any lockout is lifted.</summary>
    public async Task SetPasswordAsync(string userName, string password, string actor, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        CheckPassword(password);
        await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account SET password_hash = $3, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL
                    WHERE user_name = $1
                    RETURNING id),
                {RevokeTokens},
                {EndSessions}
                SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM revoked), (SELECT count(*) FROM ended)
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() });
            command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
            var (accounts, tokens, sessions) = await ReadThreeCountsAsync(command, cancellationToken);
            if (accounts == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "new password set", ["sessions_ended"] = sessions, ["keys_revoked"] = tokens }, cancellationToken);
            return true;
        }, cancellationToken);
    }

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
        var account = await FindByIdAsync(accountId, cancellationToken);
        if (account is null || account.IsDisabled)
            throw new AccountException("account", "The account does not exist or is disabled.");
        if (account.SecondFactor == SecondFactorStep.Enrolment)
            throw new AccountException("account",
                $"Accounts with any of the roles {string.Join(", ", Role.NeedingSecondFactor)} get API tokens only once their second factor (TOTP) is enrolled: sign in to the web app once to enrol it.");
        var secret = ApiTokenSecret.Generate();
        var now = clock.GetUtcNow();
        var id = await InTransactionAsync(async (connection, transaction) =>
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
            await RecordAsync(connection, transaction, actor, AuditKinds.TokenIssue, account.UserName, new()
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
        await using var command = dataSource.CreateCommand("""
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
        await InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE auth.api_token t SET revoked_at = $3 FROM auth.account a
                WHERE t.id = $2 AND t.account_id = $1 AND t.revoked_at IS NULL AND a.id = t.account_id
                RETURNING a.user_name
                """, connection, transaction);
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = tokenId });
            command.Parameters.Add(new() { Value = clock.GetUtcNow() });
            if (await command.ExecuteScalarAsync(cancellationToken) is not string userName)
                return false;
            await RecordAsync(connection, transaction, actor, AuditKinds.TokenRevoke, userName, new() { ["key"] = tokenId }, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>The part of a statement (after a CTE <c>account</c> returning ids, with $2 the time) that revokes the account's live tokens, as CTE <c>revoked</c>.</summary>
    private const string RevokeTokens = """
        revoked AS (
            UPDATE auth.api_token SET revoked_at = $2
            WHERE account_id IN (SELECT id FROM account) AND revoked_at IS NULL
            RETURNING id)
        """;

    /// <summary>The part of a statement (after a CTE <c>account</c> returning ids) that deletes the account's web sessions, as CTE <c>ended</c>.</summary>
    private const string EndSessions = """
        ended AS (
            DELETE FROM auth.session WHERE account_id IN (SELECT id FROM account)
            RETURNING 1)
        """;

    /// <summary>
    /// Runs a change with its audit event in one transaction: both are written, or neither (an
    /// exception, from the change or from the audit entry's checks, rolls both back).
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await change(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Writes an account event to the audit log within the change's transaction, with the person who
    /// acted: the signed-in administrator or account holder, or the command line's <c>--as</c>.
    /// Nothing secret goes in: the change is described in words, keys by id and display prefix.
    /// </summary>
    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string actor, string kind, string userName,
        System.Text.Json.Nodes.JsonObject details, CancellationToken cancellationToken) =>
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, kind, $"account:{userName}", details), cancellationToken);

    /// <summary>
    /// A refused second-factor code: counted towards lockout (unless it lost a race with its own
    /// first use) and recorded, with whether the code was wrong or a replay of one already used.
    /// </summary>
    private async Task RecordRefusedCodeAsync(Account account, string step, bool replayed, bool countsTowardsLockout, CancellationToken cancellationToken) =>
        await InTransactionAsync(async (connection, transaction) =>
        {
            if (countsTowardsLockout)
                await RecordFailureAsync(connection, transaction, account, cancellationToken);
            await audit.AppendAsync(connection, transaction, new AuditEntry(account.UserName, AuditKinds.SecondFactorRefused, $"account:{account.UserName}",
                new() { ["step"] = step, ["reason"] = replayed ? "replayed" : "wrong" }), cancellationToken);
            return true;
        }, cancellationToken);

    private static System.Text.Json.Nodes.JsonArray RoleArray(IEnumerable<string> roles) =>
        [.. roles.Order(StringComparer.Ordinal).Select(r => (System.Text.Json.Nodes.JsonNode?)r)];

    private static async Task<(long, long)> ReadCountsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<(long, long, long)> ReadThreeCountsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>
    /// Resolves a presented token secret to its account; null when unknown, revoked, expired, the
    /// account is disabled, or its roles need a second factor that is not enrolled.
    /// </summary>
    public async Task<Account?> AuthenticateTokenAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!ApiTokenSecret.LooksLikeToken(secret))
            return null;
        await using var command = dataSource.CreateCommand("""
            UPDATE auth.api_token t SET last_used_at = $2
            FROM auth.account a
            WHERE t.token_hash = $1 AND a.id = t.account_id
              AND t.revoked_at IS NULL AND t.expires_at > $2 AND a.disabled_at IS NULL
              AND (a.totp_enabled_at IS NOT NULL OR NOT a.roles && $3)
            RETURNING a.id, a.user_name, a.display_name, a.roles, false, a.totp_enabled_at IS NOT NULL, a.security_stamp
            """);
        command.Parameters.Add(new() { Value = ApiTokenSecret.Hash(secret), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = Role.NeedingSecondFactor.ToArray() });
        return await ReadSingleAsync(command, cancellationToken);
    }

    private sealed record TotpState(Account Account, byte[] EncryptedSecret, long? LastStep);

    /// <summary>The secret of an enrolled (or, with <paramref name="enrolled"/> false, a pending) second factor; null when the account cannot sign in now.</summary>
    private async Task<TotpState?> ReadTotpStateAsync(long accountId, bool enrolled, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {AccountColumns}, totp_secret, totp_last_step, locked_until FROM auth.account
            WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_enabled_at IS NOT NULL) = $2
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = enrolled });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var account = ReadAccount(reader);
        var lockedUntil = reader.IsDBNull(9) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(9);
        if (account.IsDisabled || lockedUntil > clock.GetUtcNow())
            return null;
        return new TotpState(account, reader.GetFieldValue<byte[]>(7), reader.IsDBNull(8) ? null : reader.GetInt64(8));
    }

    /// <summary>The step of an accepted code; when refused, whether it was right but already used (a replay).</summary>
    private (long? Step, bool Replayed) CheckCode(TotpState state, string code)
    {
        var secret = cipher.Unprotect(state.EncryptedSecret, state.Account.Id);
        try
        {
            var now = clock.GetUtcNow();
            var step = Totp.Verify(secret, code, now, state.LastStep);
            return (step, step is null && state.LastStep is not null && Totp.Verify(secret, code, now, null) is not null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Counts a wrong password or code; the failure that reaches the limit locks the account and starts a new count.</summary>
    private async Task RecordFailureAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Account account, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var lockedUntil = clock.GetUtcNow().AddMinutes(limits.LockoutMinutes);
        await using var command = new NpgsqlCommand("""
            UPDATE auth.account SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
            WHERE id = $1
            RETURNING locked_until = $3
            """, connection, transaction);
        command.Parameters.Add(new() { Value = account.Id });
        command.Parameters.Add(new() { Value = limits.MaxFailedSignIns });
        command.Parameters.Add(new() { Value = lockedUntil });
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
            logger.LogWarning("Account {UserName} locked until {LockedUntil:u} after {Failures} failed sign-ins",
                account.UserName, lockedUntil, limits.MaxFailedSignIns);
    }

    private async Task ClearFailuresAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE auth.account SET failed_sign_ins = 0 WHERE id = $1 AND failed_sign_ins > 0");
        command.Parameters.Add(new() { Value = accountId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Account?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAccount(reader) : null;
    }

    internal static Account ReadAccount(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
            reader.GetBoolean(4), reader.GetBoolean(5), reader.GetGuid(6));

    private static string NormaliseUserName(string userName)
    {
        var name = (userName ?? "").Trim().ToLowerInvariant();
        if (name.Length is < 2 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            throw new AccountException("userName", "A user name has 2 to 64 characters: lower-case letters, digits, '.', '-', '_' or '@'.");
        return name;
    }

    private static List<string> CheckRoles(IEnumerable<string> roles)
    {
        var list = roles.Select(r => r.Trim().ToLowerInvariant()).Where(r => r.Length > 0).Distinct().ToList();
        var unknown = list.FirstOrDefault(r => !Role.IsKnown(r));
        if (unknown is not null)
            throw new AccountException("roles", $"'{unknown}' is not a role. Roles are: {string.Join(", ", Role.All)}.");
        return list;
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

    private static void CheckPassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            throw new AccountException("password", $"A password needs at least {MinPasswordLength} characters.");
    }
}
