using System.Security.Cryptography;
using Analytics.Models.Access;
using Analytics.Models.AuditTrail;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Accounts;

/// <summary>
/// Second factors (TOTP, RFC 6238): enrolment, codes at sign-in with replays refused, and the reset
/// an administrator does for a lost phone. Secrets are kept only encrypted
/// (<see cref="AccountSecretCipher"/>); a wrong code counts towards the lockout like a wrong password.
/// </summary>
public sealed class SecondFactors(AccountRecords records)
{
    private readonly AccountSecretCipher cipher = new(records.Options.SecretKeyFile);

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
        await using var command = records.DataSource.CreateCommand($"""
            UPDATE auth.account SET totp_last_step = $2, failed_sign_ins = 0
            WHERE id = $1 AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
            RETURNING {AccountRecords.AccountColumns}
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = step.Value });
        var account = await AccountRecords.ReadSingleAsync(command, cancellationToken);
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
            await using var command = records.DataSource.CreateCommand("""
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
        var account = await records.InTransactionAsync(async (connection, transaction) =>
        {
            // Matching the stored secret makes a restarted enrolment invalidate codes of the previous one.
            await using var command = new NpgsqlCommand($"""
                UPDATE auth.account SET totp_enabled_at = $3, totp_last_step = $4, failed_sign_ins = 0
                WHERE id = $1 AND totp_enabled_at IS NULL AND totp_secret = $2
                RETURNING {AccountRecords.AccountColumns}
                """, connection, transaction);
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = state.EncryptedSecret, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new() { Value = records.Clock.GetUtcNow() });
            command.Parameters.Add(new() { Value = step.Value });
            var enrolled = await AccountRecords.ReadSingleAsync(command, cancellationToken);
            if (enrolled is not null)
                await records.RecordAsync(connection, transaction, enrolled.UserName, AuditKinds.AccountChange, enrolled.UserName,
                    new() { ["change"] = "second factor enrolled" }, cancellationToken);
            return enrolled;
        }, cancellationToken);
        if (account is not null)
            records.Logger.LogInformation("Second factor enrolled for {UserName}", account.UserName);
        return account;
    }

    /// <summary>Removes an account's second factor (lost phone): its sessions end, and the next sign-in enrols a new one when the roles need it.</summary>
    public async Task ResetTotpAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var name = AccountRecords.NormaliseUserName(userName);
        var ended = await records.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                WITH account AS (
                    UPDATE auth.account SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, security_stamp = gen_random_uuid()
                    WHERE user_name = $1
                    RETURNING id),
                {AccountRecords.EndSessions}
                SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM ended)
                """, connection, transaction);
            command.Parameters.Add(new() { Value = name });
            var (accounts, sessions) = await AccountRecords.ReadCountsAsync(command, cancellationToken);
            if (accounts == 0)
                throw new AccountException("userName", $"No account is named '{userName}'.");
            await records.RecordAsync(connection, transaction, actor, AuditKinds.AccountChange, name,
                new() { ["change"] = "second factor reset", ["sessions_ended"] = sessions }, cancellationToken);
            return sessions;
        }, cancellationToken);
        records.Logger.LogInformation("Second factor reset for {UserName}; {Sessions} sessions ended", name, ended);
    }

    /// <summary>
    /// A refused second-factor code: counted towards lockout (unless it lost a race with its own
    /// first use) and recorded, with whether the code was wrong or a replay of one already used.
    /// </summary>
    private async Task RecordRefusedCodeAsync(Account account, string step, bool replayed, bool countsTowardsLockout, CancellationToken cancellationToken) =>
        await records.InTransactionAsync(async (connection, transaction) =>
        {
            if (countsTowardsLockout)
                await records.RecordFailureAsync(connection, transaction, account, cancellationToken);
            await records.Audit.AppendAsync(connection, transaction, new AuditEntry(account.UserName, AuditKinds.SecondFactorRefused, $"account:{account.UserName}",
                new() { ["step"] = step, ["reason"] = replayed ? "replayed" : "wrong" }), cancellationToken);
            return true;
        }, cancellationToken);

    private sealed record TotpState(Account Account, byte[] EncryptedSecret, long? LastStep);

    /// <summary>The secret of an enrolled (or, with <paramref name="enrolled"/> false, a pending) second factor; null when the account cannot sign in now.</summary>
    private async Task<TotpState?> ReadTotpStateAsync(long accountId, bool enrolled, CancellationToken cancellationToken)
    {
        await using var command = records.DataSource.CreateCommand($"""
            SELECT {AccountRecords.AccountColumns}, totp_secret, totp_last_step, locked_until FROM auth.account
            WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_enabled_at IS NOT NULL) = $2
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = enrolled });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var account = AccountRecords.ReadAccount(reader);
        var lockedUntil = reader.IsDBNull(9) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(9);
        if (account.IsDisabled || lockedUntil > records.Clock.GetUtcNow())
            return null;
        return new TotpState(account, reader.GetFieldValue<byte[]>(7), reader.IsDBNull(8) ? null : reader.GetInt64(8));
    }

    /// <summary>The step of an accepted code; when refused, whether it was right but already used (a replay).</summary>
    private (long? Step, bool Replayed) CheckCode(TotpState state, string code)
    {
        var secret = cipher.Unprotect(state.EncryptedSecret, state.Account.Id);
        try
        {
            var now = records.Clock.GetUtcNow();
            var step = Totp.Verify(secret, code, now, state.LastStep);
            return (step, step is null && state.LastStep is not null && Totp.Verify(secret, code, now, null) is not null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
