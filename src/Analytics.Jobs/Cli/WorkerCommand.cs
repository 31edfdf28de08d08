using System.CommandLine;
using Analytics.Jobs.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Jobs.Cli;

/// <summary><c>worker</c>: a standalone Hangfire worker process, for when the API should not run jobs itself.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var worker = new Command("worker", "Run jobs from the queue until stopped (Ctrl+C). Migrates the database first.");
        worker.SetAction(async (_, ct) =>
        {
            using var host = CliHost.CreateBuilder(withWorker: true).Build();
            try
            {
                await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            }
            catch (DatabaseNotReadyException e)
            {
                Console.Error.WriteLine($"error: database: {e.Message}");
                return 69;
            }
            await host.RunAsync(ct);
            return 0;
        });
        return worker;
    }
}
