using Analytics.Models.Access;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Local accounts, their roles and personal API tokens (tables <c>auth.account</c>,
/// <c>auth.api_token</c>). Passwords are hashed with ASP.NET Core Identity's PBKDF2 hasher;
/// token secrets are kept only as SHA-256.
/// </summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Longest life a token may be given; shorter is better.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(365);

    public const int MinPasswordLength = 12;

    private static readonly PasswordHasher<string> Hasher = new();

    public async Task<Account> CreateAsync(string userName, string displayName, string password, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        var roleList = CheckRoles(roles);
        CheckPassword(password);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO auth.account (user_name, display_name, password_hash, roles, created_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (user_name) DO NOTHING
            RETURNING id
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(displayName) ? name : displayName.Trim() });
        command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
        command.Parameters.Add(new() { Value = roleList.ToArray() });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        var id = await command.ExecuteScalarAsync(cancellationToken);
        if (id is null)
            throw new AccountException("userName", $"An account named '{name}' already exists.");
        return new Account((long)id, name, displayName, roleList, false);
    }

    public async Task<Account?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, user_name, display_name, roles, disabled_at IS NOT NULL FROM auth.account WHERE user_name = $1");
        command.Parameters.Add(new() { Value = userName.Trim().ToLowerInvariant() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAccount(reader) : null;
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, user_name, display_name, roles, disabled_at IS NOT NULL FROM auth.account ORDER BY user_name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(cancellationToken))
            accounts.Add(ReadAccount(reader));
        return accounts;
    }

    /// <summary>Checks a password. Returns the account only when it exists, is enabled and the password matches.</summary>
    public async Task<Account?> VerifyPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, user_name, display_name, roles, disabled_at IS NOT NULL, password_hash FROM auth.account WHERE user_name = $1");
        command.Parameters.Add(new() { Value = userName.Trim().ToLowerInvariant() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Spend the same time as a real check so response times do not reveal which names exist.
            Hasher.VerifyHashedPassword("", DummyHash, password);
            return null;
        }
        var account = ReadAccount(reader);
        var result = Hasher.VerifyHashedPassword(account.UserName, reader.GetString(5), password);
        return result == PasswordVerificationResult.Failed || account.IsDisabled ? null : account;
    }

    public async Task<Account> SetRolesAsync(string userName, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var roleList = CheckRoles(roles);
        await using var command = dataSource.CreateCommand("UPDATE auth.account SET roles = $2 WHERE user_name = $1");
        command.Parameters.Add(new() { Value = NormaliseUserName(userName) });
        command.Parameters.Add(new() { Value = roleList.ToArray() });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new AccountException("userName", $"No account is named '{userName}'.");
        return (await FindAsync(userName, cancellationToken))!;
    }

    public async Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var name = NormaliseUserName(userName);
        CheckPassword(password);
        await using var command = dataSource.CreateCommand("UPDATE auth.account SET password_hash = $2 WHERE user_name = $1");
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new AccountException("userName", $"No account is named '{userName}'.");
    }

    public async Task<IssuedApiToken> IssueTokenAsync(long accountId, string name, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new AccountException("name", "A token needs a name of 1 to 100 characters, saying what it is for (e.g. 'notebook on my laptop').");
        if (lifetime <= TimeSpan.Zero || lifetime > MaxTokenLifetime)
            throw new AccountException("lifetimeDays", $"A token must expire within 1 to {MaxTokenLifetime.TotalDays:0} days.");
        var secret = ApiTokenSecret.Generate();
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO auth.api_token (account_id, name, token_hash, prefix, created_at, expires_at)
            SELECT id, $2, $3, $4, $5, $6 FROM auth.account WHERE id = $1 AND disabled_at IS NULL
            RETURNING id
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = name.Trim() });
        command.Parameters.Add(new() { Value = ApiTokenSecret.Hash(secret) });
        command.Parameters.Add(new() { Value = ApiTokenSecret.DisplayPrefix(secret) });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + lifetime });
        var id = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new AccountException("account", "The account does not exist or is disabled.");
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
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Resolves a presented token secret to its enabled account; null when unknown, revoked, expired or the account is disabled.</summary>
    public async Task<Account?> AuthenticateTokenAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!ApiTokenSecret.LooksLikeToken(secret))
            return null;
        await using var command = dataSource.CreateCommand("""
            UPDATE auth.api_token t SET last_used_at = $2
            FROM auth.account a
            WHERE t.token_hash = $1 AND a.id = t.account_id
              AND t.revoked_at IS NULL AND t.expires_at > $2 AND a.disabled_at IS NULL
            RETURNING a.id, a.user_name, a.display_name, a.roles, false
            """);
        command.Parameters.Add(new() { Value = ApiTokenSecret.Hash(secret), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAccount(reader) : null;
    }

    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    private static Account ReadAccount(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetBoolean(4));

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
