using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Jobs.AuditTrail;

/// <summary>Registers the audit log, its options (validated at start-up) and its daily maintenance job.</summary>
public static class AuditTrailSetup
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AuditLog>();
        services.AddTransient<AuditMaintenanceJob>();
        services.AddHostedService<MaintenanceSchedule>();
        return services;
    }

    /// <summary>Declares the recurring job when a host starts (the API, a worker); repeating it only updates it.</summary>
    private sealed class MaintenanceSchedule(IRecurringJobManager jobs) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            jobs.AddOrUpdate<AuditMaintenanceJob>(AuditMaintenanceJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Daily(3));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
