using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Territories;

/// <summary>A custom zoning loaded on the demo world (zones of two EPCIs), read over HTTP.</summary>
[Collection(DemoWorldCollection.Name)]
public class ZoningsApiTests(DemoWorldApi api)
{
    [Fact]
    public async Task every_zone_is_listed_accepted_or_refused_with_why_and_an_accepted_zone_has_its_figures_with_their_states()
    {
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var zones = (await planner.GetFromJsonAsync<JsonElement>("/api/zonings")).EnumerateArray().ToList();

        Assert.Equal(await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.custom_zone"), zones.Count);
        Assert.All(zones, z => Assert.Equal(DemoWorldApi.Zoning, z.GetProperty("zoning").GetString()));
        Assert.All(zones.Where(z => z.GetProperty("state").GetString() == "refused"), z => Assert.False(string.IsNullOrWhiteSpace(z.GetProperty("refusal").GetString())));
        var accepted = zones.First(z => z.GetProperty("hasFigures").GetBoolean());
        var code = accepted.GetProperty("code").GetString();

        var health = await planner.GetFromJsonAsync<JsonElement>($"/api/zonings/{Uri.EscapeDataString(DemoWorldApi.Zoning)}/{code}/health?condition=hosp_asthma");

        var figures = health.GetProperty("figures").EnumerateArray().ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, f => Assert.Equal("hosp_asthma", f.GetProperty("condition").GetString()));
        var cases = figures.First(f => f.GetProperty("statistic").GetString() == "cases" && f.GetProperty("state").GetString() == "value");
        Assert.Equal(await api.Database.ScalarAsync<double>($"""
                SELECT i.value FROM features.custom_zone_indicator i JOIN geo.custom_zone z ON z.id = i.zone_id
                WHERE z.code = '{code}' AND i.condition_code = 'hosp_asthma' AND i.statistic = 'cases' AND i.period = '{cases.GetProperty("period").GetString()}'
                """), cases.GetProperty("value").GetDouble());
        Assert.Contains(health.GetProperty("states").EnumerateArray(), s => s.GetProperty("fr").GetString() == "secret statistique");
    }

    [Fact]
    public async Task a_zones_outline_is_the_union_of_its_communes_and_an_unknown_zone_is_not_found()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var code = await api.Database.ScalarAsync<string>("SELECT min(code) FROM geo.custom_zone WHERE state = 'accepted'");
        var area = await api.Database.ScalarAsync<double>($"SELECT sum(ST_Area(t.geom_l93)) FROM geo.custom_zone z JOIN geo.territory t ON t.id = ANY (z.communes) WHERE z.code = '{code}'");

        var response = await analyst.GetAsync($"/api/zonings/{Uri.EscapeDataString(DemoWorldApi.Zoning)}/{code}/geometry");

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadAsStringAsync();
        var outline = await api.Database.ScalarAsync<double>("SELECT ST_Area(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 2154))", JsonDocument.Parse(json).RootElement.GetProperty("geometry").GetRawText());
        Assert.Equal(1, outline / area, 2);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/zonings/{Uri.EscapeDataString(DemoWorldApi.Zoning)}/NOPE/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/zonings")).StatusCode);
    }
}
