using System.Diagnostics;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Analytics.Benchmarks;

/// <summary>
/// Areal interpolation of a 1 km grid onto communes, on a demo world (national scale: ≈530,000
/// cells onto ≈35,000 communes): the one-off weight computation, then one period of values
/// through the cached weights, side by side with the naive way — one ST_Intersection query per
/// period. Prints both times, their ratio, and checks the two give the same values.
/// </summary>
internal static class InterpolationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var world = Arguments.Option(args, "--world") ?? throw new ArgumentException("--world DIR: a folder written by 'demo generate' (national scale for the reference figures)");
        var period = Arguments.Option(args, "--period") ?? "2023";
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", "interpolation.json");

        var connectionString = await TestDatabases.CreateAsync();
        try
        {
            await using var dataSource = AnalyticsDatabase.CreateDataSource(connectionString);
            var ingest = new IngestService(dataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
            var manifest = LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json"));
            long gridBatch = 0;
            foreach (var entry in manifest.Loads.Where(l => l.Kind is IngestKind.Catalog or IngestKind.Territories || l.Options?.Layer == "grid"))
            {
                var file = entry.Kind == IngestKind.Catalog ? entry.File : Path.Combine(world, Path.GetFileName(entry.File));
                var options = entry.Options?.Layer == "grid"
                    ? entry.Options with { Columns = new Dictionary<string, string> { ["pm25_ugm3"] = "pm25_annual" } }
                    : entry.Options ?? IngestOptions.Default;
                var watch = Stopwatch.StartNew();
                var result = await ingest.LoadAsync(new IngestRequest(entry.Kind, file, Path.GetFileName(file), "benchmark", options));
                Console.WriteLine($"{result.Describe()} ({watch.Elapsed.TotalSeconds:N1} s)");
                if (result.Outcome != IngestOutcome.Loaded)
                    return 1;
                if (options.Layer == "grid")
                    gridBatch = result.BatchId!.Value;
            }
            var layer = await ScalarAsync<long>(dataSource, $"SELECT id FROM geo.source_layer WHERE batch_id = {gridBatch}");
            var cells = await ScalarAsync<long>(dataSource, $"SELECT count(*) FROM geo.source_feature WHERE layer_id = {layer}");
            var communes = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM geo.territory WHERE level = 'commune'");
            await ExecuteAsync(dataSource, "ANALYZE");

            var weights = new AreaWeights(dataSource, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var set = await weights.EnsureAsync(layer, "commune", 2024);
            var weightSeconds = clock.Elapsed.TotalSeconds;
            var pairs = await ScalarAsync<long>(dataSource, $"SELECT pairs FROM geo.interp_weight_set WHERE id = {set}");
            Console.WriteLine($"weights: {cells:N0} cells × {communes:N0} communes → {pairs:N0} overlaps in {weightSeconds:N1} s (once)");

            clock.Restart();
            var allRows = await weights.ApplyAsync(set, gridBatch);
            var allSeconds = clock.Elapsed.TotalSeconds;
            var periods = await ScalarAsync<long>(dataSource, $"SELECT count(DISTINCT period) FROM facts.feature_value WHERE batch_id = {gridBatch}");
            var cachedSeconds = allSeconds / periods;
            Console.WriteLine($"cached weights, all {periods} periods in one pass: {allRows:N0} values in {allSeconds:N2} s");

            clock.Restart();
            var rows = await weights.ApplyAsync(set, gridBatch, period: period);
            var onePeriodSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"cached weights, period {period} alone: {rows:N0} values in {onePeriodSeconds:N2} s");

            clock.Restart();
            // The naive baseline's table is DDL: the owner's, not the application's.
            await using var ownerSource = AnalyticsDatabase.CreateDataSource(TestDatabases.AsOwner(connectionString));
            await ExecuteAsync(ownerSource, $"""
                CREATE TABLE public.naive AS
                SELECT t.id AS territory_id, v.indicator_code, sum(v.value * x.area) / sum(x.area) AS value
                FROM geo.territory t
                JOIN geo.source_feature f ON f.layer_id = {layer} AND ST_Intersects(f.geom_l93, t.geom_l93)
                CROSS JOIN LATERAL (SELECT ST_Area(ST_Intersection(f.geom_l93, t.geom_l93)) AS area) x
                JOIN facts.feature_value v ON v.layer_id = f.layer_id AND v.feature_id = f.feature_id AND v.batch_id = {gridBatch} AND v.period = '{period}'
                WHERE t.level = 'commune' AND t.vintage = 2024 AND x.area > 0
                GROUP BY t.id, v.indicator_code
                """);
            var naiveSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"naive ST_Intersection, one period: {naiveSeconds:N2} s");

            var largestGap = await ScalarAsync<double>(ownerSource, $"""
                SELECT coalesce(max(abs(n.value - e.value)), 0) FROM public.naive n
                JOIN features.territory_exposure e ON e.territory_id = n.territory_id AND e.indicator_code = n.indicator_code AND e.period = '{period}' AND e.method = 'area'
                """);
            var ratio = naiveSeconds / cachedSeconds;
            Console.WriteLine();
            Console.WriteLine($"one-off weights:            {weightSeconds,10:N1} s");
            Console.WriteLine($"per period, cached weights: {cachedSeconds,10:N2} s   (all periods in one pass ÷ {periods})");
            Console.WriteLine($"one period alone, cached:   {onePeriodSeconds,10:N2} s");
            Console.WriteLine($"per period, naive:          {naiveSeconds,10:N2} s");
            Console.WriteLine($"ratio naive / cached:       {ratio,10:N1} ×   (goal ≥ 20×)");
            Console.WriteLine($"ratio naive / one period:   {naiveSeconds / onePeriodSeconds,10:N1} ×");
            Console.WriteLine($"largest difference between the two: {largestGap:G3}");

            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
            {
                benchmark = "areal-interpolation", cells, communes, pairs, period, periods, weightSeconds, allPeriodsSeconds = allSeconds, cachedSeconds, onePeriodSeconds, naiveSeconds, ratio, largestGap,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"results: {output}");
            return largestGap < 1e-6 ? 0 : 1;
        }
        finally
        {
            await TestDatabases.DropAsync(connectionString);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

}
