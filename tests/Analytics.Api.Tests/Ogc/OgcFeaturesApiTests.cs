using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Api.Tests.Territories;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Ogc;

/// <summary>The sequence a GIS client (QGIS) follows against OGC API – Features, on the demo world, with a personal token.</summary>
[Collection(DemoWorldCollection.Name)]
public class OgcFeaturesApiTests(DemoWorldApi api)
{
    [Fact]
    public async Task landing_conformance_collections_items_and_paging_as_a_client_walks_them()
    {
        var client = await api.ClientWithRolesAsync(Role.Analyst);

        var landing = await client.GetFromJsonAsync<JsonElement>("/ogc");
        var data = Href(landing, "data");
        var conformance = await client.GetFromJsonAsync<JsonElement>(Href(landing, "conformance"));
        Assert.Contains(conformance.GetProperty("conformsTo").EnumerateArray(), c => c.GetString() == "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core");
        Assert.Contains(conformance.GetProperty("conformsTo").EnumerateArray(), c => c.GetString() == "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");

        var collections = await client.GetFromJsonAsync<JsonElement>(data);
        var communes = collections.GetProperty("collections").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "commune");
        var firstPage = await client.GetAsync(Href(communes, "items").Replace("/items", "/items?limit=500", StringComparison.Ordinal));
        Assert.Equal("application/geo+json", firstPage.Content.Headers.ContentType?.MediaType);
        var page = await firstPage.Content.ReadFromJsonAsync<JsonElement>();

        var matched = page.GetProperty("numberMatched").GetInt64();
        Assert.Equal(await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'"), matched);
        var codes = new List<string>();
        while (true)
        {
            Assert.Equal("FeatureCollection", page.GetProperty("type").GetString());
            Assert.Equal(page.GetProperty("features").GetArrayLength(), page.GetProperty("numberReturned").GetInt32());
            codes.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("code").GetString()!));
            if (Links(page, "next").FirstOrDefault() is not { } next)
                break;
            page = await client.GetFromJsonAsync<JsonElement>(next);
        }
        Assert.Equal(matched, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.NotEmpty(Links(page, "prev"));
    }

    [Fact]
    public async Task a_bbox_keeps_the_features_that_meet_it()
    {
        var client = await api.ClientWithRolesAsync(Role.Planner);
        var all = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/departement/items");
        var (west, south) = await PointAsync();

        var near = await client.GetFromJsonAsync<JsonElement>(FormattableString.Invariant($"/ogc/collections/commune/items?bbox={west - 0.01},{south - 0.01},{west + 0.01},{south + 0.01}"));

        Assert.InRange(near.GetProperty("numberMatched").GetInt64(), 1, 20);
        Assert.True(all.GetProperty("numberMatched").GetInt64() > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/ogc/collections/commune/items?bbox=1,2,3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ogc/collections/canton/items")).StatusCode);
    }

    [Fact]
    public async Task each_level_crossed_with_a_published_rate_is_a_collection_whose_items_carry_the_figure_its_state_and_no_withheld_value()
    {
        var client = await api.ClientWithRolesAsync(Role.Analyst);
        var collections = (await client.GetFromJsonAsync<JsonElement>("/ogc/collections")).GetProperty("collections").EnumerateArray().ToList();
        var (condition, period) = await api.Database.FirstAsync<string, string>(
            "SELECT condition_code, max(period) FROM features.health_indicator WHERE statistic = 'sir' AND state = 'suppressed' AND level = 'commune' GROUP BY 1 ORDER BY 1 LIMIT 1");
        var id = $"commune.{condition}.sir";

        var described = Assert.Single(collections, c => c.GetProperty("id").GetString() == id);
        Assert.Contains("SIR", described.GetProperty("title").GetString());
        var interval = described.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        Assert.EndsWith($"{period}-12-31T23:59:59Z", interval[1].GetString());
        Assert.DoesNotContain(collections, c => c.GetProperty("id").GetString()!.EndsWith(".cases", StringComparison.Ordinal));

        var page = await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/{id}/items?datetime={period}&limit=1000");
        var features = page.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'"), page.GetProperty("numberMatched").GetInt64());
        Assert.All(features, f => Assert.Equal(period, f.GetProperty("properties").GetProperty("period").GetString()));
        var withheld = features.Where(f => f.GetProperty("properties").GetProperty("state").GetString() == "suppressed").ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, f =>
        {
            Assert.Equal(JsonValueKind.Null, f.GetProperty("properties").GetProperty("value").ValueKind);
            Assert.Equal("secret statistique", f.GetProperty("properties").GetProperty("state_fr").GetString());
        });
        var published = features.First(f => f.GetProperty("properties").GetProperty("state").GetString() == "value");
        var code = published.GetProperty("properties").GetProperty("code").GetString();
        Assert.Equal(await api.Database.ScalarAsync<double>(
                $"SELECT h.value FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id WHERE t.level = 'commune' AND t.code = '{code}' AND h.condition_code = '{condition}' AND h.statistic = 'sir' AND h.period = '{period}'"),
            published.GetProperty("properties").GetProperty("value").GetDouble(), 12);

        var one = await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/{id}/items/{published.GetProperty("id").GetString()}");
        Assert.Equal(code, one.GetProperty("properties").GetProperty("code").GetString());
        Assert.Equal("MultiPolygon", one.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/ogc/collections/{id}/items/{code}_1900")).StatusCode);
    }

    [Theory]
    [InlineData("2019/2020", 2)]
    [InlineData("../2019", 1)]
    [InlineData("2019-01-01T00:00:00Z/..", 5)]
    [InlineData("2021-06-30T12:00:00Z", 1)]
    public async Task datetime_keeps_the_periods_whose_year_it_covers(string datetime, int periods)
    {
        var client = await api.ClientWithRolesAsync(Role.Planner);
        var condition = await api.Database.ScalarAsync<string>("SELECT min(condition_code) FROM features.health_indicator");
        var region = await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'region'");
        Assert.Equal(("2019", "2023"), await api.Database.FirstAsync<string, string>($"SELECT min(period), max(period) FROM features.health_indicator WHERE condition_code = '{condition}'"));
        Assert.Equal(5, await api.Database.ScalarAsync<long>($"SELECT count(DISTINCT period) FROM features.health_indicator WHERE condition_code = '{condition}'"));

        var page = await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/region.{condition}.standardised_rate/items?datetime={Uri.EscapeDataString(datetime)}");

        Assert.Equal(region * periods, page.GetProperty("numberMatched").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/ogc/collections/region.{condition}.sir/items?datetime=2021/2019")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/ogc/collections/region.{condition}.sir/items?datetime=yesterday")).StatusCode);
    }

    [Fact]
    public async Task every_document_has_an_html_form_with_no_script_and_the_same_content()
    {
        var client = await api.ClientWithRolesAsync(Role.Analyst);
        foreach (var path in new[] { "/ogc?f=html", "/ogc/conformance?f=html", "/ogc/collections?f=html", "/ogc/collections/departement/items?f=html&limit=5" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Analytics.Api.Platform.SecurityHeaders.DocumentPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        }
        var departement = await api.Database.ScalarAsync<string>("SELECT min(name) FROM geo.territory WHERE level = 'departement'");
        Assert.Contains(System.Net.WebUtility.HtmlEncode(departement), await client.GetStringAsync("/ogc/collections/departement/items?f=html"));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/ogc?f=xml")).StatusCode);
    }

    [Fact]
    public async Task an_anonymous_gis_client_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/ogc/collections/commune/items")).StatusCode);
    }

    private async Task<(double Lon, double Lat)> PointAsync()
    {
        await using var command = api.Database.DataSource.CreateCommand(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM geo.territory WHERE level = 'commune' ORDER BY code LIMIT 1) x");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDouble(0), reader.GetDouble(1));
    }

    private static string Href(JsonElement document, string rel) => Links(document, rel).Single();

    /// <summary>The links of a relation in the JSON encodings (each document also links its HTML form).</summary>
    private static List<string> Links(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel && l.GetProperty("type").GetString() != "text/html")
            .Select(l => l.GetProperty("href").GetString()!).ToList();
}
