using System.Diagnostics;
using Analytics.Jobs.AuditTrail;
using Microsoft.Extensions.Time.Testing;
using static Analytics.Jobs.Tests.AuditTrail.AuditFixtures;

namespace Analytics.Jobs.Tests.AuditTrail;

/// <summary><c>analytics-jobs audit …</c> run as a real process, the way an auditor or a cron job runs it.</summary>
public class AuditCommandLineTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics-jobs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment.Remove("Database__OwnerConnectionString"); // as deployed, commands connect as the application's role only; an owner inherited from the shell would point elsewhere
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public Task verify_exits_0_on_an_intact_log_and_1_with_the_first_broken_link_after_tampering() => WithDatabaseAsync(async db =>
    {
        var clock = new FakeTimeProvider(Monday);
        await AppendAsync(Log(db, clock), db, clock, 30);
        var environment = new Dictionary<string, string?> { ["Database__ConnectionString"] = db.ConnectionString };

        var (intact, output, error) = await RunAsync(environment, "audit", "verify");
        Assert.True(intact == 0, error);
        Assert.Contains("intact: 30 events checked (sequence 1 to 30)", output);
        Assert.Contains("checkpoint: none given", output);

        await TamperAsync(db, "UPDATE audit.event SET details = '{\"n\": 17}' WHERE seq = 17");
        var (broken, brokenOutput, _) = await RunAsync(environment, "audit", "verify");
        Assert.Equal(1, broken);
        Assert.Contains("broken at event 17 (HashMismatch)", brokenOutput);
    });

    [Fact]
    public Task a_checkpoint_written_from_the_command_line_exposes_a_later_truncation() => WithDatabaseAsync(async db =>
    {
        using var key = NewKey();
        var clock = new FakeTimeProvider(Monday);
        await AppendAsync(Log(db, clock), db, clock, 10);
        var file = Path.Combine(Path.GetTempPath(), $"audit-checkpoint-{Guid.NewGuid():N}.json");
        try
        {
            var environment = new Dictionary<string, string?> { ["Database__ConnectionString"] = db.ConnectionString, ["Audit__CheckpointKeyFile"] = key.Path };
            var (written, output, error) = await RunAsync(environment, "audit", "checkpoint", "--out", file);
            Assert.True(written == 0, error);
            Assert.Contains("checkpoint of event 10", output);
            Assert.True(AuditCheckpointFolder.Read(file).IsSignedWith(key.Bytes));
            Assert.Equal(73, (await RunAsync(environment, "audit", "checkpoint", "--out", file)).ExitCode);

            await TamperAsync(db, "DELETE FROM audit.event WHERE seq >= 8");
            var (broken, brokenOutput, _) = await RunAsync(environment, "audit", "verify", "--checkpoint", file);
            Assert.Equal(1, broken);
            Assert.Contains("broken at event 8 (Truncated)", brokenOutput);
            Assert.Contains("checkpoint: Contradicted (event 10", brokenOutput);
        }
        finally
        {
            File.Delete(file);
        }
    });

    [Fact]
    public Task a_checkpoint_without_a_key_is_a_configuration_error_that_says_what_to_set() => WithDatabaseAsync(async db =>
    {
        var file = Path.Combine(Path.GetTempPath(), $"audit-checkpoint-{Guid.NewGuid():N}.json");
        var (exit, _, error) = await RunAsync(new() { ["Database__ConnectionString"] = db.ConnectionString }, "audit", "checkpoint", "--out", file);
        Assert.Equal(78, exit);
        Assert.Contains("Audit__CheckpointKeyFile", error);
        Assert.False(File.Exists(file));
    });
}
