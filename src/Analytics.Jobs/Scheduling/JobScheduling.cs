using Analytics.Jobs.Database;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// Hangfire with its storage in the <c>hangfire</c> schema of the analytics database. Used by
/// the API (to enqueue, and by default to run jobs) and by standalone workers alike.
/// </summary>
public static class JobScheduling
{
    /// <summary>Registers Hangfire's client and storage; add <paramref name="withWorker"/> to run jobs in this process.</summary>
    public static IServiceCollection AddAnalyticsJobs(this IServiceCollection services, IConfiguration configuration, bool withWorker)
    {
        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<HeartbeatJob>();
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section));
        services.AddSingleton<Pipeline>();
        services.AddTransient<PipelineJob>();
        services.AddHostedService<PipelineJob.Schedule>();
        services.AddTransient<Ingest.IngestJob>();
        services.AddOptions<Ingest.IngestLimits>()
            .Bind(configuration.GetSection(Ingest.IngestLimits.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Ingest.IngestLimits>>().Value);
        services.AddSingleton<Ingest.IngestService>();
        services.AddOptions<Training.TrainingOptions>().Bind(configuration.GetSection(Training.TrainingOptions.Section));
        services.AddSingleton<Training.ModelSpecifications>();
        services.AddSingleton<Training.ModelTraining>();
        services.AddSingleton<Training.TrainingRuns>();
        services.AddTransient<Training.TrainingJob>();
        services.AddSingleton<Release.Releases>();
        services.AddSingleton<Release.PublishedReleases>();
        services.AddSingleton<Release.PlanningSets>();
        services.AddSingleton<Release.ReleaseFiles>();
        services.AddSingleton<Ingest.LoadHistory>();
        services.AddSingleton<Ingest.TerritoryDirectory>();
        services.AddSingleton<Ingest.IndicatorCatalogue>();
        services.AddSingleton<Features.PublishedFigures>();
        services.AddSingleton<Features.PublishedZones>();
        services.AddSingleton<Features.TerritoryTiles>();
        services.AddSingleton<Scheduling.Heartbeats>();
        AuditTrail.AuditTrailSetup.AddAuditTrail(services, configuration);
        // The storage is this process's own singleton, not Hangfire's global JobStorage.Current:
        // two hosts in one process (the HTTP tests run several) would otherwise race for the global
        // and enqueue into each other's databases.
        services.AddSingleton<JobStorage>(sp =>
        {
            var connectionString = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString;
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = DatabaseMigrator.HangfireSchema,
                // The migrator installs the schema before anything starts; a worker never alters it.
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = TimeSpan.FromSeconds(jobs.PollIntervalSeconds),
                // A running job keeps its fetch alive (every fifth of the timeout); one whose worker
                // died is handed out again after the lease timeout, not Hangfire's default 30 minutes.
                // Loads and training are not retried (AutomaticRetry 0) and find their own outcome.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromSeconds(jobs.LeaseTimeoutSeconds),
            };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
        });
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (withWorker)
        {
            services.AddHostedService<LeaseReaper>();
            services.AddHangfireServer((sp, server) =>
            {
                var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }
        return services;
    }
}
