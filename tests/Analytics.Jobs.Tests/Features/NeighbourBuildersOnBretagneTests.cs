using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Spatial;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Tests.Features;

/// <summary>
/// The two neighbour builders on real boundaries: the 1,232 Breton communes of IGN Admin Express COG 2018 (shared
/// reference data, geo/NOTICE.md; never copied into the repository), loaded through the product's territory ingest,
/// which reprojects them to Lambert-93 in PostGIS. The PostGIS builder (<see cref="Neighbours"/>) and the in-memory
/// one (<see cref="ContiguousNeighbours"/>, tolerance zero) then work on the same Lambert-93 geometries: the latter
/// reads <c>geo.territory.geom_l93</c> back, byte for byte.
/// </summary>
public class NeighbourBuildersOnBretagneTests(NeighbourBuildersOnBretagneTests.Bretagne bretagne) : IClassFixture<NeighbourBuildersOnBretagneTests.Bretagne>
{
    /// <summary>Each commune's neighbours by code, as each builder gives them under each rule.</summary>
    public sealed class Bretagne : IAsyncLifetime
    {
        private const int Vintage = 2018;

        public PostgisDatabase Database { get; } = new();
        public Dictionary<string, string> Names { get; } = [];
        public List<string> Codes { get; } = [];
        public List<Geometry> Boundaries { get; } = [];
        public Dictionary<string, string[]> PostgisQueen { get; private set; } = [];
        public Dictionary<string, string[]> PostgisRook { get; private set; } = [];
        public Dictionary<string, string[]> MemoryQueen { get; private set; } = [];
        public Dictionary<string, string[]> MemoryRook { get; private set; } = [];

        public async Task InitializeAsync()
        {
            // Found before the database is made: no reference data is a failure that says where to point.
            var departements = ReferenceData.PathOf("geo/departements-bretagne.geojson");
            var communes = ReferenceData.PathOf("geo/communes-bretagne.geojson");
            await Database.InitializeAsync();
            var ingest = new IngestService(Database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
            foreach (var (path, level) in new[] { (departements, "departement"), (communes, "commune") })
            {
                var result = await ingest.LoadAsync(new IngestRequest(IngestKind.Territories, path, Path.GetFileName(path), "test", new() { Level = level, Vintage = Vintage }));
                if (result.Outcome != IngestOutcome.Loaded || result.RowsQuarantined > 0)
                    throw new InvalidOperationException($"the Breton {level}s did not load whole: {result.Describe()}");
            }

            await using (var command = Database.DataSource.CreateCommand($"SELECT code, name, geom_l93 FROM geo.territory WHERE level = 'commune' AND vintage = {Vintage} ORDER BY code"))
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                {
                    Codes.Add(reader.GetString(0));
                    Names[reader.GetString(0)] = reader.GetString(1);
                    Boundaries.Add(reader.GetFieldValue<Geometry>(2));
                }
            PostgisQueen = await FromPostgisAsync(NeighbourRule.Queen);
            PostgisRook = await FromPostgisAsync(NeighbourRule.Rook);
            MemoryQueen = InMemory(Contiguity.Queen);
            MemoryRook = InMemory(Contiguity.Rook);
        }

        private async Task<Dictionary<string, string[]>> FromPostgisAsync(NeighbourRule rule)
        {
            var lists = await new Neighbours(Database.DataSource).ReadAsync(Levels.Commune, Vintage, rule);
            return ByCode(lists.Codes, lists.Neighbours);
        }

        public Dictionary<string, string[]> InMemory(Contiguity rule, double tolerance = 0) =>
            ByCode(Codes, ContiguousNeighbours.Build(Boundaries, rule, tolerance));

        private static Dictionary<string, string[]> ByCode(IReadOnlyList<string> codes, IReadOnlyList<IReadOnlyList<int>> neighbours) =>
            codes.Select((code, i) => (code, neighbours[i].Select(n => codes[n]).Order(StringComparer.Ordinal).ToArray())).ToDictionary(p => p.code, p => p.Item2);

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    [Fact]
    public void queen_neighbours_in_memory_are_those_of_postgis_on_the_breton_communes()
    {
        Assert.Equal(1_232, bretagne.PostgisQueen.Count);
        AssertSame(bretagne.PostgisQueen, bretagne.MemoryQueen);
        Assert.Equal(3_342, Links(bretagne.MemoryQueen));
    }

    [Fact]
    public void rook_neighbours_in_memory_are_those_of_postgis_on_the_breton_communes()
    {
        AssertSame(bretagne.PostgisRook, bretagne.MemoryRook);
        // 38 pairs fewer than queen: communes that meet only at points.
        Assert.Equal(3_304, Links(bretagne.MemoryRook));
    }

    [Fact]
    public void both_builders_leave_the_same_ten_island_communes_without_neighbours()
    {
        string[] islands =
        [
            "22016 Île-de-Bréhat", "29082 Île-de-Batz", "29083 Île-de-Sein", "29084 Île-Molène", "29155 Ouessant",
            "56069 Groix", "56085 Hœdic", "56086 Île-d'Houat", "56087 Île-aux-Moines", "56088 Île-d'Arz",
        ];
        foreach (var lists in new[] { bretagne.PostgisQueen, bretagne.PostgisRook, bretagne.MemoryQueen, bretagne.MemoryRook })
            Assert.Equal(islands, Islands(lists).Select(Named));
    }

    [Fact]
    public void belle_ile_s_four_communes_are_neighbours_of_each_other_only()
    {
        // Bangor and Le Palais cross the island; Locmaria (south-east) and Sauzon (north-west) do not meet.
        var belleIle = new Dictionary<string, string[]>
        {
            ["56009"] = ["56114", "56152", "56241"], // Bangor
            ["56114"] = ["56009", "56152"], // Locmaria
            ["56152"] = ["56009", "56114", "56241"], // Le Palais
            ["56241"] = ["56009", "56152"], // Sauzon
        };
        foreach (var lists in new[] { bretagne.PostgisQueen, bretagne.PostgisRook, bretagne.MemoryQueen, bretagne.MemoryRook })
            foreach (var (commune, neighbours) in belleIle)
                Assert.Equal(neighbours, lists[commune]);
    }

    [Fact]
    public void a_tolerance_of_a_metre_changes_nothing_and_ten_metres_join_two_communes_almost_touching_at_a_corner()
    {
        // The source was simplified keeping its topology: no gap or overlap between communes for 1 m of snapping to close.
        AssertSame(bretagne.MemoryQueen, bretagne.InMemory(Contiguity.Queen, tolerance: 1));
        AssertSame(bretagne.MemoryRook, bretagne.InMemory(Contiguity.Rook, tolerance: 1));
        // Bréal-sous-Montfort and Talensac come 5.7 m from each other where four communes nearly meet.
        var queen = bretagne.InMemory(Contiguity.Queen, tolerance: 10);
        Assert.Equal(["35037 Bréal-sous-Montfort – 35331 Talensac"], Added(bretagne.MemoryQueen, queen));
        Assert.Equal(5.67, bretagne.Boundaries[bretagne.Codes.IndexOf("35037")].Distance(bretagne.Boundaries[bretagne.Codes.IndexOf("35331")]), 2);
        AssertSame(bretagne.MemoryRook, bretagne.InMemory(Contiguity.Rook, tolerance: 10));
    }

    /// <summary>The pairs <paramref name="wider"/> has and <paramref name="lists"/> has not, each once.</summary>
    private string[] Added(Dictionary<string, string[]> lists, Dictionary<string, string[]> wider) =>
        wider.SelectMany(p => p.Value.Where(n => string.CompareOrdinal(p.Key, n) < 0 && !lists[p.Key].Contains(n)).Select(n => $"{Named(p.Key)} – {Named(n)}")).ToArray();

    private static string[] Islands(Dictionary<string, string[]> lists) =>
        lists.Where(p => p.Value.Length == 0).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Pairs of neighbours, each counted once.</summary>
    private static int Links(Dictionary<string, string[]> lists) => lists.Values.Sum(l => l.Length) / 2;

    /// <summary>Fails listing every link one side has and the other has not, by code and name.</summary>
    private void AssertSame(Dictionary<string, string[]> expected, Dictionary<string, string[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        var differences = Added(actual, expected).Select(pair => $"{pair}: missing")
            .Concat(Added(expected, actual).Select(pair => $"{pair}: extra"))
            .ToList();
        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n{string.Join("\n", differences)}");
    }

    private string Named(string code) => $"{code} {bretagne.Names[code]}";
}
