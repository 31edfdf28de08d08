using Analytics.Jobs.Features;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Features;

/// <summary>Two stations on a line, territories whose representative point is where the arithmetic is easy.</summary>
public class StationValuesTests(StationValuesTests.Stations world) : IClassFixture<StationValuesTests.Stations>
{
    public sealed class Stations : IAsyncLifetime
    {
        public PostgisDatabase Database { get; } = new();
        public long LayerId { get; private set; }
        public long BatchId { get; private set; }

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            BatchId = await Database.ScalarAsync<long>("""
                INSERT INTO ingest.batch (kind, file_name, file_sha256, file_bytes, loaded_by, started_at, finished_at, status)
                VALUES ('environment', 'stations.csv', repeat('b', 64), 1, 'test', now(), now(), 'loaded') RETURNING id
                """);
            LayerId = await Database.ScalarAsync<long>("INSERT INTO geo.source_layer (kind, name, geometry_hash, batch_id) VALUES ('stations', 's', 'h', $1) RETURNING id", BatchId);
            await using var command = Database.DataSource.CreateCommand($"""
                INSERT INTO geo.source_feature (layer_id, feature_id, code, geom_l93, geom)
                SELECT {LayerId}, n, c, p, ST_Transform(p, 4326)
                FROM (VALUES (1, 'A', ST_SetSRID(ST_MakePoint(300000, 6800000), 2154)), (2, 'B', ST_SetSRID(ST_MakePoint(302000, 6800000), 2154))) s(n, c, p);
                INSERT INTO facts.feature_value VALUES ({BatchId}, {LayerId}, 1, 'no2_station', '2022', 10), ({BatchId}, {LayerId}, 2, 'no2_station', '2022', 30);
                -- NEAR_A: a 200 m square centred 500 m east of A; FAR: 100 km away.
                INSERT INTO geo.territory (level, code, name, vintage, batch_id, geom, geom_l93, area_km2)
                SELECT 'custom', c, c, 2024, {BatchId}, ST_Multi(ST_Transform(e, 4326)), ST_Multi(e), ST_Area(e) / 1e6
                FROM (VALUES ('NEAR_A', ST_MakeEnvelope(300400, 6799900, 300600, 6800100, 2154)),
                             ('FAR', ST_MakeEnvelope(400000, 6800000, 400200, 6800200, 2154))) t(c, e);
                """);
            await command.ExecuteNonQueryAsync();
        }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private async Task<Dictionary<string, (double Value, double Distance)>> ValuesAsync(string method)
    {
        await new StationValues(world.Database.DataSource).ApplyAsync(world.LayerId, world.BatchId, "custom", 2024, method);
        await using var command = world.Database.DataSource.CreateCommand("""
            SELECT t.code, e.value, e.distance_m FROM features.territory_exposure e JOIN geo.territory t ON t.id = e.territory_id WHERE e.method = $1
            """);
        command.Parameters.Add(new() { Value = method });
        await using var reader = await command.ExecuteReaderAsync();
        var values = new Dictionary<string, (double, double)>();
        while (await reader.ReadAsync())
            values[reader.GetString(0)] = (reader.GetDouble(1), reader.GetDouble(2));
        return values;
    }

    [Fact]
    public async Task the_nearest_station_gives_its_value_and_its_distance()
    {
        var values = await ValuesAsync("nearest");
        Assert.Equal(10, values["NEAR_A"].Value, 9);
        Assert.Equal(500, values["NEAR_A"].Distance, 6);
    }

    [Fact]
    public async Task inverse_distance_weighting_with_power_two_matches_the_hand_computation()
    {
        // d(A) = 500 m, d(B) = 1 500 m: (10/500² + 30/1500²) / (1/500² + 1/1500²) = (90 + 30) / (9 + 1) = 12.
        var values = await ValuesAsync("idw");
        Assert.Equal(12, values["NEAR_A"].Value, 9);
    }

    [Fact]
    public async Task a_territory_beyond_the_maximum_distance_gets_no_value()
    {
        Assert.False((await ValuesAsync("idw")).ContainsKey("FAR"));
        Assert.False((await ValuesAsync("nearest")).ContainsKey("FAR"));
    }
}
