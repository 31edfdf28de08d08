using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Analytics.Models.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Local accounts: creating them, their roles, passwords (hashed with ASP.NET Core Identity's PBKDF2
/// hasher) and the lockout after failed sign-ins, disabling and enabling. Second factors are
/// <see cref="SecondFactors"/>, personal API tokens <see cref="ApiTokens"/>; what the three share
/// (transactions with their audit event, lockout counting) is <see cref="AccountRecords"/>.
/// </summary>
/// <remarks>
/// Sessions (<see cref="SessionStore"/>): disabling an account, or changing its password or roles,
/// deletes its sessions (and changes its security stamp, which ends a sign-in under way). Disabling
/// and a new password also revoke every token.
/// </remarks>
public sealed class AccountStore(AccountRecords records)
{
    public const int MinPasswordLength = 12;

    private static readonly PasswordHasher<string> Hasher = new();

    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    public async Task<Account> CreateAsync(string userName, string displayName, string password, IEnumerable<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        var name = AccountRecords.NormaliseUserName(userName);
        var roleList = CheckRoles(roles);
        CheckPassword(password);
        return await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                INSERT INTO auth.account (user_name, display_name, password_hash, roles, created_at)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (user_name) DO NOTHING
                RETURNING {AccountRecords.AccountColumns}
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = FreeText.HasContent(displayName) ? displayName.Trim() : name });
            command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
            command.Parameters.Add(new() { Value = roleList.ToArray() });
            command.Parameters.Add(new() { Value = records.Clock.GetUtcNow() });
            var created = await AccountRecords.ReadSingleAsync(command, cancellationToken)
                ?? throw new AccountException("userName", $"An account named '{name}' already exists.");
            await records.RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "created", ["granted"] = AccountRecords.RoleArray(roleList) }, cancellationToken);
            return created;
        }, cancellationToken);
    }

    public async Task<Account?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var command = records.DataSource.CreateCommand($"SELECT {AccountRecords.AccountColumns} FROM auth.account WHERE user_name = $1");
        command.Parameters.Add(new() { Value = userName.Trim().ToLowerInvariant() });
        return await AccountRecords.ReadSingleAsync(command, cancellationToken);
    }

    public async Task<Account?> FindByIdAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var command = records.DataSource.CreateCommand($"SELECT {AccountRecords.AccountColumns} FROM auth.account WHERE id = $1");
        command.Parameters.Add(new() { Value = accountId });
        return await AccountRecords.ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = records.DataSource.CreateCommand($"SELECT {AccountRecords.AccountColumns} FROM auth.account ORDER BY user_name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(cancellationToken))
            accounts.Add(AccountRecords.ReadAccount(reader));
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
        await using (var command = records.DataSource.CreateCommand($"SELECT {AccountRecords.AccountColumns}, password_hash, locked_until FROM auth.account WHERE user_name = $1"))
        {
            command.Parameters.Add(new() { Value = userName.Trim().ToLowerInvariant() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                // Spend the same time as a real check so response times do not reveal which names exist.
                Hasher.VerifyHashedPassword("", DummyHash, password);
                return null;
            }
            account = AccountRecords.ReadAccount(reader);
            hash = reader.GetString(7);
            lockedUntil = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8);
        }
        if (account.IsDisabled || lockedUntil > records.Clock.GetUtcNow())
        {
            Hasher.VerifyHashedPassword("", DummyHash, password);
            return null;
        }
        if (Hasher.VerifyHashedPassword(account.UserName, hash, password) == PasswordVerificationResult.Failed)
        {
            await using (var connection = await records.DataSource.OpenConnectionAsync(cancellationToken))
                await records.RecordFailureAsync(connection, null, account, cancellationToken);
            return null;
        }
        if (account.SecondFactor == SecondFactorStep.None)
            await records.ClearFailuresAsync(account.Id, cancellationToken);
        return account;
    }

    /// <summary>
    /// Disables an account: in one transaction its sessions are ended and every live token is
    /// revoked. Returns how many tokens were revoked. Nobody disables their own account: an administrator
    /// who did would lock the door from the inside.
    /// </summary>
    public async Task<int> DisableAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var name = AccountRecords.NormaliseUserName(userName);
        if (string.Equals(name, actor.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new AccountException("userName", "You cannot disable your own account: ask another administrator.");
        var revoked = await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account SET disabled_at = coalesce(disabled_at, $2), security_stamp = gen_random_uuid()
                    WHERE user_name = $1
                    RETURNING id),
                {AccountRecords.RevokeTokens},
                {AccountRecords.EndSessions}
                SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM revoked), (SELECT count(*) FROM ended)
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = records.Clock.GetUtcNow() });
            var (accounts, tokens, sessions) = await AccountRecords.ReadThreeCountsAsync(command, cancellationToken);
            if (accounts == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await records.RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "disabled", ["sessions_ended"] = sessions, ["keys_revoked"] = tokens }, cancellationToken);
            return (int)tokens;
        }, cancellationToken);
        records.Logger.LogInformation("Account {UserName} disabled; {Revoked} API tokens revoked", name, revoked);
        return revoked;
    }

    /// <summary>Enables a disabled account again and lifts any lockout. Tokens revoked when it was disabled stay revoked.</summary>
    public async Task EnableAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var name = AccountRecords.NormaliseUserName(userName);
        await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "UPDATE auth.account SET disabled_at = NULL, failed_sign_ins = 0, locked_until = NULL WHERE user_name = $1", connection, transaction);
            command.Parameters.Add(new() { Value = name });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await records.RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name, new() { ["change"] = "enabled" }, cancellationToken);
            return true;
        }, cancellationToken);
        records.Logger.LogInformation("Account {UserName} enabled", name);
    }

    /// <summary>Replaces an account's roles; when they change, its sessions end. The audit event names the roles granted and revoked.</summary>
    public async Task<Account> SetRolesAsync(string userName, IEnumerable<string> roles, string actor, CancellationToken cancellationToken = default)
    {
        var name = AccountRecords.NormaliseUserName(userName);
        var roleList = CheckRoles(roles);
        return await records.InTransactionAsync(async (connection, transaction) =>
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
                SELECT {AccountRecords.AccountColumns}, (SELECT count(*) FROM ended) FROM account
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = roleList.ToArray() });
            command.Parameters.Add(new() { Value = changed });
            Account account;
            long sessions;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                account = AccountRecords.ReadAccount(reader);
                sessions = reader.GetInt64(7);
            }
            await records.RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name, new()
            {
                ["change"] = "roles set",
                ["granted"] = AccountRecords.RoleArray(granted),
                ["revoked"] = AccountRecords.RoleArray(revoked),
                ["sessions_ended"] = sessions,
            }, cancellationToken);
            return account;
        }, cancellationToken);
    }

    /// <summary>Sets a new password: open sessions end, every live token is revoked, and any lockout is lifted.</summary>
    public async Task SetPasswordAsync(string userName, string password, string actor, CancellationToken cancellationToken = default)
    {
        var name = AccountRecords.NormaliseUserName(userName);
        CheckPassword(password);
        await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account SET password_hash = $3, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL
                    WHERE user_name = $1
                    RETURNING id),
                {AccountRecords.RevokeTokens},
                {AccountRecords.EndSessions}
                SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM revoked), (SELECT count(*) FROM ended)
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = records.Clock.GetUtcNow() });
            command.Parameters.Add(new() { Value = Hasher.HashPassword(name, password) });
            var (accounts, tokens, sessions) = await AccountRecords.ReadThreeCountsAsync(command, cancellationToken);
            if (accounts == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await records.RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "new password set", ["sessions_ended"] = sessions, ["keys_revoked"] = tokens }, cancellationToken);
            return true;
        }, cancellationToken);
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
