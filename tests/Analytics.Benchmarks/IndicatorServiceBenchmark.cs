using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Features;
using Analytics.Testing;
using Npgsql;

namespace Analytics.Benchmarks;

/// <summary>
/// The indicator service under load, against a running instance (<c>--url</c>, a personal token) and its database
/// (<c>--database</c>, a world with its features built): a territory's health figures and a vector tile, each at
/// <c>--concurrency</c> (64) concurrent requests over HTTP, beside the same reader — the same SQL through Npgsql,
/// no HTTP, no authentication, no JSON — at the same concurrency. Tiles are measured cold (first request of each
/// tile since the instance started) and cached (the same tiles again). Everything is measured twice: at
/// <c>--concurrency</c> connections, and at one (latency without queueing). Prints p50, p99 and requests/s and the
/// p50 ratios API / SQL and cached / cold.
/// </summary>
internal static class IndicatorServiceBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arguments.Option(args, "--url") ?? "http://127.0.0.1:5080";
        var token = Arguments.Option(args, "--token") ?? Environment.GetEnvironmentVariable("ANALYTICS_TOKEN")
            ?? throw new ArgumentException("--token (or ANALYTICS_TOKEN): a personal API token of an analyst");
        var database = Arguments.Option(args, "--database") ?? Environment.GetEnvironmentVariable("Database__ConnectionString")
            ?? throw new ArgumentException("--database (or Database__ConnectionString): the instance's database");
        var concurrency = int.Parse(Arguments.Option(args, "--concurrency") ?? "64", CultureInfo.InvariantCulture);
        var requests = int.Parse(Arguments.Option(args, "--requests") ?? "20000", CultureInfo.InvariantCulture);
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", "indicator-service.json");

        await using var dataSource = AnalyticsDatabase.CreateDataSource(database);
        var figures = new PublishedFigures(dataSource);
        var tiles = new TerritoryTiles(dataSource);
        var communes = await CommunesAsync(dataSource);
        var (condition, period) = await LatestFigureAsync(dataSource);
        var tileSets = new Dictionary<int, List<(int X, int Y)>>();
        foreach (var zoom in new[] { 5, 8, 11 })
            tileSets[zoom] = await TilesAsync(dataSource, zoom, 300);
        Console.WriteLine($"{communes.Count:N0} communes, condition {condition}, period {period}, distinct tiles holding communes at zooms 5, 8, 11: "
            + $"{string.Join(", ", tileSets.Values.Select(t => t.Count))}; {concurrency} concurrent, {requests:N0} requests per run");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var probe = await http.GetAsync($"/api/territories/commune/{communes[0]}/health?condition={condition}");
        if (probe.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"the instance answered {(int)probe.StatusCode} to the health route: check --url and --token");

        // Warm both sides first — connection pools, JIT, plans — with the health route and zoom-8 tiles, which the measured
        // tile runs do not use: the instance's tile cache holds none of the zoom-11 tiles measured cold.
        var warmTiles = await TilesAsync(dataSource, 9, 50);
        await LoadAsync(2_000, concurrency, async i => (await http.GetAsync($"/api/territories/commune/{communes[i % communes.Count]}/health?condition={condition}")).EnsureSuccessStatusCode());
        await LoadAsync(2_000, concurrency, i => figures.HealthAsync("commune", communes[i % communes.Count], condition));
        var tileQuery = $"condition={condition}&statistic=sir&period={period}";
        await LoadAsync(warmTiles.Count, concurrency, async i => (await http.GetAsync($"/tiles/commune/9/{warmTiles[i].X}/{warmTiles[i].Y}.mvt?{tileQuery}")).EnsureSuccessStatusCode());
        await LoadAsync(warmTiles.Count, concurrency, i => tiles.TileAsync("commune", 9, warmTiles[i].X, warmTiles[i].Y, TileFigure.Health(condition, "sir", period)));

        var runs = new List<(string Name, int Concurrency, Run Run)>();
        foreach (var connections in new[] { concurrency, 1 })
        {
            foreach (var (zoom, set) in tileSets)
            {
                // Half the tiles at each concurrency, so that every first request is a cold one.
                var measured = connections == 1 ? set.Skip(set.Count / 2).ToList() : set.Take(set.Count / 2).ToList();
                runs.Add(($"tile z{zoom}, API cold", connections, await LoadAsync(measured.Count, connections, async i =>
                    (await http.GetAsync($"/tiles/commune/{zoom}/{measured[i].X}/{measured[i].Y}.mvt?{tileQuery}")).EnsureSuccessStatusCode())));
                runs.Add(($"tile z{zoom}, API cached", connections, await LoadAsync(measured.Count * 5, connections, async i =>
                    (await http.GetAsync($"/tiles/commune/{zoom}/{measured[i % measured.Count].X}/{measured[i % measured.Count].Y}.mvt?{tileQuery}")).EnsureSuccessStatusCode())));
                runs.Add(($"tile z{zoom}, same SQL (Npgsql)", connections, await LoadAsync(measured.Count, connections, i =>
                    tiles.TileAsync("commune", zoom, measured[i].X, measured[i].Y, TileFigure.Health(condition, "sir", period)))));
            }
            var healthCount = connections == 1 ? 1_000 : requests;
            runs.Add(("health figures, API (HTTP)", connections, await LoadAsync(healthCount, connections, async i =>
                (await http.GetAsync($"/api/territories/commune/{communes[(i * 7919) % communes.Count]}/health?condition={condition}")).EnsureSuccessStatusCode())));
            runs.Add(("health figures, same SQL (Npgsql)", connections, await LoadAsync(healthCount, connections, i =>
                figures.HealthAsync("commune", communes[(i * 7919) % communes.Count], condition))));
        }

        Console.WriteLine();
        Console.WriteLine("| what | connections | p50 ms | p99 ms | requests/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, connections, run) in runs)
            Console.WriteLine(FormattableString.Invariant($"| {name} | {connections} | {run.P50:F2} | {run.P99:F2} | {run.PerSecond:F0} |"));
        Console.WriteLine();
        Run Of(string name, int connections) => runs.Single(r => r.Name == name && r.Concurrency == connections).Run;
        foreach (var connections in new[] { concurrency, 1 })
        {
            Console.WriteLine(FormattableString.Invariant(
                $"{connections} connection(s): health API p50 / SQL p50 = {Of("health figures, API (HTTP)", connections).P50 / Of("health figures, same SQL (Npgsql)", connections).P50:F2} (goal ≤ 1.5)"));
            foreach (var zoom in tileSets.Keys)
                Console.WriteLine(FormattableString.Invariant(
                    $"  tiles z{zoom}: cached p50 / cold p50 = {Of($"tile z{zoom}, API cached", connections).P50 / Of($"tile z{zoom}, API cold", connections).P50:F3} (goal ≤ 0.1), cold API p50 / SQL p50 = {Of($"tile z{zoom}, API cold", connections).P50 / Of($"tile z{zoom}, same SQL (Npgsql)", connections).P50:F2}"));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
        {
            communes = communes.Count, concurrency, requests, tiles = tileSets.ToDictionary(t => $"z{t.Key}", t => t.Value.Count),
            runs = runs.Select(r => new { r.Name, connections = r.Concurrency, r.Run.P50, r.Run.P99, r.Run.PerSecond }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"written to {output}");
        return 0;
    }

    /// <summary>Latencies of one run: median, 99th percentile (ms) and throughput.</summary>
    internal sealed record Run(double P50, double P99, double PerSecond);

    /// <summary>Runs <paramref name="count"/> calls, <paramref name="concurrency"/> at a time, timing each.</summary>
    private static async Task<Run> LoadAsync(int count, int concurrency, Func<int, Task> call)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await call(i);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var sorted = latencies.Order().ToArray();
        return new Run(sorted[sorted.Length / 2], sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(sorted.Length * 0.99) - 1)], count / total.Elapsed.TotalSeconds);
    }

    private static async Task<List<string>> CommunesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT code FROM geo.territory WHERE level = 'commune' ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync();
        var codes = new List<string>();
        while (await reader.ReadAsync())
            codes.Add(reader.GetString(0));
        return codes;
    }

    private static async Task<(string Condition, string Period)> LatestFigureAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT min(condition_code), max(period) FROM features.health_indicator WHERE health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)");
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || reader.IsDBNull(0))
            throw new InvalidOperationException("no features build in this database: run analytics-jobs features build first");
        return (reader.GetString(0), reader.GetString(1));
    }

    /// <summary>Up to <paramref name="count"/> distinct tiles at <paramref name="zoom"/> holding a commune's point, spread over the territory.</summary>
    private static async Task<List<(int X, int Y)>> TilesAsync(NpgsqlDataSource dataSource, int zoom, int count)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT DISTINCT floor((ST_X(p) + 180) / 360 * (1 << {zoom}))::int AS x,
                   floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * (1 << {zoom}))::int AS y
            FROM (SELECT ST_PointOnSurface(geom) AS p FROM geo.territory WHERE level = 'commune') c
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var all = new List<(int, int)>();
        while (await reader.ReadAsync())
            all.Add((reader.GetInt32(0), reader.GetInt32(1)));
        var step = Math.Max(1, all.Count / count);
        return all.Where((_, i) => i % step == 0).Take(count).ToList();
    }
}
