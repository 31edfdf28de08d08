using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// Publishes a load's progress to <c>ingest.progress</c> (for the API and web app) and to an
/// optional in-process listener (the command line's progress bar), at most twice a second.
/// Writes go through their own connection, outside the load's transaction, so they are visible
/// while the load runs.
/// </summary>
/// <remarks>
/// Holds the load's lease while it runs: <c>heartbeat_at</c> (the database's clock) and
/// <c>worker</c> are written at the start and every <see cref="Jobs.Scheduling.Leases.HeartbeatInterval"/>
/// after, by a timer, so a load that reads a long file without reporting still shows it is alive, and
/// one whose process died is reaped (see <see cref="Jobs.Scheduling.LeaseReaper"/>).
/// </remarks>
internal sealed class ProgressTracker(NpgsqlDataSource dataSource, IngestRequest request, long bytesTotal, IProgress<IngestProgress>? listener, TimeProvider clock)
    : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private DateTimeOffset lastWrite = DateTimeOffset.MinValue;
    private Jobs.Scheduling.Heartbeat? heartbeat;

    public async Task QueueAsync() => await UpsertAsync("queued", 0, 0, null, null);

    public async Task StartAsync()
    {
        await UpsertAsync("running", 0, 0, null, null);
        heartbeat = new Jobs.Scheduling.Heartbeat(dataSource,
            "UPDATE ingest.progress SET heartbeat_at = now(), worker = $2 WHERE load_id = $1 AND state = 'running'", request.LoadId);
    }

    public async ValueTask DisposeAsync()
    {
        if (heartbeat is not null)
            await heartbeat.DisposeAsync();
    }

    public void Report(long rowsDone, long bytesDone)
    {
        var now = clock.GetUtcNow();
        if (now - lastWrite < Interval)
            return;
        lastWrite = now;
        listener?.Report(new IngestProgress(request.FileName, rowsDone, bytesDone, bytesTotal));
        UpsertAsync("running", rowsDone, bytesDone, null, null).GetAwaiter().GetResult();
    }

    public async Task FinishAsync(string state, long? batchId, string message)
    {
        if (heartbeat is not null)
            await heartbeat.DisposeAsync();
        listener?.Report(new IngestProgress(request.FileName, 0, bytesTotal, bytesTotal));
        await UpsertAsync(state, null, bytesTotal, batchId, message);
    }

    private async Task UpsertAsync(string state, long? rowsDone, long bytesDone, long? batchId, string? message)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ingest.progress (load_id, kind, file_name, state, rows_done, bytes_done, bytes_total, batch_id, message, updated_at, heartbeat_at, worker)
            VALUES ($1, $2, $3, $4, coalesce($5, 0), $6, $7, $8, $9, $10, CASE WHEN $4 = 'running' THEN now() END, CASE WHEN $4 = 'running' THEN $11 END)
            ON CONFLICT (load_id) DO UPDATE SET state = excluded.state, rows_done = coalesce($5, ingest.progress.rows_done),
                bytes_done = excluded.bytes_done, batch_id = excluded.batch_id, message = excluded.message, updated_at = excluded.updated_at,
                heartbeat_at = coalesce(excluded.heartbeat_at, ingest.progress.heartbeat_at), worker = coalesce(excluded.worker, ingest.progress.worker)
            """);
        command.Parameters.Add(new() { Value = request.LoadId });
        command.Parameters.Add(new() { Value = request.Kind.Name() });
        command.Parameters.Add(new() { Value = request.FileName });
        command.Parameters.Add(new() { Value = state });
        command.Parameters.Add(new() { Value = (object?)rowsDone ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = bytesDone });
        command.Parameters.Add(new() { Value = bytesTotal });
        command.Parameters.Add(new() { Value = (object?)batchId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = (object?)message ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = Jobs.Scheduling.Leases.Worker });
        await command.ExecuteNonQueryAsync();
    }
}
