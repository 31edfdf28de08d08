using System.Security.Cryptography;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
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
/// <para>Sessions: disabling an account, or changing its password, roles or second factor, changes its
/// security stamp, which ends open sessions at their next request. Disabling also revokes every token.</para>
/// <para>Tokens of an account whose roles need a second factor are issued, and work, only while one is enrolled.</para>
/// </remarks>
public sealed class AccountStore(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AccountOptions> options, ILogger<AccountStore> logger, AuditTrail.AuditLog? audit = null)
{
    /// <summary>Longest life a token may be given; shorter is better.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    public const int MinPasswordLength = 12;

    private const string AccountColumns =
        "id, user_name, display_name, roles, disabled_at IS NOT NULL, totp_enabled_at IS NOT NULL, security_stamp";

    private static readonly PasswordHasher<string> Hasher = new();

    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    private readonly AccountSecretCipher cipher = new(options.Value.SecretKeyFile);

    public async Task<Account> CreateAsync(string userName, string displayName, string password, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        var roleList = CheckRoles(roles);
        CheckPassword(password);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO auth.account (user_name, display_name, password_hash, roles, created_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (user_name) DO NOTHING
            RETURNING {AccountColumns}
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim() });
        command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
        command.Parameters.Add(new() { Value = roleList.ToArray() });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        var created = await ReadSingleAsync(command, cancellationToken)
            ?? throw new AccountException("userName", $"An account named '{name}' already exists.");
        await RecordAsync(AuditKinds.AccountChange, name, "created with roles " + string.Join(", ", roleList), cancellationToken);
        return created;
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
            await RecordFailureAsync(account, cancellationToken);
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
        var step = CheckCode(state, code);
        if (step is null)
        {
            await RecordFailureAsync(state.Account, cancellationToken);
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
        return await ReadSingleAsync(command, cancellationToken);
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
        var step = CheckCode(state, code);
        if (step is null)
        {
            await RecordFailureAsync(state.Account, cancellationToken);
            return null;
        }
        // Matching the stored secret makes a restarted enrolment invalidate codes of the previous one.
        await using var command = dataSource.CreateCommand($"""
            UPDATE auth.account SET totp_enabled_at = $3, totp_last_step = $4, failed_sign_ins = 0
            WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret = $2
            RETURNING {AccountColumns}
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = state.EncryptedSecret, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = step.Value });
        var account = await ReadSingleAsync(command, cancellationToken);
        if (account is not null)
        {
            logger.LogInformation("Second factor enrolled for {UserName}", account.UserName);
            await RecordAsync(AuditKinds.AccountChange, account.UserName, "second factor enrolled", cancellationToken);
        }
        return account;
    }

    /// <summary>Removes an account's second factor (lost phone): open sessions end, and the next sign-in enrols a new one when the roles need it.</summary>
    public async Task ResetTotpAsync(string userName, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        await using var command = dataSource.CreateCommand("""
            UPDATE auth.account SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, security_stamp = gen_random_uuid()
            WHERE user_name = $1
            """);
        command.Parameters.Add(new() { Value = name });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new AccountException("userName", $"No account is named '{userName}'.");
        logger.LogInformation("Second factor reset for {UserName}", name);
        await RecordAsync(AuditKinds.AccountChange, name, "second factor reset", cancellationToken);
    }

    /// <summary>
    /// Disables an account: in one statement its sessions are ended (new security stamp) and every
    /// live token is revoked. Returns how many tokens were revoked.
    /// </summary>
    public async Task<int> DisableAsync(string userName, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        await using var command = dataSource.CreateCommand("""
            WITH account AS (
                UPDATE auth.account SET disabled_at = coalesce(disabled_at, $2), security_stamp = gen_random_uuid()
                WHERE user_name = $1
                RETURNING id),
            revoked AS (
                UPDATE auth.api_token SET revoked_at = $2
                WHERE account_id IN (SELECT id FROM account) AND revoked_at IS NULL
                RETURNING id)
            SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM revoked)
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) == 0)
            throw new AccountException("userName", $"No account is named '{userName}'.");
        var revoked = (int)reader.GetInt64(1);
        logger.LogInformation("Account {UserName} disabled; {Revoked} API tokens revoked", name, revoked);
        await reader.DisposeAsync();
        await RecordAsync(AuditKinds.AccountChange, name, $"disabled, sessions ended, {revoked} personal keys revoked", cancellationToken);
        return revoked;
    }

    /// <summary>Enables a disabled account again and lifts any lockout. Tokens revoked when it was disabled stay revoked.</summary>
    public async Task EnableAsync(string userName, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        await using var command = dataSource.CreateCommand(
            "UPDATE auth.account SET disabled_at = NULL, failed_sign_ins = 0, locked_until = NULL WHERE user_name = $1");
        command.Parameters.Add(new() { Value = name });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new AccountException("userName", $"No account is named '{userName}'.");
        logger.LogInformation("Account {UserName} enabled", name);
        await RecordAsync(AuditKinds.AccountChange, name, "enabled", cancellationToken);
    }

    public async Task<Account> SetRolesAsync(string userName, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var roleList = CheckRoles(roles);
        await using var command = dataSource.CreateCommand($"""
            UPDATE auth.account
            SET roles = $2, security_stamp = CASE WHEN roles IS DISTINCT FROM $2 THEN gen_random_uuid() ELSE security_stamp END
            WHERE user_name = $1
            RETURNING {AccountColumns}
            """);
        command.Parameters.Add(new() { Value = NormaliseUserName(userName) });
        command.Parameters.Add(new() { Value = roleList.ToArray() });
        var account = await ReadSingleAsync(command, cancellationToken)
            ?? throw new AccountException("userName", $"No account is named '{userName}'.");
        await RecordAsync(AuditKinds.AccountChange, account.UserName, "roles set to " + string.Join(", ", roleList), cancellationToken);
        return account;
    }

    /// <summary>Sets a new password: open sessions end and any lockout is lifted.</summary>
    public async Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        CheckPassword(password);
        await using var command = dataSource.CreateCommand("""
            UPDATE auth.account SET password_hash = $2, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL
            WHERE user_name = $1
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new AccountException("userName", $"No account is named '{userName}'.");
        await RecordAsync(AuditKinds.AccountChange, name, "new password set, sessions ended", cancellationToken);
    }

    public async Task<IssuedApiToken> IssueTokenAsync(long accountId, string name, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new AccountException("name", "A token needs a name of 1 to 100 characters, saying what it is for (e.g. 'notebook on my laptop').");
        if (lifetime <= TimeSpan.Zero || lifetime > MaxTokenLifetime)
            throw new AccountException("lifetimeDays", $"A token must expire within 1 to {MaxTokenLifetime.TotalDays:0} days.");
        var account = await FindByIdAsync(accountId, cancellationToken);
        if (account is null || account.IsDisabled)
            throw new AccountException("account", "The account does not exist or is disabled.");
        if (account.SecondFactor == SecondFactorStep.Enrolment)
            throw new AccountException("account",
                $"Accounts with any of the roles {string.Join(", ", Role.NeedingSecondFactor)} get API tokens only once their second factor (TOTP) is enrolled: sign in to the web app once to enrol it.");
        var secret = ApiTokenSecret.Generate();
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO auth.api_token (account_id, name, token_hash, prefix, created_at, expires_at)
            SELECT id, $2, $3, $4, $5, $6 FROM auth.account
            WHERE id = $1 AND disabled_at IS NULL AND (totp_enabled_at IS NOT NULL OR NOT roles && $7)
            RETURNING id
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = name.Trim() });
        command.Parameters.Add(new() { Value = ApiTokenSecret.Hash(secret) });
        command.Parameters.Add(new() { Value = ApiTokenSecret.DisplayPrefix(secret) });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + lifetime });
        command.Parameters.Add(new() { Value = Role.NeedingSecondFactor.ToArray() });
        // Null only when the account changed between the check above and here.
        var id = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new AccountException("account", "The account changed while the token was being issued; try again.");
        await RecordAsync(AuditKinds.TokenIssue, account.UserName, $"personal key {(long)id} '{name.Trim()}' issued, expires {(now + lifetime):yyyy-MM-dd}", cancellationToken);
        return new IssuedApiToken(new ApiTokenInfo((long)id, name.Trim(), ApiTokenSecret.DisplayPrefix(secret), now, now + lifetime, null, null), secret);
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

    /// <summary>Revokes one of the account's own tokens. Returns false when it has no such live token.</summary>
    public async Task<bool> RevokeTokenAsync(long accountId, long tokenId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE auth.api_token SET revoked_at = $3 WHERE id = $2 AND account_id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = tokenId });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        var revoked = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (revoked && await FindByIdAsync(accountId, cancellationToken) is { } account)
            await RecordAsync(AuditKinds.TokenRevoke, account.UserName, $"personal key {tokenId} revoked", cancellationToken);
        return revoked;
    }

    /// <summary>
    /// Writes an account event to the audit log (when the host has one). The actor is the system:
    /// the command line and the admin endpoints act for an administrator this store does not know.
    /// Nothing secret goes in: the change is described in words.
    /// </summary>
    private async Task RecordAsync(string kind, string userName, string change, CancellationToken cancellationToken)
    {
        if (audit is not null)
            await audit.AppendAsync(new AuditEntry(AuditEntry.SystemActor, kind, $"account:{userName}", new System.Text.Json.Nodes.JsonObject { ["change"] = change }), cancellationToken);
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

    private long? CheckCode(TotpState state, string code)
    {
        var secret = cipher.Unprotect(state.EncryptedSecret, state.Account.Id);
        try
        {
            return Totp.Verify(secret, code, clock.GetUtcNow(), state.LastStep);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Counts a wrong password or code; the failure that reaches the limit locks the account and starts a new count.</summary>
    private async Task RecordFailureAsync(Account account, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var lockedUntil = clock.GetUtcNow().AddMinutes(limits.LockoutMinutes);
        await using var command = dataSource.CreateCommand("""
            UPDATE auth.account SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
            WHERE id = $1
            RETURNING locked_until = $3
            """);
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

    private static Account ReadAccount(NpgsqlDataReader reader) =>
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

    private static void CheckPassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            throw new AccountException("password", $"A password needs at least {MinPasswordLength} characters.");
    }
}
