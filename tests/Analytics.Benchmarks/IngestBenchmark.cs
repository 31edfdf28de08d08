using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Ingest;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Analytics.Benchmarks;

/// <summary>
/// Loads a generated health CSV of N rows (default 1,000,000) through the Ingest stage and, side
/// by side on the same server, through <c>psql \copy</c> into an unindexed table of the same
/// columns — the fastest a file can go into PostgreSQL, with no validation. Prints both
/// throughputs and their ratio (ours / baseline), the median of several alternating rounds.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 1_000_000);
        var rounds = Option(args, "--rounds", 3);
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", "ingest.json");

        var connectionString = await TestDatabases.CreateAsync();
        try
        {
            await using var dataSource = AnalyticsDatabase.CreateDataSource(connectionString);
            // The baseline's table and the clean-up between rounds are DDL: the owner's, not the application's.
            var ownerConnectionString = TestDatabases.AsOwner(connectionString);
            await using var ownerSource = AnalyticsDatabase.CreateDataSource(ownerConnectionString);
            var ingest = new IngestService(dataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
            Console.WriteLine("loading the demo catalogue and territories…");
            foreach (var entry in LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json")).Loads.Where(l => l.Kind is IngestKind.Catalog or IngestKind.Territories))
                await ingest.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), "benchmark", entry.Options ?? IngestOptions.Default));

            var csv = Path.Combine(Path.GetTempPath(), $"benchmark-health-{rows}.csv");
            var bytes = await WriteHealthCsvAsync(dataSource, csv, rows);
            Console.WriteLine($"file: {rows:N0} rows, {bytes / 1024.0 / 1024:N1} MiB ({csv})");
            await using (var raw = ownerSource.CreateCommand("""
                CREATE TABLE public.benchmark_raw (territory_code text, level text, period text, condition_code text, sex text, age_band text, cases integer, population integer)
                """))
                await raw.ExecuteNonQueryAsync();

            var baseline = new List<double>();
            var ours = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                baseline.Add(await TimeAsync(() => PsqlCopyAsync(ownerConnectionString, csv)));
                await ExecuteAsync(ownerSource, "TRUNCATE public.benchmark_raw");
                long? batch = null;
                ours.Add(await TimeAsync(async () =>
                {
                    var result = await ingest.LoadAsync(new IngestRequest(IngestKind.Health, csv, Path.GetFileName(csv), "benchmark", IngestOptions.Default));
                    if (result.Outcome != IngestOutcome.Loaded || result.RowsLoaded != rows)
                        throw new InvalidOperationException($"the load did not complete: {result.Describe()}");
                    batch = result.BatchId;
                }));
                await ExecuteAsync(ownerSource, $"DROP TABLE facts.health_count_b{batch}; DELETE FROM ingest.batch WHERE id = {batch}");
                Console.WriteLine($"round {round}: psql \\copy {baseline[^1]:N2} s, ingest {ours[^1]:N2} s");
            }
            var baselineSeconds = Median(baseline);
            var oursSeconds = Median(ours);
            var ratio = baselineSeconds / oursSeconds;
            Console.WriteLine();
            Console.WriteLine($"psql \\copy (unindexed, no validation): {rows / baselineSeconds,12:N0} rows/s  ({baselineSeconds:N2} s)");
            Console.WriteLine($"ingest health (parsed, validated):     {rows / oursSeconds,12:N0} rows/s  ({oursSeconds:N2} s)");
            Console.WriteLine($"ratio ours / baseline:                 {ratio,12:N2}   (goal ≥ 0.5)");
            Console.WriteLine($"peak working set of this process:      {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024,12:N0} MiB");

            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
            {
                benchmark = "ingest-health-csv", rows, fileBytes = bytes, rounds, baselineSeconds, oursSeconds,
                baselineRowsPerSecond = rows / baselineSeconds, oursRowsPerSecond = rows / oursSeconds, ratio,
                baselineRoundsSeconds = baseline, oursRoundsSeconds = ours, machine = $"{Environment.ProcessorCount} cores",
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"results: {output}");
            File.Delete(csv);
            return 0;
        }
        finally
        {
            await TestDatabases.DropAsync(connectionString);
        }
    }

    /// <summary>Every demo commune × year × condition × sex × age band, as many years as needed for <paramref name="rows"/> rows.</summary>
    private static async Task<long> WriteHealthCsvAsync(NpgsqlDataSource dataSource, string path, int rows)
    {
        var communes = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT code FROM geo.territory WHERE level = 'commune' ORDER BY code"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                communes.Add(reader.GetString(0));
        string[] conditions = ["J45-J46", "J44", "I20-I25", "A69.2", "T67"];
        string[] sexes = ["M", "F", "T"];
        string[] ages = ["0-14", "15-44", "45-64", "65-74", "75+", "all"];
        var random = new Random(42);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync("territory_code;level;period;condition_code;sex;age_band;cases;population");
        var written = 0;
        for (var year = 2023; written < rows; year--)
            foreach (var commune in communes)
                foreach (var condition in conditions)
                    foreach (var sex in sexes)
                        foreach (var age in ages)
                        {
                            if (written == rows)
                                goto done;
                            var population = random.Next(50, 5000);
                            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                                $"{commune};commune;{year};{condition};{sex};{age};{random.Next(0, 40)};{population}"));
                            written++;
                        }
        done:
        await writer.FlushAsync();
        return new FileInfo(path).Length;
    }

    private static async Task PsqlCopyAsync(string connectionString, string csv)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("psql") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-X", "-q",
                     "-c", $"\\copy public.benchmark_raw FROM '{csv}' WITH (FORMAT csv, HEADER true, DELIMITER ';')" })
            start.ArgumentList.Add(arg);
        start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"psql \\copy failed: {error}");
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static int Option(string[] args, string name, int fallback)
    {
        var text = Arguments.Option(args, name);
        return text is null ? fallback : int.Parse(text, CultureInfo.InvariantCulture);
    }

}
