using Analytics.Jobs.Database;

namespace Analytics.Api.Platform;

/// <summary><c>/health</c>: is the service ready — database reachable, PostGIS present, migrations at the expected level.</summary>
public static class HealthApi
{
    public sealed record HealthReport(string Status, string Database, string? Postgis, int MigrationLevel, int ExpectedMigrationLevel, string? Problem);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Readiness: database, PostGIS version and migration level (503 when not ready).")
            .WithTags("Platform")
            .AllowAnonymous();
        return app;
    }

    private static async Task<IResult> GetHealthAsync(DatabaseMigrator migrator, CancellationToken cancellationToken)
    {
        try
        {
            var status = await migrator.GetStatusAsync(cancellationToken);
            var report = new HealthReport(status.IsReady ? "ready" : "not_ready", "reachable", status.Postgis?.ToString(),
                status.AppliedLevel, status.ExpectedLevel, status.IsReady ? null : "migrations pending or PostGIS missing");
            return Results.Json(report, statusCode: status.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }
        catch (DatabaseNotReadyException)
        {
            // The exception text may name hosts; the public health answer stays generic.
            var report = new HealthReport("not_ready", "unreachable", null, 0, DatabaseMigrator.LatestLevel, "database unreachable");
            return Results.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
