using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Accounts;

/// <summary>A web session as the server holds it: whose, until when, and whether it was opened with the second factor.</summary>
public sealed record WebSession(Account Account, bool SecondFactorPassed, DateTimeOffset ExpiresAt);

/// <summary>
/// Web sessions kept on the server (table <c>auth.session</c>): the session cookie carries only a
/// random id, and a session exists while its row does. Signing out deletes the row, so a copied
/// cookie dies with it; <see cref="AccountStore"/> deletes every row of an account whose password,
/// roles or second factor change, or that is disabled.
/// </summary>
/// <remarks>Only the SHA-256 of a session id is stored: reading the table does not give a session.</remarks>
public sealed class SessionStore(NpgsqlDataSource dataSource, TimeProvider clock, AuditLog audit)
{
    /// <summary>How long a session lasts from sign-in, whatever the activity (the table allows at most 12 hours).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>
    /// Opens a session for <paramref name="account"/> and records the sign-in, in one transaction;
    /// the account's expired sessions are deleted on the way. Returns the session id for the cookie.
    /// </summary>
    public async Task<string> OpenAsync(Account account, bool secondFactorPassed, CancellationToken cancellationToken = default)
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("""
            WITH expired AS (DELETE FROM auth.session WHERE account_id = $2 AND expires_at <= $3)
            INSERT INTO auth.session (id_hash, account_id, created_at, expires_at, second_factor_passed)
            VALUES ($1, $2, $3, $4, $5)
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = Hash(id), NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new() { Value = account.Id });
            command.Parameters.Add(new() { Value = now });
            command.Parameters.Add(new() { Value = now + Lifetime });
            command.Parameters.Add(new() { Value = secondFactorPassed });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await audit.AppendAsync(connection, transaction, new AuditEntry(account.UserName, AuditKinds.SignIn, $"account:{account.UserName}",
            new JsonObject { ["secondFactor"] = secondFactorPassed }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>The session of <paramref name="sessionId"/> while it is open and unexpired and its account enabled; otherwise null.</summary>
    public async Task<WebSession?> FindAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {AccountRecords.AccountColumns}, s.second_factor_passed, s.expires_at
            FROM auth.session s JOIN auth.account a ON a.id = s.account_id
            WHERE s.id_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL
            """);
        command.Parameters.Add(new() { Value = Hash(sessionId), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new WebSession(AccountRecords.ReadAccount(reader), reader.GetBoolean(7), reader.GetFieldValue<DateTimeOffset>(8))
            : null;
    }

    /// <summary>Ends a session (signing out) and records it, in one transaction. False when there was no such session.</summary>
    public async Task<bool> EndAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string? userName;
        await using (var command = new NpgsqlCommand("""
            DELETE FROM auth.session s USING auth.account a
            WHERE s.id_hash = $1 AND a.id = s.account_id
            RETURNING a.user_name
            """, connection, transaction))
        {
            command.Parameters.Add(new() { Value = Hash(sessionId), NpgsqlDbType = NpgsqlDbType.Bytea });
            userName = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        if (userName is null)
            return false;
        await audit.AppendAsync(connection, transaction, new AuditEntry(userName, AuditKinds.SignOut, $"account:{userName}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static byte[] Hash(string sessionId) => SHA256.HashData(Encoding.UTF8.GetBytes(sessionId));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
