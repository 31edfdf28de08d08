using System.Diagnostics;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Analytics.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;
using static Analytics.Jobs.Tests.AuditTrail.AuditFixtures;

namespace Analytics.Jobs.Tests.AuditTrail;

/// <summary>
/// The tamper test on a 200-event log in PostgreSQL, done as an attacker owning the table would:
/// <c>ALTER TABLE audit.event DISABLE TRIGGER USER</c> in a transaction, then each tamper in a
/// savepoint, verified in that transaction and rolled back. Every single-row edit of each column,
/// every deletion, a forged event inserted before every event, every adjacent swap and every
/// truncation of the last k events (against a checkpoint of the head) must be found, at the row
/// and for the reason, and the untouched log must verify before, between and after.
/// </summary>
public class AuditTamperDatabaseTests(PostgisDatabase db, ITestOutputHelper output) : IClassFixture<PostgisDatabase>
{
    private const int Size = 200;

    public static TheoryData<string, string> Edits => new()
    {
        { "actor", "UPDATE audit.event SET actor = actor || 'x' WHERE seq = $1" },
        { "kind", "UPDATE audit.event SET kind = kind || '_x' WHERE seq = $1" },
        { "subject", "UPDATE audit.event SET subject = subject || 'x' WHERE seq = $1" },
        { "details", "UPDATE audit.event SET details = details || '{\"n\": -1}' WHERE seq = $1" },
        { "occurred_at", "UPDATE audit.event SET occurred_at = occurred_at + interval '1 microsecond' WHERE seq = $1" },
        { "prev_hash", "UPDATE audit.event SET prev_hash = sha256(prev_hash) WHERE seq = $1" },
        { "hash", "UPDATE audit.event SET hash = sha256(hash) WHERE seq = $1" },
    };

    [Fact]
    public async Task every_single_row_edit_deletion_insertion_swap_and_truncation_is_found_and_the_untouched_log_verifies()
    {
        using var key = NewKey();
        var clock = new FakeTimeProvider(Monday);
        var log = Log(db, clock, new AuditOptions { CheckpointKeyFile = key.Path });
        var events = await AppendAsync(log, db, clock, Size);
        var checkpoint = await log.CheckpointAsync();
        var watch = Stopwatch.StartNew();
        var verifications = 0;

        // As the tables' owner: the application's role may not disable the triggers (RoleSeparationTests).
        await using var connection = await db.OwnerDataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "ALTER TABLE audit.event DISABLE TRIGGER USER");
        var missed = new List<string>();

        async Task<AuditVerification> VerifyAsync()
        {
            verifications++;
            return await log.VerifyAsync(connection, transaction, checkpoint);
        }

        async Task CheckAsync(string tamper, long sequence, AuditBreakKind kind, Func<Task> change)
        {
            await transaction.SaveAsync("tamper");
            await change();
            var result = await VerifyAsync();
            await transaction.RollbackAsync("tamper");
            if (result.IsIntact || result.FirstBreak is not { } found || found.Sequence != sequence || found.Kind != kind)
                missed.Add($"{tamper}: expected {kind} at {sequence}, got {(result.FirstBreak is { } b ? $"{b.Kind} at {b.Sequence}" : "intact")}");
        }

        var untouched = await VerifyAsync();
        Assert.True(untouched.IsIntact, AuditLog.Describe(untouched));
        Assert.Equal(CheckpointOutcome.Matched, untouched.Checkpoint);

        var tampers = 0;
        foreach (var (column, sql) in Edits.Select(row => ((string)row[0], (string)row[1])))
        {
            for (long seq = 1; seq <= Size; seq++, tampers++)
                await CheckAsync($"edit of {column} at {seq}", seq, column == "prev_hash" ? AuditBreakKind.PreviousHashMismatch : AuditBreakKind.HashMismatch,
                    () => ExecuteAsync(connection, transaction, sql, seq));
        }

        for (long seq = 1; seq <= Size; seq++, tampers++)
            await CheckAsync($"deletion of {seq}", seq, seq < Size ? AuditBreakKind.SequenceGap : AuditBreakKind.Truncated,
                () => ExecuteAsync(connection, transaction, "DELETE FROM audit.event WHERE seq = $1", seq));

        var forgery = new AuditEntry("jdupont", AuditKinds.ReviewApprove, "release:13", new() { ["evidence"] = "none" });
        for (var position = 1; position <= Size; position++, tampers++)
        {
            var forged = AuditChain.Link(forgery, position, events[position - 1].OccurredAt.AddTicks(-10), position == 1 ? AuditHash.Genesis : events[position - 2].Hash);
            // Before the last event the next one no longer links; in the last place the forged event contradicts the checkpoint.
            var (at, kind) = position < Size ? (position + 1L, AuditBreakKind.PreviousHashMismatch) : (Size, AuditBreakKind.CheckpointMismatch);
            await CheckAsync($"insertion before {position}", at, kind, async () =>
            {
                // Make room: seq is the primary key, so shift the tail out of the way and back one further.
                await ExecuteAsync(connection, transaction, "UPDATE audit.event SET seq = seq + 1000000 WHERE seq >= $1", (long)position);
                await ExecuteAsync(connection, transaction, "UPDATE audit.event SET seq = seq - 999999 WHERE seq > 1000000");
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO audit.event (seq, occurred_at, actor, kind, subject, details, prev_hash, hash)
                    VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
                    """, forged.Sequence, forged.OccurredAt, forged.Actor, forged.Kind, forged.Subject, CanonicalJson.Serialize(forged.Details),
                    forged.PreviousHash.ToArray(), forged.Hash.ToArray());
            });
        }

        for (long seq = 1; seq < Size; seq++, tampers++)
            await CheckAsync($"swap of {seq} and {seq + 1}", seq, AuditBreakKind.PreviousHashMismatch, () => ExecuteAsync(connection, transaction, """
                UPDATE audit.event e
                SET occurred_at = o.occurred_at, actor = o.actor, kind = o.kind, subject = o.subject, details = o.details, prev_hash = o.prev_hash, hash = o.hash
                FROM audit.event o
                WHERE (e.seq = $1 AND o.seq = $1 + 1) OR (e.seq = $1 + 1 AND o.seq = $1)
                """, seq));

        for (long k = 1; k <= Size; k++, tampers++)
            await CheckAsync($"truncation of the last {k}", Size - k + 1, AuditBreakKind.Truncated,
                () => ExecuteAsync(connection, transaction, "DELETE FROM audit.event WHERE seq > $1", Size - k));

        var afterAll = await VerifyAsync();
        await transaction.RollbackAsync();
        output.WriteLine($"{tampers} tampers, {missed.Count} missed, {verifications} verifications of {Size} events in {watch.Elapsed.TotalSeconds:F1} s");

        Assert.True(missed.Count == 0, string.Join("\n", missed));
        Assert.Equal(7 * Size + Size + Size + (Size - 1) + Size, tampers);
        Assert.True(afterAll.IsIntact, AuditLog.Describe(afterAll));
        Assert.True((await log.VerifyAsync(checkpoint)).IsIntact);
        Assert.Equal(Size, await db.ScalarAsync<long>("SELECT count(*) FROM audit.event"));
    }
}
