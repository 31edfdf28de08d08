using System.Diagnostics;
using Analytics.Jobs.Database;
using Analytics.Jobs.Scheduling;
using Analytics.Testing;
using Hangfire;
using Hangfire.PostgreSql;

namespace Analytics.Jobs.Tests.Cli;

/// <summary>The command-line tool run as a real process, the way stewards and scripts run it.</summary>
public class CommandLineTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>
{
    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string? stdin, Dictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics-jobs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        if (stdin is not null)
            await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private Dictionary<string, string?> Database => new() { ["Database__ConnectionString"] = db.ConnectionString };

    [Fact]
    public async Task help_lists_the_command_groups()
    {
        var (exit, output, _) = await RunAsync(null, [], "--help");
        Assert.Equal(0, exit);
        foreach (var command in new[] { "db", "user", "worker", "demo" })
            Assert.Contains(command, output);
    }

    [Fact]
    public async Task db_status_reports_postgis_and_the_migration_level()
    {
        var (exit, output, error) = await RunAsync(null, Database, "db", "status");
        Assert.True(exit == 0, error);
        Assert.Contains("PostGIS:          3.", output);
        Assert.Contains($"migration level:  {Analytics.Jobs.Database.DatabaseMigrator.Known[^1].Version} of", output);
    }

    [Fact]
    public async Task a_user_added_from_the_command_line_gets_a_working_token()
    {
        var (added, _, addError) = await RunAsync("a long enough password", Database, "user", "add", "cli-steward", "--roles", "steward,analyst");
        Assert.True(added == 0, addError);
        var (issued, secret, issueError) = await RunAsync(null, Database, "user", "token", "cli-steward", "--name", "script", "--days", "7");
        Assert.True(issued == 0, issueError);
        var store = new Analytics.Jobs.Accounts.AccountStore(db.DataSource, TimeProvider.System);
        var account = await store.AuthenticateTokenAsync(secret.Trim());
        Assert.Equal(["steward", "analyst"], account?.Roles);
    }

    [Fact]
    public async Task a_missing_connection_string_is_a_configuration_error_that_says_what_to_set()
    {
        var (exit, _, error) = await RunAsync(null, new() { ["Database__ConnectionString"] = "" }, "db", "status");
        Assert.Equal(78, exit);
        Assert.Contains("Database__ConnectionString", error);
    }

    [Fact]
    public async Task an_unknown_role_is_refused_with_the_list_of_roles()
    {
        var (exit, _, error) = await RunAsync("a long enough password", Database, "user", "add", "cli-bad", "--roles", "superuser");
        Assert.Equal(65, exit);
        Assert.Contains("'superuser' is not a role", error);
        Assert.Contains("analyst, planner, reviewer, auditor, steward, admin", error);
    }

    [Fact]
    public async Task a_standalone_worker_runs_a_job_enqueued_by_another_process()
    {
        var storage = new PostgreSqlStorage(
            new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(db.ConnectionString, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { SchemaName = DatabaseMigrator.HangfireSchema, PrepareSchemaIfNecessary = false });
        new BackgroundJobClient(storage).Enqueue<HeartbeatJob>(job => job.RunAsync("worker-test"));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics-jobs.dll"));
        start.ArgumentList.Add("worker");
        start.Environment["Database__ConnectionString"] = db.ConnectionString;
        start.Environment["Jobs__PollIntervalSeconds"] = "1";
        using var worker = Process.Start(start)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            long runs;
            do
            {
                await Task.Delay(250);
                runs = await db.ScalarAsync<long>("SELECT count(*) FROM ops.heartbeat WHERE requested_by = 'worker-test'");
            }
            while (runs == 0 && DateTime.UtcNow < deadline && !worker.HasExited);
            Assert.Equal(1, runs);
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }
}
