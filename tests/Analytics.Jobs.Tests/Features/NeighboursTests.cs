using Analytics.Jobs.Features;
using Analytics.Models.Spatial;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Features;

/// <summary>
/// A 3 × 3 chessboard of 1 km squares (A1 … C3) and an island far off: contiguity known by
/// construction — the centre touches 8 squares (queen) but shares an edge with 4 (rook).
/// </summary>
public class NeighboursTests(NeighboursTests.Board board) : IClassFixture<NeighboursTests.Board>
{
    public sealed class Board : IAsyncLifetime
    {
        public PostgisDatabase Database { get; } = new();

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            var batch = await Database.ScalarAsync<long>("""
                INSERT INTO ingest.batch (kind, file_name, file_sha256, file_bytes, loaded_by, started_at, finished_at, status)
                VALUES ('territories', 'board', repeat('c', 64), 1, 'test', now(), now(), 'loaded') RETURNING id
                """);
            await using var command = Database.DataSource.CreateCommand($"""
                INSERT INTO geo.territory (level, code, name, vintage, batch_id, geom, geom_l93, area_km2)
                SELECT 'custom', code, code, 2024, {batch}, ST_Multi(ST_Transform(e, 4326)), ST_Multi(e), 1
                FROM (SELECT chr(65 + i) || (j + 1) AS code, ST_MakeEnvelope(500000 + i * 1000, 6700000 + j * 1000, 501000 + i * 1000, 6701000 + j * 1000, 2154) AS e
                      FROM generate_series(0, 2) i, generate_series(0, 2) j
                      UNION ALL SELECT 'ISLAND', ST_MakeEnvelope(560000, 6700000, 561000, 6701000, 2154)) s
                """);
            await command.ExecuteNonQueryAsync();
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private async Task<Dictionary<string, string[]>> NeighboursOf(NeighbourRule rule, int k = 6, double distance = 10_000)
    {
        var lists = await new Neighbours(board.Database.DataSource).ReadAsync("custom", 2024, rule, k, distance);
        return lists.Codes.Select((code, i) => (code, lists.Neighbours[i].Select(n => lists.Codes[n]).Order().ToArray())).ToDictionary(p => p.code, p => p.Item2);
    }

    [Fact]
    public async Task queen_contiguity_counts_corners_and_rook_contiguity_does_not()
    {
        var queen = await NeighboursOf(NeighbourRule.Queen);
        var rook = await NeighboursOf(NeighbourRule.Rook);
        Assert.Equal(["A1", "A2", "A3", "B1", "B3", "C1", "C2", "C3"], queen["B2"]);
        Assert.Equal(["A2", "B1", "B3", "C2"], rook["B2"]);
        Assert.Equal(["A2", "B1", "B2"], queen["A1"]);
        Assert.Equal(["A2", "B1"], rook["A1"]);
    }

    [Fact]
    public async Task an_island_has_no_contiguous_neighbour_and_the_statistics_are_told_so()
    {
        var lists = await new Neighbours(board.Database.DataSource).ReadAsync("custom", 2024, NeighbourRule.Queen);
        Assert.Equal(["ISLAND"], lists.Islands);
        var weights = SpatialWeights.FromNeighbours(lists.Neighbours, WeightStyle.RowStandardised);
        Assert.Single(weights.Islands);
    }

    [Fact]
    public async Task nearest_neighbours_and_distance_bands_reach_across_the_sea()
    {
        var nearest = await NeighboursOf(NeighbourRule.Nearest, k: 2);
        Assert.All(nearest.Values, n => Assert.Equal(2, n.Length));
        Assert.Equal(["C1", "C2"], nearest["ISLAND"]); // 58 km west: C1 level with it, C2 one row up
        var band = await NeighboursOf(NeighbourRule.DistanceBand, distance: 1_000);
        Assert.Equal(["A2", "B1", "B3", "C2"], band["B2"]); // centres 1 km apart, diagonals √2 km
        Assert.Empty(band["ISLAND"]);
    }
}
