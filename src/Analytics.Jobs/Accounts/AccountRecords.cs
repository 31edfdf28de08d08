using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Analytics.Models.AuditTrail;
using Npgsql;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// What the three account classes share (<see cref="AccountStore"/>, <see cref="SecondFactors"/>,
/// <see cref="ApiTokens"/>): the tables <c>auth.account</c>, <c>auth.api_token</c> and
/// <c>auth.session</c>, how a row becomes an <see cref="Account"/>, and the bookkeeping every change
/// makes — one transaction with its audit event, the lockout count of failed sign-ins, sessions
/// ended and tokens revoked.
/// </summary>
/// <remarks>
/// <para>Lockout: every wrong password or code for an existing account counts; at
/// <see cref="AccountOptions.MaxFailedSignIns"/> the account refuses every sign-in, right or wrong,
/// for <see cref="AccountOptions.LockoutMinutes"/>. The count is cleared only by a complete sign-in
/// (password and, when needed, code), so a known password does not buy unlimited code guesses.</para>
/// <para>Audit: every change — account created, enabled, disabled, roles granted or revoked, password
/// set, second factor enrolled or reset, token issued or revoked — is appended to the audit log with
/// the person who acted, in the transaction of the change. Refused second-factor codes are logged too.</para>
/// </remarks>
public sealed class AccountRecords(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AccountOptions> options, ILogger<AccountRecords> logger, AuditTrail.AuditLog audit)
{
    /// <summary>The columns <see cref="ReadAccount"/> reads, in its order (of <c>auth.account</c>, unqualified).</summary>
    internal const string AccountColumns =
        "id, user_name, display_name, roles, disabled_at IS NOT NULL, totp_enabled_at IS NOT NULL, security_stamp";

    internal NpgsqlDataSource DataSource => dataSource;

    internal TimeProvider Clock => clock;

    internal AccountOptions Options => options.Value;

    internal ILogger Logger => logger;

    internal AuditTrail.AuditLog Audit => audit;

    /// <summary>
    /// Runs a change with its audit event in one transaction: both are written, or neither (an
    /// exception, from the change or from the audit entry's checks, rolls both back).
    /// </summary>
    internal async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> change, CancellationToken cancellationToken)
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
    internal async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string actor, string kind, string userName,
        System.Text.Json.Nodes.JsonObject details, CancellationToken cancellationToken) =>
        await audit.AppendAsync(connection, transaction, new AuditEntry(actor, kind, $"account:{userName}", details), cancellationToken);

    /// <summary>Counts a wrong password or code; the failure that reaches the limit locks the account and starts a new count.</summary>
    internal async Task RecordFailureAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Account account, CancellationToken cancellationToken)
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

    internal async Task ClearFailuresAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE auth.account SET failed_sign_ins = 0 WHERE id = $1 AND failed_sign_ins > 0");
        command.Parameters.Add(new() { Value = accountId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<Account?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAccount(reader) : null;
    }

    internal static Account ReadAccount(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
            reader.GetBoolean(4), reader.GetBoolean(5), reader.GetGuid(6));

    internal static string NormaliseUserName(string userName)
    {
        var name = (userName ?? "").Trim().ToLowerInvariant();
        if (name.Length is < 2 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            throw new AccountException("userName", "A user name has 2 to 64 characters: lower-case letters, digits, '.', '-', '_' or '@'.");
        return name;
    }

    internal static async Task<(long, long)> ReadCountsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    internal static async Task<(long, long, long)> ReadThreeCountsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>The part of a statement (after a CTE <c>account</c> returning ids, with $2 the time) that revokes the account's live tokens, as CTE <c>revoked</c>.</summary>
    internal const string RevokeTokens = """
        revoked AS (
            UPDATE auth.api_token SET revoked_at = $2
            WHERE account_id IN (SELECT id FROM account) AND revoked_at IS NULL
            RETURNING id)
        """;

    /// <summary>The part of a statement (after a CTE <c>account</c> returning ids) that deletes the account's web sessions, as CTE <c>ended</c>.</summary>
    internal const string EndSessions = """
        ended AS (
            DELETE FROM auth.session WHERE account_id IN (SELECT id FROM account)
            RETURNING 1)
        """;

    internal static System.Text.Json.Nodes.JsonArray RoleArray(IEnumerable<string> roles) =>
        [.. roles.Order(StringComparer.Ordinal).Select(r => (System.Text.Json.Nodes.JsonNode?)r)];
}
