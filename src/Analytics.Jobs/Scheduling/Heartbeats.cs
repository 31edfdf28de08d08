using Npgsql;

namespace Analytics.Jobs.Scheduling;

public sealed record HeartbeatRun(long Id, string RequestedBy, DateTimeOffset RanAt, string Worker);

/// <summary>The rows <see cref="HeartbeatJob"/> wrote: which worker ran the job, when, for whom.</summary>
public sealed class Heartbeats(NpgsqlDataSource dataSource)
{
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
