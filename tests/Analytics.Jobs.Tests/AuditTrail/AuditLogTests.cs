using System.Data;
using System.Text.Json;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static Analytics.Jobs.Tests.AuditTrail.AuditFixtures;

namespace Analytics.Jobs.Tests.AuditTrail;

/// <summary>The audit log in PostgreSQL: append-only in the database, one chain for all writers, purges that keep it verifiable.</summary>
public class AuditLogTests
{
    [Fact]
    public Task events_are_numbered_from_one_chained_stored_canonically_and_verify() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday.AddTicks(1_234_567));
        var log = Log(db, clock);
        var events = await AppendAsync(log, db, clock, 3);

        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        Assert.Equal(AuditHash.Genesis, events[0].PreviousHash);
        Assert.Equal(events[0].Hash, events[1].PreviousHash);
        Assert.Equal(events[1].Hash, events[2].PreviousHash);
        // Stored to the microsecond, as hashed.
        Assert.Equal(Monday.AddTicks(1_234_560).AddMinutes(1), await db.ScalarAsync<DateTime>("SELECT occurred_at FROM audit.event WHERE seq = 1"));
        Assert.Equal(events[2].Hash.ToArray(), await db.ScalarAsync<byte[]>("SELECT hash FROM audit.event WHERE seq = 3"));

        var result = await log.VerifyAsync();
        Assert.True(result.IsIntact);
        Assert.Equal((3L, 1L, 3L), (result.EventsChecked, result.FirstSequence, result.LastSequence));
        Assert.Equal(events[2].Hash, result.Head);
        Assert.Equal(3, (await log.ListAsync(new AuditEventFilter(null, null, null, null, null, 10))).Count);
    });

    [Fact]
    public Task update_delete_and_truncate_are_refused_by_the_database_even_to_the_tables_owner() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday);
        await AppendAsync(Log(db, clock), db, clock, 2);
        foreach (var sql in new[]
        {
            "UPDATE audit.event SET actor = 'someone else' WHERE seq = 1",
            "DELETE FROM audit.event WHERE seq = 2",
            "TRUNCATE audit.event",
            "UPDATE audit.event SET seq = seq + 10",
        })
        {
            await using var command = db.OwnerDataSource.CreateCommand(sql);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText);
        }
        // The purge switch alone opens nothing: a delete also needs an anchor that the chain accepted.
        await using (var connection = await db.OwnerDataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, "SET LOCAL audit.purge_through = '2'");
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, transaction, "DELETE FROM audit.event WHERE seq = 1"));
            Assert.Contains("DELETE of event 1 refused", error.MessageText);
        }
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM audit.event"));
        Assert.True((await Log(db, clock).VerifyAsync()).IsIntact);
    });

    [Fact]
    public Task an_anchor_that_does_not_match_the_chain_or_covers_recent_events_is_refused() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday);
        var events = await AppendAsync(Log(db, clock), db, clock, 3);
        var wrongHash = await Assert.ThrowsAsync<PostgresException>(() =>
            db.ScalarAsync<long>("SELECT audit.purge_through(2, $1, $2, $2)", events[0].Hash.ToArray(), Monday.AddYears(1)));
        Assert.Contains("not in the log with that hash", wrongHash.MessageText);
        var recent = await Assert.ThrowsAsync<PostgresException>(() =>
            db.ScalarAsync<long>("SELECT audit.purge_through(2, $1, $2, $2)", events[1].Hash.ToArray(), events[1].OccurredAt));
        Assert.Contains("not all older than the cutoff", recent.MessageText);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM audit.event"));
        await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<object>("DELETE FROM audit.chain_anchor"));
    });

    [Fact]
    public Task an_event_appended_in_a_transaction_that_rolls_back_leaves_no_trace_and_no_gap() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday);
        var log = Log(db, clock);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var dropped = await log.AppendAsync(connection, transaction, Entry(1));
            Assert.Equal(1, dropped.Sequence);
            await transaction.RollbackAsync();
        }
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(1, (await log.AppendAsync(connection, transaction, Entry(2))).Sequence);
            Assert.Equal(2, (await log.AppendAsync(connection, transaction, Entry(3))).Sequence);
            await transaction.CommitAsync();
        }
        Assert.True((await log.VerifyAsync()).IsIntact);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM audit.event"));
    });

    [Fact]
    public Task a_repeatable_read_transaction_is_refused_since_its_snapshot_may_predate_the_head() => WithDatabaseAsync(async db =>
    {
        var log = Log(db, new FakeTimeProvider(Monday));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(connection, transaction, Entry(1)));
        Assert.Contains("READ COMMITTED", error.Message);
    });

    [Fact]
    public Task concurrent_appenders_on_their_own_connections_keep_one_unbroken_chain() => WithDatabaseAsync(async db =>
    {
        var log = Log(db, TimeProvider.System);
        const int writers = 8, each = 25;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            for (var i = 0; i < each; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await log.AppendAsync(connection, transaction, Entry(w * each + i));
                await transaction.CommitAsync();
            }
        })));
        var result = await log.VerifyAsync();
        Assert.True(result.IsIntact, AuditLog.Describe(result));
        Assert.Equal(writers * each, result.EventsChecked);
        Assert.Equal(writers * each, await db.ScalarAsync<long>("SELECT max(seq) FROM audit.event"));
    });

    [Fact]
    public Task a_purge_removes_only_the_expired_events_logs_itself_and_the_rest_still_verifies() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday.AddMonths(-15));
        var log = Log(db, clock, new AuditOptions { RetentionMonths = 12 });
        await AppendAsync(log, db, clock, 10);              // 15 months old
        clock.SetUtcNow(Monday.AddMonths(-13));
        var lastExpired = (await AppendAsync(log, db, clock, 5, first: 11))[^1];
        clock.SetUtcNow(Monday.AddMonths(-11));
        await AppendAsync(log, db, clock, 5, first: 16);    // within the year: kept
        clock.SetUtcNow(Monday);

        var purge = await log.PurgeExpiredAsync();
        Assert.Equal((15L, 15L), (purge.Purged, purge.PurgedThrough!.Value));
        Assert.Equal(Monday.AddMonths(-12), purge.Cutoff);
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT count(*) FROM audit.event"));
        Assert.Equal(lastExpired.Hash.ToArray(), await db.ScalarAsync<byte[]>("SELECT hash FROM audit.chain_anchor WHERE purged_through_seq = 15"));

        var after = await log.VerifyAsync();
        Assert.True(after.IsIntact, AuditLog.Describe(after));
        Assert.Equal((16L, 21L), (after.FirstSequence, after.LastSequence));
        var record = (await log.ListAsync(new AuditEventFilter(AuditKinds.AuditPurge, null, null, null, null, 10))).Single();
        Assert.Equal(21, record.Sequence);
        Assert.Equal(15, record.Details.GetProperty("purged").GetInt64());

        // Again: nothing more is old enough; the kept events stay refused to a plain DELETE.
        Assert.Equal(0, (await log.PurgeExpiredAsync()).Purged);
        await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<object>("DELETE FROM audit.event WHERE seq = 16"));
        // And the chain goes on from the anchor.
        Assert.Equal(22, (await AppendAsync(log, db, clock, 1, first: 99))[0].Sequence);
        Assert.True((await log.VerifyAsync()).IsIntact);
    });

    [Fact]
    public Task a_purge_stops_at_the_first_recent_event_even_if_older_ones_follow_it() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday.AddMonths(-14));
        var log = Log(db, clock);
        await AppendAsync(log, db, clock, 3);
        clock.SetUtcNow(Monday.AddMonths(-1));
        await AppendAsync(log, db, clock, 1, first: 4);
        // A writer whose clock is set back: event 5 looks old.
        var behind = new FakeTimeProvider(Monday.AddMonths(-14));
        await AppendAsync(Log(db, behind), db, behind, 1, first: 5);
        clock.SetUtcNow(Monday);
        var purge = await log.PurgeExpiredAsync();
        Assert.Equal((3L, 3L), (purge.Purged, purge.PurgedThrough!.Value));
        Assert.True((await log.VerifyAsync()).IsIntact);
    });

    [Fact]
    public Task a_broken_chain_is_not_purged_so_the_evidence_stays() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday.AddMonths(-20));
        var log = Log(db, clock);
        await AppendAsync(log, db, clock, 10);
        clock.SetUtcNow(Monday);
        await TamperAsync(db, "UPDATE audit.event SET actor = 'nobody' WHERE seq = 4");
        var purge = await log.PurgeExpiredAsync();
        Assert.Equal(0, purge.Purged);
        Assert.Equal((4L, AuditBreakKind.HashMismatch), (purge.Verification.FirstBreak!.Sequence, purge.Verification.FirstBreak.Kind));
        Assert.Equal(10L, await db.ScalarAsync<long>("SELECT count(*) FROM audit.event"));
    });

    [Fact]
    public Task a_checkpoint_catches_a_later_truncation_and_no_new_checkpoint_blesses_it() => WithDatabaseAsync(async db =>
    {
        using var key = NewKey();
        var clock = new FakeTimeProvider(Monday);
        var log = Log(db, clock, new AuditOptions { CheckpointKeyFile = key.Path });
        await AppendAsync(log, db, clock, 12);
        var checkpoint = await log.CheckpointAsync();
        Assert.Equal(12, checkpoint.Checkpoint.Sequence);
        Assert.True(checkpoint.IsSignedWith(key.Bytes));
        Assert.Equal(CheckpointOutcome.Matched, (await log.VerifyAsync(checkpoint)).Checkpoint);

        await TamperAsync(db, "DELETE FROM audit.event WHERE seq > 9");
        Assert.True((await log.VerifyAsync()).IsIntact); // the chain alone cannot tell
        var result = await log.VerifyAsync(checkpoint);
        Assert.False(result.IsIntact);
        Assert.Equal(new AuditBreak(10, AuditBreakKind.Truncated, result.FirstBreak!.Detail), result.FirstBreak);

        var refused = await Assert.ThrowsAsync<AuditTrailException>(() => log.CheckpointAsync(checkpoint));
        Assert.Equal(AuditRefusal.ChainBroken, refused.Refusal);
    });

    [Fact]
    public Task checkpoints_need_a_configured_key_and_say_how_to_make_one() => WithDatabaseAsync(async db =>
    {
        var error = await Assert.ThrowsAsync<AuditTrailException>(() => Log(db, new FakeTimeProvider(Monday)).CheckpointAsync());
        Assert.Equal(AuditRefusal.NotConfigured, error.Refusal);
        Assert.Contains("Audit__CheckpointKeyFile", error.Message);
        Assert.Contains("/dev/urandom", error.Message);
    });

    [Fact]
    public Task the_daily_job_purges_writes_a_checkpoint_and_next_day_checks_the_log_against_it() => WithDatabaseAsync(async db =>
    {
        using var key = NewKey();
        var folder = Path.Combine(Path.GetTempPath(), $"audit-checkpoints-{Guid.NewGuid():N}");
        try
        {
            var clock = new FakeTimeProvider(Monday);
            var options = new AuditOptions { CheckpointKeyFile = key.Path, CheckpointFolder = folder };
            var log = Log(db, clock, options);
            var job = new AuditMaintenanceJob(log, Options.Create(options), NullLogger<AuditMaintenanceJob>.Instance);
            await AppendAsync(log, db, clock, 5);
            await job.RunAsync(CancellationToken.None);
            var (first, file) = new AuditCheckpointFolder(folder).Latest()!.Value;
            Assert.Equal(5, first.Checkpoint.Sequence);
            Assert.StartsWith(Path.Combine(folder, "audit-checkpoint-000000000005-"), file);

            await AppendAsync(log, db, clock, 2, first: 6);
            await TamperAsync(db, "DELETE FROM audit.event WHERE seq >= 5");
            clock.Advance(TimeSpan.FromDays(1));
            var error = await Assert.ThrowsAsync<AuditTrailException>(() => job.RunAsync(CancellationToken.None));
            Assert.Equal(AuditBreakKind.Truncated, error.Verification?.FirstBreak?.Kind);
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    });

    [Fact]
    public void a_key_file_that_is_missing_or_too_short_stops_start_up_with_its_key_named()
    {
        var missing = new AuditOptions { CheckpointKeyFile = "/nonexistent/audit.key" };
        var results = missing.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(missing)).ToList();
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Audit:CheckpointKeyFile '/nonexistent/audit.key' does not exist"));

        var shortKey = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(shortKey, new byte[16]);
            var tooShort = new AuditOptions { CheckpointKeyFile = shortKey, CheckpointFolder = "/tmp" };
            Assert.Contains(tooShort.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(tooShort)), r => r.ErrorMessage!.Contains("holds 16 bytes"));
        }
        finally
        {
            File.Delete(shortKey);
        }
        var folderWithoutKey = new AuditOptions { CheckpointFolder = "/tmp" };
        Assert.Contains(folderWithoutKey.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(folderWithoutKey)), r => r.ErrorMessage!.Contains("Audit:CheckpointKeyFile is not"));
    }

    [Fact]
    public Task listing_filters_by_kind_actor_and_time_and_pages_back_by_sequence() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday);
        var log = Log(db, clock);
        var events = await AppendAsync(log, db, clock, 20);
        var exports = await log.ListAsync(new AuditEventFilter(AuditKinds.Export, null, null, null, null, 100));
        Assert.Equal(events.Where(e => e.Kind == AuditKinds.Export).Select(e => e.Sequence).Reverse(), exports.Select(e => e.Sequence));
        var bySystem = await log.ListAsync(new AuditEventFilter(null, AuditEntry.SystemActor, events[4].OccurredAt, events[12].OccurredAt, null, 100));
        Assert.Equal(events.Where(e => e.Actor == "system" && e.Sequence is >= 5 and < 13).Select(e => e.Sequence).Reverse(), bySystem.Select(e => e.Sequence));
        var page = await log.ListAsync(new AuditEventFilter(null, null, null, null, 8, 3));
        Assert.Equal([7L, 6L, 5L], page.Select(e => e.Sequence));
        Assert.Equal(JsonValueKind.Object, page[0].Details.ValueKind);
    });
}
