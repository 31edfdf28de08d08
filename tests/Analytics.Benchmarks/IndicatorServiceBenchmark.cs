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
/// no HTTP, no authentication, no JSON — at the same concurrency. Prints p50, p99 and requests/s of both and the
/// p50 ratio (API / SQL); then the tiles cold (first request of each tile after the instance started) and cached
/// (the same tiles again), and their p50 ratio.
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
        var tileSet = await TilesAsync(dataSource, 11, 400);
        Console.WriteLine($"{communes.Count:N0} communes, condition {condition}, period {period}, {tileSet.Count} distinct zoom-11 tiles; {concurrency} concurrent, {requests:N0} requests per run");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var probe = await http.GetAsync($"/api/territories/commune/{communes[0]}/health?condition={condition}");
        if (probe.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"the instance answered {(int)probe.StatusCode} to the health route: check --url and --token");

        // Tiles first, while the instance's tile cache is empty: every tile's first request is a cold one.
        var tileQuery = $"condition={condition}&statistic=sir&period={period}";
        var cold = await LoadAsync(tileSet.Count, concurrency, async i =>
            (await http.GetAsync($"/tiles/commune/11/{tileSet[i].X}/{tileSet[i].Y}.mvt?{tileQuery}")).EnsureSuccessStatusCode());
        var cached = await LoadAsync(tileSet.Count * 5, concurrency, async i =>
            (await http.GetAsync($"/tiles/commune/11/{tileSet[i % tileSet.Count].X}/{tileSet[i % tileSet.Count].Y}.mvt?{tileQuery}")).EnsureSuccessStatusCode());
        var tileSql = await LoadAsync(tileSet.Count * 5, concurrency, i =>
            tiles.TileAsync("commune", 11, tileSet[i % tileSet.Count].X, tileSet[i % tileSet.Count].Y, new TileFigure(condition, "sir", period)));

        // Warm both sides (connections, JIT, plans) before the measured runs.
        await LoadAsync(2_000, concurrency, async i => (await http.GetAsync($"/api/territories/commune/{communes[i % communes.Count]}/health?condition={condition}")).EnsureSuccessStatusCode());
        await LoadAsync(2_000, concurrency, i => figures.HealthAsync("commune", communes[i % communes.Count], condition));
        var api = await LoadAsync(requests, concurrency, async i =>
            (await http.GetAsync($"/api/territories/commune/{communes[(i * 7919) % communes.Count]}/health?condition={condition}")).EnsureSuccessStatusCode());
        var sql = await LoadAsync(requests, concurrency, i => figures.HealthAsync("commune", communes[(i * 7919) % communes.Count], condition));

        Console.WriteLine();
        Console.WriteLine($"| what | p50 ms | p99 ms | requests/s |");
        Console.WriteLine($"|---|---:|---:|---:|");
        foreach (var (name, run) in new[] { ("health figures, API (HTTP)", api), ("health figures, same SQL (Npgsql)", sql), ("tile, API cold", cold),
                     ("tile, API cached", cached), ("tile, same SQL (Npgsql)", tileSql) })
            Console.WriteLine(FormattableString.Invariant($"| {name} | {run.P50:F2} | {run.P99:F2} | {run.PerSecond:F0} |"));
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"health figures: API p50 / SQL p50 = {api.P50 / sql.P50:F2} (goal ≤ 1.5)"));
        Console.WriteLine(FormattableString.Invariant($"tiles: cached p50 / cold p50 = {cached.P50 / cold.P50:F3} (goal ≤ 0.1); cold API p50 / SQL p50 = {cold.P50 / tileSql.P50:F2}"));

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
        {
            communes = communes.Count, concurrency, requests, tiles = tileSet.Count,
            health = new { api, sql, ratio = api.P50 / sql.P50 },
            tile = new { cold, cached, sql = tileSql, cachedOverCold = cached.P50 / cold.P50 },
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
