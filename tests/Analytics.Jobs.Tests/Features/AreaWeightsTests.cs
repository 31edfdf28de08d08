using Analytics.Jobs.Features;
using Analytics.Testing;
using Npgsql;

namespace Analytics.Jobs.Tests.Features;

/// <summary>
/// Areal interpolation on geometry whose answer is known by construction: a 4 × 4 km grid of
/// 1 km cells at (100 000, 6 800 000) in Lambert-93, and territories drawn on it.
/// </summary>
public class AreaWeightsTests(AreaWeightsTests.Grid grid) : IClassFixture<AreaWeightsTests.Grid>
{
    private PostgisDatabase Db => grid.Database;

    /// <summary>The grid and territories, built once for the class.</summary>
    public sealed class Grid : IAsyncLifetime
    {
        private const double X0 = 100_000, Y0 = 6_800_000;
        public PostgisDatabase Database { get; } = new();
        public long LayerId { get; private set; }
        public long BatchId { get; private set; }

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            var db = Database;
            BatchId = await db.ScalarAsync<long>("""
                INSERT INTO ingest.batch (kind, file_name, file_sha256, file_bytes, loaded_by, started_at, finished_at, status)
                VALUES ('environment', 'grid.csv', repeat('a', 64), 1, 'test', now(), now(), 'loaded') RETURNING id
                """);
            LayerId = await db.ScalarAsync<long>("INSERT INTO geo.source_layer (kind, name, geometry_hash, cell_size_m, batch_id) VALUES ('grid', 'g', 'h', 1000, $1) RETURNING id", BatchId);
            var layerId = LayerId;
            var batchId = BatchId;
            // Cell (i, j) has value i + 10 j for 'gradient', 7 everywhere for 'constant', 100 inhabitants for 'population'.
            await Execute($"""
                INSERT INTO geo.source_feature (layer_id, feature_id, code, geom_l93, geom)
                SELECT {layerId}, i * 4 + j + 1, i || '_' || j, e, ST_Transform(e, 4326)
                FROM generate_series(0, 3) i, generate_series(0, 3) j,
                     LATERAL ST_MakeEnvelope({X0} + i * 1000, {Y0} + j * 1000, {X0} + (i + 1) * 1000, {Y0} + (j + 1) * 1000, 2154) e;
                INSERT INTO facts.feature_value (batch_id, layer_id, feature_id, indicator_code, period, value)
                SELECT {batchId}, {layerId}, i * 4 + j + 1, ind, '2022', CASE ind WHEN 'gradient' THEN i + 10 * j WHEN 'constant' THEN 7 ELSE 100 END
                FROM generate_series(0, 3) i, generate_series(0, 3) j, unnest(ARRAY['gradient', 'constant', 'population']) ind;
                """);
            await AddTerritory("ONE", X0, Y0, X0 + 1000, Y0 + 1000);                 // exactly cell (0, 0)
            await AddTerritory("WEST", X0, Y0, X0 + 2000, Y0 + 4000);                // left half of the grid
            await AddTerritory("EAST", X0 + 2000, Y0, X0 + 4000, Y0 + 4000);         // right half
            await AddTerritory("HALFOUT", X0 + 3500, Y0 + 1000, X0 + 4500, Y0 + 2000); // half outside the grid
            await AddTerritory("STRADDLE", X0 + 500, Y0 + 2000, X0 + 1500, Y0 + 3000); // half of cell (0, 2), half of (1, 2)
        }

        public Task DisposeAsync() => Database.DisposeAsync();

        private async Task AddTerritory(string code, double xmin, double ymin, double xmax, double ymax) => await Execute(FormattableString.Invariant($"""
            INSERT INTO geo.territory (level, code, name, vintage, batch_id, geom, geom_l93, area_km2)
            SELECT 'custom', '{code}', '{code}', 2024, {BatchId}, ST_Multi(ST_Transform(e, 4326)), ST_Multi(e), ST_Area(e) / 1e6
            FROM ST_MakeEnvelope({xmin}, {ymin}, {xmax}, {ymax}, 2154) e
            """));

        private async Task Execute(string sql)
        {
            await using var command = Database.DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<Dictionary<string, (double Value, double Coverage)>> ExposuresAsync(string indicator, string method)
    {
        var weights = new AreaWeights(Db.DataSource, TimeProvider.System);
        var set = await weights.EnsureAsync(grid.LayerId, "custom", 2024);
        await weights.ApplyAsync(set, grid.BatchId, method == "population" ? "population" : null);
        await using var command = Db.DataSource.CreateCommand("""
            SELECT t.code, e.value, e.coverage FROM features.territory_exposure e JOIN geo.territory t ON t.id = e.territory_id
            WHERE e.indicator_code = $1 AND e.method = $2
            """);
        command.Parameters.Add(new() { Value = indicator });
        command.Parameters.Add(new() { Value = method });
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, (double, double)>();
        while (await reader.ReadAsync())
            result[reader.GetString(0)] = (reader.GetDouble(1), reader.GetDouble(2));
        return result;
    }

    [Fact]
    public async Task a_constant_field_gives_that_constant_everywhere()
    {
        var exposures = await ExposuresAsync("constant", "area");
        Assert.Equal(5, exposures.Count);
        Assert.All(exposures.Values, e => Assert.Equal(7, e.Value, 9));
    }

    [Fact]
    public async Task a_territory_equal_to_one_cell_gets_that_cells_value()
    {
        var exposures = await ExposuresAsync("gradient", "area");
        Assert.Equal(0, exposures["ONE"].Value, 9);   // cell (0, 0): 0 + 10 × 0
        Assert.Equal(1, exposures["ONE"].Coverage, 9);
    }

    [Fact]
    public async Task a_territory_straddling_two_cells_gets_the_mean_of_their_values()
    {
        var exposures = await ExposuresAsync("gradient", "area");
        Assert.Equal((20 + 21) / 2.0, exposures["STRADDLE"].Value, 9); // cells (0, 2) = 20 and (1, 2) = 21, half each
    }

    [Fact]
    public async Task totals_are_conserved_when_territories_tile_the_grid()
    {
        // Σ over cells of value × area = Σ over the two halves of mean value × area.
        var exposures = await ExposuresAsync("gradient", "area");
        var cellTotal = Enumerable.Range(0, 4).SelectMany(i => Enumerable.Range(0, 4).Select(j => (i + 10.0 * j) * 1e6)).Sum();
        var territoryTotal = exposures["WEST"].Value * 8e6 + exposures["EAST"].Value * 8e6;
        Assert.Equal(cellTotal, territoryTotal, 3);
    }

    [Fact]
    public async Task a_territory_half_outside_the_grid_says_so_in_its_coverage()
    {
        var exposures = await ExposuresAsync("gradient", "area");
        Assert.Equal(0.5, exposures["HALFOUT"].Coverage, 9);
        Assert.Equal(13, exposures["HALFOUT"].Value, 9); // only cell (3, 1) = 3 + 10 counts, not the missing outside
    }

    [Fact]
    public async Task population_weights_equal_area_weights_when_population_is_uniform()
    {
        var byArea = await ExposuresAsync("gradient", "area");
        var byPopulation = await ExposuresAsync("gradient", "population");
        foreach (var (code, exposure) in byArea)
            Assert.Equal(exposure.Value, byPopulation[code].Value, 9);
    }

    [Fact]
    public async Task weights_are_computed_once_per_layer_and_zoning()
    {
        var weights = new AreaWeights(Db.DataSource, TimeProvider.System);
        var first = await weights.EnsureAsync(grid.LayerId, "custom", 2024);
        var second = await weights.EnsureAsync(grid.LayerId, "custom", 2024);
        Assert.Equal(first, second);
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM geo.interp_weight_set WHERE layer_id = $1", grid.LayerId));
        // ONE: 1 pair; WEST, EAST: 8 each; HALFOUT: 1; STRADDLE: 2.
        Assert.Equal(20L, await Db.ScalarAsync<long>("SELECT pairs FROM geo.interp_weight_set WHERE id = $1", first));
    }
}
