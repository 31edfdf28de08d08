using Npgsql;

namespace Analytics.Jobs.Scheduling;

public sealed record HeartbeatRun(long Id, string RequestedBy, DateTimeOffset RanAt, string Worker);

/// <summary>Job workers whose Hangfire server beat within the window, and the latest beat of any (null: none ever).</summary>
public sealed record WorkerLiveness(int Live, DateTimeOffset? LatestBeat);

/// <summary>
/// The rows <see cref="HeartbeatJob"/> wrote (which worker ran the job, when, for whom), and the job
/// workers' own liveness: each Hangfire server beats in <c>hangfire.server</c> every 30 s.
/// </summary>
public sealed class Heartbeats(NpgsqlDataSource dataSource)
{
    /// <summary>Workers whose server beat within <paramref name="window"/>; reading it also proves Hangfire's storage answers.</summary>
    public async Task<WorkerLiveness> WorkersAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT count(*) FILTER (WHERE lastheartbeat > now() - $1), max(lastheartbeat) FROM {Database.DatabaseMigrator.HangfireSchema}.server");
        command.Parameters.Add(new() { Value = window });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WorkerLiveness((int)reader.GetInt64(0), reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero));
    }

    /// <summary>The 20 latest, newest first.</summary>
    public async Task<List<HeartbeatRun>> LatestAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT id, requested_by, ran_at, worker FROM ops.heartbeat ORDER BY id DESC LIMIT 20");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<HeartbeatRun>();
        while (await reader.ReadAsync(cancellationToken))
            runs.Add(new HeartbeatRun(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)));
        return runs;
    }
}
