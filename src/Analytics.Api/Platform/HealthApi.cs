using Analytics.Jobs.Database;
using Analytics.Jobs.Scheduling;
using Microsoft.Extensions.Options;

namespace Analytics.Api.Platform;

/// <summary>
/// <c>/health</c>: is the service ready — database reachable, PostGIS present, migrations at the expected
/// level, Hangfire's storage answering — and are job workers alive.
/// </summary>
/// <remarks>
/// The API serves reads without any worker, so a missing worker does not take it out of rotation: the
/// answer stays 200 with status <c>ready_without_workers</c>, which monitoring alerts on (uploads, training
/// and scheduled jobs wait meanwhile). Every check shares one deadline of <see cref="DeadlineSeconds"/>: a
/// database that stopped or hangs is reported within it, not after the driver's 15 s connect timeout.
/// </remarks>
public static class HealthApi
{
    public const int DeadlineSeconds = 3;

    public sealed record HealthReport(string Status, string Database, string? Postgis, int MigrationLevel, int ExpectedMigrationLevel,
        string? JobStorage, int Workers, DateTimeOffset? LatestWorkerHeartbeat, string? Problem);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Readiness: database, PostGIS version, migration level, job storage (503 when not ready); live job workers.")
            .WithTags("Platform")
            .AllowAnonymous();
        return app;
    }

    private static async Task<IResult> GetHealthAsync(DatabaseMigrator migrator, Heartbeats heartbeats, IOptions<JobsOptions> jobs, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(DeadlineSeconds));
        try
        {
            var status = await migrator.GetStatusAsync(deadline.Token);
            if (!status.IsReady)
                return Answer(new HealthReport("not_ready", "reachable", status.Postgis?.ToString(), status.AppliedLevel, status.ExpectedLevel,
                    null, 0, null, "migrations pending or PostGIS missing"));
            // A worker is alive when its server beat within the lease timeout (it beats every 30 s).
            var workers = await heartbeats.WorkersAsync(TimeSpan.FromSeconds(jobs.Value.LeaseTimeoutSeconds), deadline.Token);
            return Answer(new HealthReport(workers.Live > 0 ? "ready" : "ready_without_workers", "reachable", status.Postgis?.ToString(),
                status.AppliedLevel, status.ExpectedLevel, "reachable", workers.Live, workers.LatestBeat, workers.Live > 0 ? null : "no job worker alive"));
        }
        catch (Exception e) when (DatabaseUnavailable.Is(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The exception text may name hosts; the public health answer stays generic.
            return Answer(new HealthReport("not_ready", "unreachable", null, 0, DatabaseMigrator.LatestLevel, null, 0, null, "database unreachable"));
        }
    }

    private static IResult Answer(HealthReport report) =>
        Results.Json(report, statusCode: report.Status == "not_ready" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
}
