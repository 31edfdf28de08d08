using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Models.AuditTrail;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.AuditTrail;

/// <summary>
/// The tamper-evident audit log in <c>audit.event</c>: appends events to the hash chain, verifies
/// the chain, signs checkpoints of its head and purges events older than the retention period.
/// See docs/audit-log.md.
/// </summary>
/// <remarks>
/// Writers are serialised by a transaction-level advisory lock, held from reading the head to the
/// end of the writer's transaction: appending in a caller's transaction makes the event commit or
/// roll back with the action it records, and makes every other writer wait until then — keep such
/// transactions short.
/// </remarks>
public sealed class AuditLog(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<AuditOptions> options)
{
    /// <summary>The advisory lock of audit writers; <c>audit.purge_through</c> (migration 0008) takes the same.</summary>
    internal const long LockKey = 280603412820;

    private const string EventColumns = "seq, occurred_at, actor, kind, subject, details::text, prev_hash, hash";

    /// <summary>Appends <paramref name="entry"/> on its own connection, committed at once: for actions that are not themselves a database transaction (a sign-in, an export).</summary>
    public async Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await AppendAsync(connection, null, entry, cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="entry"/> as the next event of the chain, stamped with the current
    /// time. With a <paramref name="transaction"/> the event commits or rolls back with it (it must
    /// be READ COMMITTED, Npgsql's default: a snapshot older than the lock could not see the head);
    /// without one it is written and committed on its own.
    /// </summary>
    /// <returns>The event as stored, with its sequence number and hash.</returns>
    public async Task<AuditEvent> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var own = transaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var tx = transaction ?? own!;
            await using (var command = new NpgsqlCommand(
                $"SELECT current_setting('transaction_isolation') FROM (SELECT pg_advisory_xact_lock({LockKey})) AS locked", connection, tx))
            {
                var isolation = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
                if (isolation != "read committed")
                    throw new InvalidOperationException(
                        $"Audit events are appended in READ COMMITTED transactions; this one is {isolation.ToUpperInvariant()}, whose snapshot may predate the previous event.");
            }
            var head = await ReadHeadAsync(connection, tx, cancellationToken);
            var e = AuditChain.Link(entry, head.NextSequence, clock.GetUtcNow(), head.PreviousHash);
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO audit.event (seq, occurred_at, actor, kind, subject, details, prev_hash, hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, connection, tx))
            {
                insert.Parameters.Add(new() { Value = e.Sequence });
                insert.Parameters.Add(new() { Value = e.OccurredAt });
                insert.Parameters.Add(new() { Value = e.Actor });
                insert.Parameters.Add(new() { Value = e.Kind });
                insert.Parameters.Add(new() { Value = e.Subject });
                insert.Parameters.Add(new() { Value = CanonicalJson.Serialize(e.Details), NpgsqlDbType = NpgsqlDbType.Jsonb });
                insert.Parameters.Add(new() { Value = e.PreviousHash.ToArray() });
                insert.Parameters.Add(new() { Value = e.Hash.ToArray() });
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            return e;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    /// <summary>
    /// Walks the whole chain in sequence order, streaming (a million events never sit in memory),
    /// in one snapshot, and reports the first broken link. With a checkpoint, also detects a log
    /// cut short or rewritten up to the checkpoint; its signature is checked with the configured key.
    /// </summary>
    /// <exception cref="AuditTrailException">A checkpoint is given but no key is configured.</exception>
    public async Task<AuditVerification> VerifyAsync(SignedCheckpoint? checkpoint = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the anchor and the events: a purge committing mid-walk cannot cause a false alarm.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        return await VerifyAsync(connection, transaction, checkpoint, cancellationToken);
    }

    /// <summary>Verifies the chain as <paramref name="connection"/> sees it, within <paramref name="transaction"/>.</summary>
    public async Task<AuditVerification> VerifyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, SignedCheckpoint? checkpoint, CancellationToken cancellationToken = default) =>
        (await WalkAsync(connection, transaction, checkpoint, cutoff: null, cancellationToken)).Verification;

    /// <summary>
    /// Signs a checkpoint of the chain's head with the configured key, after verifying the whole
    /// chain — against <paramref name="previous"/>, the last checkpoint taken, when there is one —
    /// so that a checkpoint never blesses an edited or truncated log.
    /// </summary>
    /// <exception cref="AuditTrailException">No key is configured, or the chain is broken.</exception>
    public async Task<SignedCheckpoint> CheckpointAsync(SignedCheckpoint? previous = null, CancellationToken cancellationToken = default)
    {
        var key = options.Value.LoadCheckpointKey();
        var verification = await VerifyAsync(previous, cancellationToken);
        if (!verification.IsIntact)
            throw new AuditTrailException(AuditRefusal.ChainBroken, $"No checkpoint signed: {Describe(verification)} Investigate with 'analytics-jobs audit verify'.", verification);
        return new AuditCheckpoint(verification.LastSequence, verification.Head, AuditChain.Precise(clock.GetUtcNow())).Sign(key);
    }

    /// <summary>
    /// Purges the events older than the retention period (<see cref="AuditOptions.RetentionMonths"/>):
    /// the oldest run of events all before the cutoff, once the whole chain verified, with the
    /// anchor that lets the rest verify and an <c>audit.purge</c> event recording it. Nothing is
    /// purged from a broken chain, so the evidence stays.
    /// </summary>
    /// <remarks>Safe to repeat: a second run finds nothing older than the cutoff left.</remarks>
    public async Task<AuditPurge> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = AuditChain.Precise(clock.GetUtcNow().AddMonths(-options.Value.RetentionMonths));
        (AuditVerification verification, AuditEvent? last) walk;
        await using (var reading = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var snapshot = await reading.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
            walk = await WalkAsync(reading, snapshot, checkpoint: null, cutoff, cancellationToken);
        if (!walk.verification.IsIntact || walk.last is null)
            return new AuditPurge(cutoff, 0, null, walk.verification);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long purged;
        await using (var purge = new NpgsqlCommand("SELECT audit.purge_through($1, $2, $3, $4)", connection, transaction))
        {
            purge.Parameters.Add(new() { Value = walk.last.Sequence });
            purge.Parameters.Add(new() { Value = walk.last.Hash.ToArray() });
            purge.Parameters.Add(new() { Value = cutoff });
            purge.Parameters.Add(new() { Value = AuditChain.Precise(clock.GetUtcNow()) });
            purged = (long)(await purge.ExecuteScalarAsync(cancellationToken))!;
        }
        await AppendAsync(connection, transaction, new AuditEntry(AuditEntry.SystemActor, AuditKinds.AuditPurge, $"audit:{walk.last.Sequence}", new JsonObject
        {
            ["purged_through"] = walk.last.Sequence,
            ["purged"] = purged,
            ["cutoff"] = cutoff.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["retention_months"] = options.Value.RetentionMonths,
        }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AuditPurge(cutoff, purged, walk.last.Sequence, walk.verification);
    }

    /// <summary>Events newest first, filtered; <see cref="AuditEventFilter.Before"/> pages back through the log.</summary>
    public async Task<IReadOnlyList<AuditEvent>> ListAsync(AuditEventFilter filter, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {EventColumns} FROM audit.event
            WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR actor = $2)
              AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)
              AND ($5::bigint IS NULL OR seq < $5) AND ($7::text IS NULL OR subject = $7)
            ORDER BY seq DESC LIMIT $6
            """);
        command.Parameters.Add(new() { Value = (object?)filter.Kind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)filter.Actor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)filter.From ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)filter.To ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)filter.Before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = filter.Limit });
        command.Parameters.Add(new() { Value = (object?)filter.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<AuditEvent>();
        while (await reader.ReadAsync(cancellationToken))
            events.Add(ReadEvent(reader));
        return events;
    }

    /// <summary>One line saying whether the chain holds and, if not, where and why.</summary>
    public static string Describe(AuditVerification verification)
    {
        if (verification.FirstBreak is { } b)
            return $"the audit chain is broken at event {b.Sequence} ({b.Kind}): {b.Detail}.";
        if (verification.Checkpoint == CheckpointOutcome.NotAuthentic)
            return $"the checkpoint (event {verification.CheckpointSequence}) is not signed with the configured key: it proves nothing.";
        return $"the audit chain is intact: {verification.EventsChecked} events checked (sequence {verification.FirstSequence} to {verification.LastSequence}), head {verification.Head}.";
    }

    /// <summary>Streams the chain through the verifier; with a cutoff, also finds the last event of the oldest run before it.</summary>
    private async Task<(AuditVerification Verification, AuditEvent? LastBeforeCutoff)> WalkAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, SignedCheckpoint? checkpoint, DateTimeOffset? cutoff, CancellationToken cancellationToken)
    {
        var key = checkpoint is null ? null : options.Value.LoadCheckpointKey();
        var start = await ReadStartAsync(connection, transaction, cancellationToken);
        var verifier = new AuditChainVerifier(start, checkpoint, key);
        AuditEvent? lastBeforeCutoff = null;
        var inOldestRun = cutoff is not null;
        await using var command = new NpgsqlCommand($"SELECT {EventColumns} FROM audit.event ORDER BY seq", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = ReadEvent(reader);
            if (!verifier.Add(e))
                break;
            if (inOldestRun && e.OccurredAt < cutoff)
                lastBeforeCutoff = e;
            else
                inOldestRun = false;
        }
        return (verifier.Finish(), lastBeforeCutoff);
    }

    /// <summary>Where the retained chain starts: after the latest purge anchor, or at genesis.</summary>
    private static async Task<AuditChainStart> ReadStartAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT purged_through_seq, hash FROM audit.chain_anchor ORDER BY purged_through_seq DESC LIMIT 1", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? AuditChainStart.After(reader.GetInt64(0), StoredHash(reader.GetFieldValue<byte[]>(1)))
            : AuditChainStart.Genesis;
    }

    /// <summary>Where the next event goes: after the last event, else after the latest anchor, else at genesis.</summary>
    private static async Task<AuditChainStart> ReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT seq, hash FROM (
                (SELECT seq, hash FROM audit.event ORDER BY seq DESC LIMIT 1)
                UNION ALL
                (SELECT purged_through_seq, hash FROM audit.chain_anchor ORDER BY purged_through_seq DESC LIMIT 1)
            ) head ORDER BY seq DESC LIMIT 1
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? AuditChainStart.After(reader.GetInt64(0), StoredHash(reader.GetFieldValue<byte[]>(1)))
            : AuditChainStart.Genesis;
    }

    private static AuditEvent ReadEvent(NpgsqlDataReader reader)
    {
        using var details = JsonDocument.Parse(reader.GetString(5));
        return new AuditEvent(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            details.RootElement.Clone(), StoredHash(reader.GetFieldValue<byte[]>(6)), StoredHash(reader.GetFieldValue<byte[]>(7)));
    }

    /// <summary>
    /// A stored hash. One of the wrong length (possible only with the table's constraints dropped)
    /// is read as its own SHA-256, which no link can match, so the verifier reports the row.
    /// </summary>
    private static AuditHash StoredHash(byte[] value) => value.Length == AuditHash.Length ? AuditHash.FromBytes(value) : AuditHash.Of(value);
}

/// <summary>Which events to list: all filters optional; <see cref="Before"/> is the sequence number to page back from.</summary>
public sealed record AuditEventFilter(string? Kind, string? Actor, DateTimeOffset? From, DateTimeOffset? To, long? Before, int Limit, string? Subject = null);

/// <summary>
/// What a purge did: events older than <paramref name="Cutoff"/> removed (<paramref name="Purged"/>,
/// up to <paramref name="PurgedThrough"/>), after the chain verified as <paramref name="Verification"/>
/// says — a broken chain purges nothing.
/// </summary>
public sealed record AuditPurge(DateTimeOffset Cutoff, long Purged, long? PurgedThrough, AuditVerification Verification);
