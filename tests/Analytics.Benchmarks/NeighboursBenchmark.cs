using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Spatial;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Analytics.Benchmarks;

/// <summary>
/// Queen and rook neighbour lists of communes, built by PostGIS (<see cref="Neighbours"/>) and in memory
/// (<see cref="ContiguousNeighbours"/>, tolerance zero) side by side, and the in-memory one again with a snapping tolerance, on the real Breton communes (shared reference
/// data) and on a demo world (the committed région by default; the national one from <c>demo generate</c>). Each
/// world is loaded through the product's ingest into a fresh database; the in-memory builder gets the Lambert-93
/// geometries read back from it, and the time of that read is printed apart. Prints the median of the rounds and
/// whether both builders give the same lists.
/// </summary>
internal static class NeighboursBenchmark
{
    private sealed record World(string Name, string Level, int Vintage, IReadOnlyList<(string File, IngestOptions Options)> Loads);

    public static async Task<int> RunAsync(string[] args)
    {
        var worldFolder = Arguments.Option(args, "--world") ?? RepositoryFiles.PathOf("data/demo");
        var rounds = int.Parse(Arguments.Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var tolerance = double.Parse(Arguments.Option(args, "--tolerance") ?? "1", CultureInfo.InvariantCulture);
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", "neighbours.json");
        var demoLoads = LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json")).Loads
            .Where(l => l.Kind == IngestKind.Territories)
            .Select(l => (Path.Combine(worldFolder, Path.GetFileName(l.File)), l.Options ?? IngestOptions.Default))
            .ToList();
        World[] worlds =
        [
            new("Bretagne, IGN Admin Express COG 2018", "commune", 2018,
            [
                (ReferenceData.PathOf("geo/departements-bretagne.geojson"), new IngestOptions { Level = "departement", Vintage = 2018 }),
                (ReferenceData.PathOf("geo/communes-bretagne.geojson"), new IngestOptions { Level = "commune", Vintage = 2018 }),
            ]),
            new($"demo world ({worldFolder})", "commune", 2024, demoLoads),
        ];

        var results = new List<object>();
        var agree = true;
        foreach (var world in worlds)
        {
            var connectionString = await TestDatabases.CreateAsync();
            try
            {
                await using var dataSource = AnalyticsDatabase.CreateDataSource(connectionString);
                var ingest = new IngestService(dataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
                foreach (var (file, options) in world.Loads)
                {
                    var result = await ingest.LoadAsync(new IngestRequest(IngestKind.Territories, file, Path.GetFileName(file), "benchmark", options));
                    if (result.Outcome != IngestOutcome.Loaded)
                        throw new InvalidOperationException($"{world.Name}: {result.Describe()}");
                }
                await using (var analyze = dataSource.CreateCommand("ANALYZE geo.territory"))
                    await analyze.ExecuteNonQueryAsync();

                var read = Stopwatch.StartNew();
                var boundaries = await BoundariesAsync(dataSource, world);
                var readSeconds = read.Elapsed.TotalSeconds;
                var vertices = boundaries.Sum(b => b.NumPoints);
                Console.WriteLine($"{world.Name}: {boundaries.Count:N0} communes, {vertices:N0} vertices; geometries read from PostGIS in {readSeconds:N2} s");

                foreach (var (rule, contiguity) in new[] { (NeighbourRule.Queen, Contiguity.Queen), (NeighbourRule.Rook, Contiguity.Rook) })
                {
                    Neighbours.Lists? postgis = null;
                    IReadOnlyList<IReadOnlyList<int>>? memory = null;
                    var postgisSeconds = await MedianAsync(rounds, async () => postgis = await new Neighbours(dataSource).ReadAsync(world.Level, world.Vintage, rule));
                    var memorySeconds = await MedianAsync(rounds, () =>
                    {
                        memory = ContiguousNeighbours.Build(boundaries, contiguity);
                        return Task.CompletedTask;
                    });
                    var snapped = memory;
                    var snappedSeconds = await MedianAsync(rounds, () =>
                    {
                        snapped = ContiguousNeighbours.Build(boundaries, contiguity, tolerance);
                        return Task.CompletedTask;
                    });
                    var snappedLinks = snapped!.Sum(l => l.Count) / 2;
                    var links = memory!.Sum(l => l.Count) / 2;
                    var differing = Enumerable.Range(0, memory!.Count).Sum(i => memory[i].Except(postgis!.Neighbours[i]).Count() + postgis.Neighbours[i].Except(memory[i]).Count());
                    var islands = memory.Count(l => l.Count == 0);
                    agree &= differing == 0;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {rule,-5}  PostGIS {postgisSeconds,7:N2} s   in memory {memorySeconds,7:N2} s   {links:N0} links, {islands} islands, {differing} differing links;   in memory at {tolerance} m {snappedSeconds,7:N2} s, {snappedLinks:N0} links"));
                    results.Add(new { world = world.Name, communes = boundaries.Count, vertices, rule = rule.ToString(), postgisSeconds, memorySeconds, readSeconds, links, islands, differing, tolerance, snappedSeconds, snappedLinks });
                }
            }
            finally
            {
                await TestDatabases.DropAsync(connectionString);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { benchmark = "neighbours", rounds, results, measuredAt = DateTimeOffset.UtcNow },
            new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {output}");
        return agree ? 0 : 1;
    }

    /// <summary>The communes' Lambert-93 boundaries in the order of <see cref="Neighbours"/> (by code).</summary>
    private static async Task<List<Geometry>> BoundariesAsync(NpgsqlDataSource dataSource, World world)
    {
        var boundaries = new List<Geometry>();
        await using var command = dataSource.CreateCommand("SELECT geom_l93 FROM geo.territory WHERE level = $1 AND vintage = $2 ORDER BY code");
        command.Parameters.Add(new() { Value = world.Level });
        command.Parameters.Add(new() { Value = world.Vintage });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            boundaries.Add(reader.GetFieldValue<Geometry>(0));
        return boundaries;
    }

    private static async Task<double> MedianAsync(int rounds, Func<Task> run)
    {
        var seconds = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        return seconds[seconds.Count / 2];
    }
}
