using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Analytics.Testing;
using Analytics.Models.Access;
using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;

namespace Analytics.Api.Tests.Territories;

/// <summary>A level's published figure as CSV, GeoJSON and GeoPackage, and a territory's charts, over HTTP on the demo world.</summary>
[Collection(DemoWorldCollection.Name)]
public class LevelsApiTests(DemoWorldApi api)
{
    private Task<(string Condition, string Period)> WithheldSirAsync() => api.Database.FirstAsync<string, string>(
        "SELECT condition_code, max(period) FROM features.health_indicator WHERE level = 'commune' AND statistic = 'sir' AND state = 'suppressed' GROUP BY 1 ORDER BY 1 LIMIT 1");

    private Task<long> ExportsAsync() => api.Database.ScalarAsync<long>("SELECT count(*) FROM audit.event WHERE kind = 'export'");

    [Fact]
    public async Task a_level_cluster_layer_serves_every_commune_category_and_none_where_the_count_is_withheld()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (condition, period) = await api.Database.FirstAsync<string, string>("""
            SELECT c.condition_code, c.period FROM features.territory_cluster c WHERE c.method = 'lisa' AND c.state = 'suppressed'
            GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1
            """);

        var served = (await analyst.GetFromJsonAsync<JsonElement>($"/api/levels/commune/clusters?condition={condition}&method=lisa&period={period}"))
            .EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);

        var stored = await api.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM features.territory_cluster WHERE method = 'lisa' AND condition_code = '{condition}' AND period = '{period}'
            """);
        Assert.Equal(stored, served.Count);
        var withheld = served.Values.Where(c => c.GetProperty("state").GetString() == "suppressed").ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, c => Assert.Equal(JsonValueKind.Null, c.GetProperty("category").ValueKind));
        // A category is never served for a commune whose published figure of that period is withheld.
        var secretCommunes = await api.Database.ScalarAsync<string[]>($"""
            SELECT array_agg(t.code) FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.condition_code = '{condition}' AND h.period = '{period}' AND h.statistic = 'crude_rate' AND h.state = 'suppressed'
            """);
        Assert.All(secretCommunes.Where(served.ContainsKey), code => Assert.Equal(JsonValueKind.Null, served[code].GetProperty("category").ValueKind));
        Assert.Contains(served.Values, c => c.GetProperty("category").ValueKind == JsonValueKind.String);

        var scan = await analyst.GetFromJsonAsync<JsonElement>($"/api/levels/commune/clusters?condition={condition}&method=scan&period={period}");
        var members = await api.Database.ScalarAsync<long>($"""
            SELECT coalesce(sum(cardinality(territory_ids)), 0) FROM features.scan_cluster
            WHERE condition_code = '{condition}' AND '{period}' BETWEEN period_from AND period_to
              AND health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)
            """);
        Assert.Equal(members, scan.GetArrayLength());
        var refused = await analyst.GetAsync($"/api/levels/commune/clusters?condition={condition}&method=kriging&period={period}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task a_level_exposure_layer_is_one_value_per_commune_with_its_method_and_public_values_too()
    {
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var (indicator, period) = await api.Database.FirstAsync<string, string>(
            "SELECT indicator_code, max(period) FROM features.territory_exposure WHERE method = 'area' GROUP BY 1 ORDER BY 1 LIMIT 1");

        var served = (await planner.GetFromJsonAsync<JsonElement>($"/api/levels/commune/exposures?indicator={indicator}&period={period}")).EnumerateArray().ToList();

        var communes = await api.Database.ScalarAsync<long>($"""
            SELECT count(DISTINCT e.territory_id) FROM features.territory_exposure e JOIN geo.territory t ON t.id = e.territory_id
            WHERE t.level = 'commune' AND e.indicator_code = '{indicator}' AND e.period = '{period}'
            """);
        Assert.Equal(communes, served.Count);
        Assert.Equal(served.Count, served.Select(e => e.GetProperty("code").GetString()).Distinct().Count());
        var first = served[0];
        var stored = await api.Database.ScalarAsync<double>($"""
            SELECT e.value FROM features.territory_exposure e JOIN geo.territory t ON t.id = e.territory_id
            WHERE t.level = 'commune' AND t.code = '{first.GetProperty("code").GetString()}' AND e.indicator_code = '{indicator}'
              AND e.period = '{period}' AND e.method = '{first.GetProperty("method").GetString()}'
            ORDER BY e.batch_id DESC LIMIT 1
            """);
        Assert.Equal(stored, first.GetProperty("value").GetDouble());

        // A value loaded per commune (the deprivation index) is a layer too.
        var fdep = await planner.GetFromJsonAsync<JsonElement>("/api/levels/commune/exposures?indicator=fdep");
        Assert.Equal(await api.Database.ScalarAsync<long>("SELECT count(DISTINCT (territory_id, period)) FROM facts.territory_value WHERE indicator_code = 'fdep'"), fdep.GetArrayLength());
        Assert.All(fdep.EnumerateArray(), e => Assert.Equal("territory", e.GetProperty("method").GetString()));
    }

    [Fact]
    public async Task a_whole_level_as_csv_has_every_commune_and_period_its_provenance_and_the_withheld_figures_named()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (condition, _) = await WithheldSirAsync();
        var before = await ExportsAsync();

        var bytes = await analyst.GetByteArrayAsync($"/api/levels/commune/figures?condition={condition}&statistic=sir");

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Rfc4180.Read(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Contains(rows[0], c => c.StartsWith("# source=", StringComparison.Ordinal) && c.Length > "# source=".Length);
        Assert.Contains(rows[0], c => c.StartsWith("# construction / features_build=", StringComparison.Ordinal));
        Assert.Contains(rows[0], c => c.StartsWith("# millesime_geographie / geography_vintage=2024", StringComparison.Ordinal));
        Assert.Equal(["code", "nom", "periode", "valeur", "ic_bas", "ic_haut", "etat", "etat_libelle"], rows[1]);
        var communes = await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'");
        var periods = await api.Database.ScalarAsync<long>($"SELECT count(DISTINCT period) FROM features.health_indicator WHERE condition_code = '{condition}'");
        Assert.Equal(communes * periods, rows.Count - 2);
        var withheld = rows.Skip(2).Where(r => r[6] == "suppressed").ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, r => Assert.Equal(("", "", "", "secret statistique"), (r[3], r[4], r[5], r[7])));
        Assert.Equal(before + 1, await ExportsAsync());
    }

    [Fact]
    public async Task a_level_as_geojson_is_one_feature_per_territory_with_provenance_and_no_value_where_withheld()
    {
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var (condition, period) = await WithheldSirAsync();

        var response = await planner.GetAsync($"/api/levels/commune/figures?condition={condition}&statistic=sir&period={period}&format=geojson");

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var collection = await response.Content.ReadFromJsonAsync<JsonElement>();
        var features = collection.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'"), features.Count);
        Assert.Equal(condition, collection.GetProperty("provenance").GetProperty("pathologie / condition").GetString());
        Assert.All(features, f => Assert.Equal("MultiPolygon", f.GetProperty("geometry").GetProperty("type").GetString()));
        var suppressed = features.Where(f => f.GetProperty("properties").GetProperty("state").GetString() == "suppressed").ToList();
        Assert.NotEmpty(suppressed);
        Assert.All(suppressed, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("properties").GetProperty("value").ValueKind));
        Assert.Equal(HttpStatusCode.BadRequest, (await planner.GetAsync($"/api/levels/commune/figures?condition={condition}&statistic=sir&format=geojson")).StatusCode);
    }

    [Fact]
    public async Task a_level_as_geopackage_opens_as_one_with_its_layer_its_provenance_table_and_readable_geometries()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (condition, period) = await WithheldSirAsync();
        var before = await ExportsAsync();

        var bytes = await analyst.GetByteArrayAsync($"/api/levels/departement/figures?condition={condition}&statistic=standardised_rate&period={period}&format=gpkg");

        Assert.Equal("SQLite format 3\0", Encoding.ASCII.GetString(bytes[..16]));
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.gpkg");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
            connection.Open();
            Assert.Equal(0x47504B47L, Scalar<long>(connection, "PRAGMA application_id"));
            var table = Scalar<string>(connection, "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'");
            Assert.Equal(4326L, Scalar<long>(connection, "SELECT srs_id FROM gpkg_geometry_columns"));
            Assert.Equal("attributes", Scalar<string>(connection, "SELECT data_type FROM gpkg_contents WHERE table_name = 'provenance'"));
            Assert.Equal(condition, Scalar<string>(connection, "SELECT value FROM provenance WHERE key = 'pathologie / condition'"));
            var departements = await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'departement'");
            Assert.Equal(departements, Scalar<long>(connection, $"SELECT count(*) FROM \"{table}\""));
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT geom, code, state, value FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            var geometries = new GeoPackageGeoReader();
            while (reader.Read())
            {
                var geometry = geometries.Read((byte[])reader[0]);
                Assert.True(geometry.IsValid && geometry.Area > 0, reader.GetString(1));
                Assert.Equal(reader.GetString(2) == "value", !reader.IsDBNull(3));
            }
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(before + 1, await ExportsAsync());
    }

    [Theory]
    [InlineData("?statistic=sir", HttpStatusCode.BadRequest)]
    [InlineData("?condition=X99&statistic=sir", HttpStatusCode.NotFound)]
    [InlineData("?condition=X99&statistic=median", HttpStatusCode.BadRequest)]
    [InlineData("?condition=X99&statistic=sir&format=xlsx", HttpStatusCode.BadRequest)]
    public async Task an_export_without_a_known_figure_is_refused_with_a_problem(string query, HttpStatusCode status)
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var response = await analyst.GetAsync($"/api/levels/commune/figures{query}");
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task the_three_charts_are_svg_images_titled_in_the_language_asked_and_png_on_request()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, condition) = await api.Database.FirstAsync<string, string>(
            "SELECT t.code, h.condition_code FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id WHERE h.level = 'commune' AND h.statistic = 'sir' AND h.state = 'value' ORDER BY h.value DESC LIMIT 1");
        var labels = await api.Database.FirstAsync<string, string>($"SELECT label_fr, label_en FROM catalog.indicator WHERE code = '{condition}'");

        foreach (var chart in new[] { "series", "distribution", "funnel" })
        {
            var fr = await analyst.GetAsync($"/api/territories/commune/{code}/charts/{chart}?condition={condition}&statistic=sir");
            Assert.Equal("image/svg+xml", fr.Content.Headers.ContentType?.MediaType);
            var svg = XDocument.Parse(await fr.Content.ReadAsStringAsync());
            var title = svg.Root!.Elements().First();
            Assert.Equal(("svg", "title"), (svg.Root.Name.LocalName, title.Name.LocalName));
            Assert.Contains(labels.Item1, title.Value);
            var en = XDocument.Parse(await analyst.GetStringAsync($"/api/territories/commune/{code}/charts/{chart}?condition={condition}&statistic=sir&lang=en"));
            Assert.Contains(labels.Item2, en.Root!.Elements().First().Value);
            var png = await analyst.GetByteArrayAsync($"/api/territories/commune/{code}/charts/{chart}?condition={condition}&statistic=sir&format=png");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/api/territories/commune/{code}/charts/pie?condition={condition}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/api/territories/commune/{code}/charts/series?condition={condition}&statistic=cases")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/territories/commune/00000/charts/series?condition={condition}")).StatusCode);
    }

    [Fact]
    public async Task the_funnel_names_how_many_territories_it_could_not_draw()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (condition, period) = await WithheldSirAsync();
        var code = await api.Database.ScalarAsync<string>("SELECT min(code) FROM geo.territory WHERE level = 'commune'");
        var withheld = await api.Database.ScalarAsync<long>($"""
            SELECT count(*) FROM geo.territory t LEFT JOIN features.health_indicator h ON h.territory_id = t.id AND h.condition_code = '{condition}'
                AND h.statistic = 'sir' AND h.period = '{period}'
            WHERE t.level = 'commune' AND (h.value IS NULL OR NOT EXISTS (SELECT 1 FROM features.health_indicator e WHERE e.territory_id = t.id
                AND e.condition_code = '{condition}' AND e.statistic = 'expected' AND e.period = '{period}' AND e.value > 0))
            """);

        var svg = await analyst.GetStringAsync($"/api/territories/commune/{code}/charts/funnel?condition={condition}&period={period}&statistic=sir");

        Assert.True(withheld > 0);
        Assert.Contains($"{withheld} masqués ou manquants", svg);
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
