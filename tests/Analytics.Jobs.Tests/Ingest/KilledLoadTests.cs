using System.Diagnostics;
using Analytics.Jobs.Ingest;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// A load is one transaction: a command-line load killed outright (SIGKILL, no chance to clean up)
/// in the middle of a large file leaves nothing of it, and the same command run again loads it all.
/// </summary>
[Collection(LargeLoadsCollection.Name)]
public sealed class KilledLoadTests(PostgisDatabase db) : IClassFixture<PostgisDatabase>, IDisposable
{
    private static readonly string[] Conditions = ["J45-J46", "J44", "I20-I25", "A69.2", "T67"];
    private static readonly string[] Ages = ["0-14", "15-44", "45-64", "65-74", "75+"];
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task a_load_killed_midway_leaves_no_partial_batch_and_the_rerun_loads_the_whole_file()
    {
        var service = new IngestService(db.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
        await service.LoadAsync(new IngestRequest(IngestKind.Catalog, DemoWorld.Catalogue, "indicators.csv", "test", IngestOptions.Default));
        string? parent = null;
        foreach (var level in new[] { "region", "departement", "epci", "commune" })
        {
            var options = new IngestOptions { Level = level, Vintage = 2024, LayerName = level, ParentLevel = parent };
            await service.LoadAsync(new IngestRequest(IngestKind.Territories, DemoWorld.File("territories.gpkg"), "territories.gpkg", "test", options));
            parent = level;
        }
        var communes = await db.ScalarAsync<string[]>("SELECT array_agg(code ORDER BY code) FROM geo.territory WHERE level = 'commune'");
        var (path, rows) = WriteLargeHealthFile(communes);
        Assert.Equal(1_233_000, rows);
        var batchesBefore = await db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch");

        using (var killed = Start("ingest", "health", path))
        {
            var rowsDone = await WaitForProgressAsync(Path.GetFileName(path), killed);
            Assert.False(killed.HasExited, "the load ended before it could be killed");
            Assert.InRange(rowsDone, 1, rows - 1);
            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();
        }
        // The server rolls the transaction back when it sees the client gone, which releases the load's advisory lock.
        await WaitUntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()") == 0);

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count"));
        Assert.Equal(batchesBefore, await db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch WHERE kind = 'health'"));

        using var rerun = Start("ingest", "health", path);
        var output = rerun.StandardOutput.ReadToEndAsync();
        var error = rerun.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            await rerun.WaitForExitAsync(timeout.Token);
        Assert.True(rerun.ExitCode == 0, await error);
        Assert.Contains("loaded as batch", await output);
        var batch = await db.ScalarAsync<long>("SELECT id FROM ingest.batch WHERE kind = 'health' AND status = 'loaded'");
        Assert.Equal((long)rows, await db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count WHERE batch_id = $1", batch));
        Assert.Equal((long)rows, await db.ScalarAsync<long>("SELECT rows_loaded FROM ingest.batch WHERE id = $1", batch));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM facts.health_count WHERE batch_id <> $1", batch));
    }

    /// <summary>Every commune × 20 months × 5 conditions × 2 sexes × 5 age bands: 1,233 × 1,000 distinct records, about 50 MB.</summary>
    private (string Path, int Rows) WriteLargeHealthFile(IReadOnlyList<string> communes)
    {
        var path = folder.File($"health-large-{Guid.NewGuid():N}.csv");
        var rows = 0;
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 20);
        writer.Write(BaseFiles.HealthHeader + "\n");
        foreach (var commune in communes)
            for (var month = 0; month < 20; month++)
                foreach (var condition in Conditions)
                    foreach (var sex in new[] { "M", "F" })
                        foreach (var age in Ages)
                        {
                            writer.Write($"{commune};commune;{2021 + month / 12}-{month % 12 + 1:D2};{condition};{sex};{age};{rows % 13};{200 + rows % 500}\n");
                            rows++;
                        }
        return (path, rows);
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "analytics-jobs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["Database__ConnectionString"] = db.ConnectionString;
        start.Environment.Remove("Database__OwnerConnectionString"); // as deployed, commands connect as the application's role only; an owner inherited from the shell would point elsewhere
        return Process.Start(start)!;
    }

    /// <summary>Waits until <c>ingest.progress</c> shows the running load has written rows, and returns how many.</summary>
    private async Task<long> WaitForProgressAsync(string fileName, Process load)
    {
        long rowsDone = 0;
        await WaitUntilAsync(async () =>
        {
            rowsDone = await db.ScalarAsync<long>("SELECT coalesce(max(rows_done), 0) FROM ingest.progress WHERE file_name = $1 AND state = 'running'", fileName);
            return rowsDone > 0 || load.HasExited;
        });
        return rowsDone;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
