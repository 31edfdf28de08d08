using System.CommandLine;
using Analytics.Jobs.Database;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Cli;

/// <summary><c>db migrate</c> and <c>db status</c>.</summary>
internal static class DatabaseCommands
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Check PostGIS and apply pending migrations (safe to repeat).");
        migrate.SetAction((_, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var status = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(token);
            Console.WriteLine($"database is at migration level {status.AppliedLevel} (PostGIS {status.Postgis})");
            return 0;
        }, ct, requireMigrated: false));

        var status = new Command("status", "Show PostGIS version, migration level and pending migrations; exit code 3 when migrations are pending.");
        status.SetAction((_, ct) => CliHost.RunAsync(async (services, token) =>
        {
            var current = await services.GetRequiredService<DatabaseMigrator>().GetStatusAsync(token);
            Console.WriteLine($"PostGIS:          {current.Postgis?.ToString() ?? "not enabled"}");
            Console.WriteLine($"migration level:  {current.AppliedLevel} of {current.ExpectedLevel}");
            foreach (var pending in current.Pending)
                Console.WriteLine($"pending:          {pending}");
            return current.IsReady ? 0 : 3;
        }, ct, requireMigrated: false));

        return new Command("db", "Database set-up and status.") { migrate, status };
    }
}
