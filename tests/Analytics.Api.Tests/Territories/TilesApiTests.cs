using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Analytics.Jobs.Features;
using Analytics.Models.Access;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace Analytics.Api.Tests.Territories;

/// <summary>Vector tiles of the demo world decoded as a map client would, at zooms 5, 8 and 11.</summary>
[Collection(DemoWorldCollection.Name)]
public class TilesApiTests(DemoWorldApi api)
{
    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(11)]
    public async Task a_tile_over_a_commune_holds_it_with_its_figure_and_state(int zoom)
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, lon, lat, condition, period, state) = await CommuneWithFigureAsync("value");
        var (x, y) = TileOf(lon, lat, zoom);

        var response = await analyst.GetAsync($"/tiles/commune/{zoom}/{x}/{y}.mvt?condition={condition}&statistic=sir&period={period}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length < 500 * 1024, $"{bytes.Length} bytes");
        var layer = Assert.Single(new MapboxTileReader().Read(new MemoryStream(bytes), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, zoom)).Layers);
        Assert.Equal("territories", layer.Name);
        var feature = Assert.Single(layer.Features, f => (string)f.Attributes["code"] == code);
        Assert.Equal(state, feature.Attributes["state"]);
        Assert.True(feature.Attributes.Exists("value"));
        Assert.True(feature.Geometry.IsValid || zoom < 8, "the commune's shape decodes");
        Assert.All(layer.Features, f => Assert.True(f.Attributes.Exists("state")));
    }

    [Fact]
    public async Task the_maps_tile_carries_only_code_and_state_and_is_smaller()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, lon, lat, condition, period, state) = await CommuneWithFigureAsync("value");
        var (x, y) = TileOf(lon, lat, 8);
        var url = $"/tiles/commune/8/{x}/{y}.mvt?condition={condition}&statistic=sir&period={period}";

        var whole = await analyst.GetByteArrayAsync(url);
        var bare = await analyst.GetByteArrayAsync(url + "&properties=state");

        var features = new MapboxTileReader().Read(new MemoryStream(bare), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 8)).Layers.Single().Features;
        Assert.Equal(state, Assert.Single(features, f => (string)f.Attributes["code"] == code).Attributes["state"]);
        Assert.All(features, f => Assert.Equal(["code", "state"], f.Attributes.GetNames().Order()));
        Assert.Equal(new MapboxTileReader().Read(new MemoryStream(whole), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 8)).Layers.Single().Features.Count, features.Count);
        Assert.True(bare.Length < 0.8 * whole.Length, $"{bare.Length} vs {whole.Length} bytes");
    }

    [Fact]
    public async Task a_withheld_figure_travels_as_its_state_without_a_value()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, lon, lat, condition, period, _) = await CommuneWithFigureAsync("suppressed");
        var (x, y) = TileOf(lon, lat, 11);

        var bytes = await analyst.GetByteArrayAsync($"/tiles/commune/11/{x}/{y}.mvt?condition={condition}&statistic=sir&period={period}");

        var feature = Assert.Single(new MapboxTileReader().Read(new MemoryStream(bytes), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 11)).Layers[0].Features,
            f => (string)f.Attributes["code"] == code);
        Assert.Equal("suppressed", feature.Attributes["state"]);
        Assert.False(feature.Attributes.Exists("value"));
    }

    [Fact]
    public async Task a_tile_carries_an_exposure_of_the_communes_from_its_layers_latest_batch()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, lon, lat, _, period, _) = await CommuneWithFigureAsync("value");
        var expected = await api.Database.ScalarAsync<double>($"""
            SELECT e.value FROM features.territory_exposure e JOIN geo.territory t ON t.id = e.territory_id
            WHERE t.level = 'commune' AND t.code = '{code}' AND e.indicator_code = 'pm25_annual' AND e.period = '{period}'
            ORDER BY e.batch_id DESC LIMIT 1
            """);
        var (x, y) = TileOf(lon, lat, 8);

        var bytes = await analyst.GetByteArrayAsync($"/tiles/commune/8/{x}/{y}.mvt?exposure=pm25_annual&period={period}");

        var features = new MapboxTileReader().Read(new MemoryStream(bytes), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 8)).Layers[0].Features;
        var feature = Assert.Single(features, f => (string)f.Attributes["code"] == code);
        Assert.Equal(expected, Convert.ToDouble(feature.Attributes["value"], System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal("value", feature.Attributes["state"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/tiles/commune/8/{x}/{y}.mvt?exposure=pm25_annual")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/tiles/commune/8/{x}/{y}.mvt?exposure=pm25_annual&condition=hosp_asthma&statistic=sir&period={period}")).StatusCode);
    }

    [Fact]
    public async Task a_tile_is_revalidated_by_its_etag_until_a_new_build_changes_it()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (_, lon, lat, _, _, _) = await CommuneWithFigureAsync("value");
        var (x, y) = TileOf(lon, lat, 8);
        var url = $"/tiles/departement/8/{x}/{y}.mvt";

        var first = await analyst.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control: {first.Headers.CacheControl}");
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await analyst.SendAsync(again)).StatusCode);

        await api.Database.ScalarAsync<long>("INSERT INTO features.build (finished_at) VALUES (now()) RETURNING id");
        var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(etag);
        var rebuilt = await analyst.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.NotEqual(etag, rebuilt.Headers.ETag);
    }

    [Fact]
    public async Task the_tilejson_document_points_at_the_tiles_and_bounds_the_demo_world()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Planner);
        var document = JsonDocument.Parse(await analyst.GetStringAsync("/tiles/commune.json")).RootElement;

        Assert.Equal("3.0.0", document.GetProperty("tilejson").GetString());
        Assert.EndsWith("/tiles/commune/{z}/{x}/{y}.mvt", document.GetProperty("tiles")[0].GetString());
        var bounds = document.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        var (_, lon, lat, _, _, _) = await CommuneWithFigureAsync("value");
        Assert.InRange(lon, bounds[0], bounds[2]);
        Assert.InRange(lat, bounds[1], bounds[3]);

        // The views: the communes outside the overseas départements first (the map opens on them), then the overseas
        // département, each with its own box; together they make the whole extent.
        var views = document.GetProperty("views").EnumerateArray().ToList();
        var (overseasCode, overseasName) = await api.Database.FirstAsync<string, string>("SELECT code, name FROM geo.territory WHERE level = 'departement' AND code LIKE '97%'");
        Assert.Equal(2, views.Count);
        Assert.Equal(JsonValueKind.Null, views[0].GetProperty("departement").ValueKind);
        Assert.Equal(overseasCode, views[1].GetProperty("departement").GetString());
        Assert.Equal(overseasName, views[1].GetProperty("name").GetString());
        Assert.Equal(await api.Database.ScalarAsync<long>($"SELECT count(*) FROM geo.territory WHERE level = 'commune' AND code NOT LIKE '{overseasCode}%'"),
            views[0].GetProperty("territories").GetInt64());
        Assert.Equal(await api.Database.ScalarAsync<long>($"SELECT count(*) FROM geo.territory WHERE level = 'commune' AND code LIKE '{overseasCode}%'"),
            views[1].GetProperty("territories").GetInt64());
        double[] Box(JsonElement view) => [.. view.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble())];
        var (main, overseas) = (Box(views[0]), Box(views[1]));
        Assert.True(overseas[2] < main[0] || overseas[0] > main[2] || overseas[3] < main[1] || overseas[1] > main[3],
            $"the views' boxes overlap: [{string.Join(", ", main)}] and [{string.Join(", ", overseas)}]");
        Assert.Equal(new[] { Math.Min(main[0], overseas[0]), Math.Min(main[1], overseas[1]), Math.Max(main[2], overseas[2]), Math.Max(main[3], overseas[3]) }, bounds);
    }

    [Theory]
    [InlineData("/tiles/commune/15/0/0.mvt")]
    [InlineData("/tiles/commune/3/8/0.mvt")]
    [InlineData("/tiles/canton/3/0/0.mvt")]
    [InlineData("/tiles/commune/3/0/0.mvt?condition=asthma")]
    [InlineData("/tiles/commune/3/0/0.mvt?properties=state")]
    [InlineData("/tiles/commune/3/0/0.mvt?condition=asthma&statistic=sir&period=2023&properties=name")]
    public async Task a_tile_outside_the_grid_or_half_a_figure_is_a_named_problem(string url)
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var response = await analyst.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A commune whose latest SIR has the given state, with a point inside it and the figure's condition and period.</summary>
    private async Task<(string Code, double Lon, double Lat, string Condition, string Period, string State)> CommuneWithFigureAsync(string state)
    {
        await using var command = api.Database.DataSource.CreateCommand($"""
            SELECT t.code, ST_X(ST_PointOnSurface(t.geom)), ST_Y(ST_PointOnSurface(t.geom)), h.condition_code, h.period, h.state
            FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.statistic = 'sir' AND h.state = '{state}' ORDER BY t.area_km2 DESC, h.period DESC LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no commune with a {state} SIR in the demo world");
        return (reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetString(3), reader.GetString(4), reader.GetString(5));
    }

    /// <summary>The slippy-map tile holding a point (OSM convention, y from the north).</summary>
    internal static (int X, int Y) TileOf(double lon, double lat, int zoom)
    {
        var n = 1 << zoom;
        var rad = lat * Math.PI / 180;
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n));
    }
}
