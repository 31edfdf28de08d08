using Analytics.Jobs.Accounts;
using Analytics.Jobs.Database;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Scheduling;
using Analytics.Jobs.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Jobs.Cli;

/// <summary>
/// The services a command needs, configured like the API (appsettings.json, then environment
/// variables), and the one place that turns known failures into a message and an exit code.
/// </summary>
internal static class CliHost
{
    public static HostApplicationBuilder CreateBuilder(bool withWorker = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // Commands print their own results; only warnings from the libraries underneath are worth a line.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        builder.Logging.AddFilter("Analytics.Jobs.Ingest", LogLevel.Error); // ingest commands print each load's outcome themselves
        builder.Logging.AddFilter("Analytics.Jobs.Accounts", LogLevel.Warning); // user and demo commands print their outcome themselves
        builder.Services.AddAnalyticsDatabase(builder.Configuration);
        builder.Services.AddAccounts(builder.Configuration);
        builder.Services.AddAnalyticsJobs(builder.Configuration, withWorker);
        // Only the worker runs long enough to be observed; one-shot commands print their own figures.
        if (withWorker)
            builder.Services.AddAnalyticsTelemetry(builder.Configuration, "analytics-jobs");
        return builder;
    }

    /// <summary>Runs a command body with a built service provider; known failures become one clear line on stderr.</summary>
    public static async Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task<int>> body, CancellationToken cancellationToken, bool requireMigrated = true)
    {
        try
        {
            using var host = CreateBuilder().Build();
            if (requireMigrated)
            {
                var status = await host.Services.GetRequiredService<DatabaseMigrator>().GetStatusAsync(cancellationToken);
                if (!status.IsReady)
                    throw new DatabaseNotReadyException(
                        $"the database is at migration level {status.AppliedLevel} but this build expects {status.ExpectedLevel}: run 'analytics-jobs db migrate' first");
            }
            return await body(host.Services, cancellationToken);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            Console.Error.WriteLine($"error: configuration: {string.Join(" ", e.Failures)}");
            return 78; // EX_CONFIG
        }
        catch (DatabaseNotReadyException e)
        {
            Console.Error.WriteLine($"error: database: {e.Message}");
            return 69; // EX_UNAVAILABLE
        }
        catch (IngestException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 65; // EX_DATAERR
        }
        catch (AccountException e)
        {
            Console.Error.WriteLine($"error: {e.Field}: {e.Message}");
            return 65; // EX_DATAERR
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException or DirectoryNotFoundException or FileNotFoundException or Release.ReviewRefusedException)
        {
            // A bad model specification, an unknown name, a decision the review rules refuse.
            Console.Error.WriteLine($"error: {e.Message}");
            return 65; // EX_DATAERR
        }
    }
}
