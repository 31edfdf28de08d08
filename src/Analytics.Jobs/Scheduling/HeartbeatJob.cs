using Hangfire;
using Npgsql;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// The smallest real job: writes one row to <c>ops.heartbeat</c>. Proves end to end that an
/// enqueued job reaches a worker, runs with the process's services and writes to the database.
/// </summary>
/// <remarks>
/// At-least-once like every Hangfire job: a worker that dies mid-run leaves the job to be run
/// again, which here only adds a second row. Failures are retried twice, then the job moves to
/// Hangfire's failed list where the dashboard shows the exception.
/// </remarks>
[AutomaticRetry(Attempts = 2)]
public sealed class HeartbeatJob(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task RunAsync(string requestedBy)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO ops.heartbeat (requested_by, ran_at, worker) VALUES ($1, $2, $3)");
        command.Parameters.Add(new() { Value = requestedBy });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = $"{Environment.MachineName}:{Environment.ProcessId}" });
        await command.ExecuteNonQueryAsync();
    }
}
