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

    private static List<string> Links(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("href").GetString()!).ToList();
}
