using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// Work leases: a running load (<c>ingest.progress</c>) or training run (<c>ml.model_run</c>) writes
/// <c>heartbeat_at</c> every few seconds from the process that holds it; one whose heartbeat is older
/// than <c>Jobs:LeaseTimeoutSeconds</c> belongs to a process that died (killed, crashed, machine lost)
/// and is marked failed, reason "interrupted", by <see cref="LeaseReaper"/>.
/// </summary>
public static class Leases
{
    /// <summary>How often a running piece of work says it is alive (well under the shortest lease timeout allowed).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(3);

    /// <summary>This process, as <c>host:pid</c> (the Hangfire server's name too).</summary>
    public static string Worker { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Marks failed (interrupted) every running load and training run whose heartbeat is older than
    /// <paramref name="timeout"/> by the database's clock; returns how many of each.
    /// </summary>
    public static async Task<(int Loads, int Runs)> ReapAsync(NpgsqlDataSource dataSource, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await using var loads = dataSource.CreateCommand("""
            UPDATE ingest.progress
            SET state = 'failed', updated_at = now(),
                message = file_name || ': interrupted — the process running the load (' || coalesce(worker, 'unknown') ||
                          ') stopped giving signs of life; nothing of it was written. Load the file again.'
            WHERE state = 'running' AND coalesce(heartbeat_at, updated_at) < now() - $1
            """);
        loads.Parameters.Add(new() { Value = timeout });
        var reapedLoads = await loads.ExecuteNonQueryAsync(cancellationToken);
        await using var runs = dataSource.CreateCommand("""
            UPDATE ml.model_run
            SET status = 'failed', finished_at = now(),
                error = 'interrupted: the process training the run (' || coalesce(worker, 'unknown') || ') stopped giving signs of life; the run is not retried, launch a new one'
            WHERE status = 'running' AND coalesce(heartbeat_at, started_at) < now() - $1
            """);
        runs.Parameters.Add(new() { Value = timeout });
        var reapedRuns = await runs.ExecuteNonQueryAsync(cancellationToken);
        return (reapedLoads, reapedRuns);
    }
}

/// <summary>
/// Keeps one lease alive: runs its update (parameters: the key, then the worker) every
/// <see cref="Leases.HeartbeatInterval"/> until disposed. A failed beat is skipped, not fatal: the work
/// itself will meet the same database and fail with its reason.
/// </summary>
public sealed class Heartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public Heartbeat(NpgsqlDataSource dataSource, string update, object key) => loop = BeatAsync(dataSource, update, key, stop.Token);

    private static async Task BeatAsync(NpgsqlDataSource dataSource, string update, object key, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Leases.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await using var command = dataSource.CreateCommand(update);
                    command.Parameters.Add(new() { Value = key });
                    command.Parameters.Add(new() { Value = Leases.Worker });
                    await command.ExecuteNonQueryAsync(stop);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // Skipped: see the class remarks.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the work is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
            return;
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}

/// <summary>
/// Reaps dead leases when the jobs server starts (work left running by a process that died before)
/// and then every half lease timeout, so nothing stays "running" for ever.
/// </summary>
public sealed class LeaseReaper(NpgsqlDataSource dataSource, IOptions<JobsOptions> options, ILogger<LeaseReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.LeaseTimeoutSeconds);
        using var timer = new PeriodicTimer(timeout / 2);
        do
        {
            try
            {
                var (loads, runs) = await Leases.ReapAsync(dataSource, timeout, stoppingToken);
                if (loads + runs > 0)
                    logger.LogWarning("Reaped {Loads} load(s) and {Runs} training run(s) whose process stopped: marked failed (interrupted)", loads, runs);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not reap dead leases; trying again in {Seconds} s", timeout.TotalSeconds / 2);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
