using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Territories;

/// <summary>The demo world loaded and its features built with the cumulative index (no model trained), shared by the territory and tile tests.</summary>
public sealed class DemoWorldApi : ApiFactory
{
    /// <summary>The custom zoning the fixture loads: zones of two neighbouring EPCIs of a département each (code order).</summary>
    public const string Zoning = DemoWorld.Zoning;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DemoWorld.LoadAndBuildAsync(this);
    }
}

/// <summary>The demo world loaded in a test host, with a custom zoning, and its features built with the cumulative index.</summary>
public static class DemoWorld
{
    public const string Zoning = "Contrats locaux de santé (essai)";

    public static async Task LoadAndBuildAsync(ApiFactory api)
    {
        var ingest = api.Services.GetRequiredService<IngestService>();
        foreach (var entry in LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json")).Loads)
            await ingest.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), "demo-steward", entry.Options ?? IngestOptions.Default));
        await LoadZoningAsync(api, ingest);
        var index = CumulativeIndexBuild.ReadDefinition(File.ReadAllText(RepositoryFiles.PathOf("data/catalog/cumulative_index.json")), "cumulative_index.json");
        await new FeatureBuild(api.Database.DataSource, TimeProvider.System).RunAsync(index: index);
    }

    private static async Task LoadZoningAsync(ApiFactory api, IngestService ingest)
    {
        var rows = new List<string> { "zone_code;zone_name;commune_code" };
        await using (var command = api.Database.DataSource.CreateCommand("""
            SELECT e.parent_id, e.code, c.code FROM geo.territory e JOIN geo.territory c ON c.parent_id = e.id
            WHERE e.level = 'epci' ORDER BY e.parent_id, e.code, c.code
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var epcis = new List<(long Departement, string Epci, string Commune)>();
            while (await reader.ReadAsync())
                epcis.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            foreach (var departement in epcis.GroupBy(e => e.Departement))
            {
                var codes = departement.Select(e => e.Epci).Distinct().ToList();
                foreach (var (epci, commune) in departement.Select(e => (e.Epci, e.Commune)))
                {
                    var zone = $"CLS-{departement.Key}-{codes.IndexOf(epci) / 2}";
                    rows.Add($"{zone};Contrat local de santé {zone};{commune}");
                }
            }
        }
        var file = Path.Combine(Path.GetTempPath(), $"zoning-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, rows);
        var result = await ingest.LoadAsync(new IngestRequest(IngestKind.Zoning, file, "contrats-locaux.csv", "demo-steward", new IngestOptions { Zoning = Zoning }));
        File.Delete(file);
        if (result.Outcome != IngestOutcome.Loaded)
            throw new InvalidOperationException($"the test zoning did not load: {result.Describe()}");
    }
}

[CollectionDefinition(Name)]
public sealed class DemoWorldCollection : ICollectionFixture<DemoWorldApi>
{
    public const string Name = "demo world with its features built";
}

/// <summary>Territories and their published health figures over HTTP, on the demo world with its features built.</summary>
[Collection(DemoWorldCollection.Name)]
public class TerritoriesApiTests(DemoWorldApi api)
{
    [Fact]
    public async Task a_name_is_found_whatever_its_accents_case_and_hyphens()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, name) = await FirstAsync("SELECT code, name FROM geo.territory WHERE level = 'commune' AND name ~ '[éèêÉ]' AND name LIKE '%-%' ORDER BY code LIMIT 1");
        var typed = RemoveAccents(name).ToUpperInvariant().Replace('-', ' ');

        var found = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories?q={Uri.EscapeDataString(typed)}&level=commune");

        Assert.Contains(found.EnumerateArray(), t => t.GetProperty("code").GetString() == code && t.GetProperty("name").GetString() == name);
        var byCode = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories?q={code}");
        Assert.Equal(code, byCode[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task a_commune_knows_its_epci_departement_and_region_and_the_epci_lists_it()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Planner);
        var (code, _) = await FirstAsync("SELECT code, name FROM geo.territory WHERE level = 'commune' ORDER BY code LIMIT 1");

        var commune = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{code}");
        var ancestors = commune.GetProperty("ancestors").EnumerateArray().Select(a => a.GetProperty("level").GetString()).ToList();
        Assert.Equal([Levels.Epci, Levels.Departement, Levels.Region], ancestors);

        var epci = commune.GetProperty("ancestors")[0].GetProperty("code").GetString();
        var parent = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/epci/{epci}");
        Assert.Contains(parent.GetProperty("children").EnumerateArray(), c => c.GetProperty("code").GetString() == code);
    }

    [Fact]
    public async Task a_boundary_is_geojson_in_degrees_and_simplifying_it_drops_vertices()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, _) = await FirstAsync("SELECT code, name FROM geo.territory WHERE level = 'departement' ORDER BY code LIMIT 1");

        var full = await analyst.GetAsync($"/api/territories/departement/{code}/geometry");
        Assert.Equal("application/geo+json", full.Content.Headers.ContentType?.MediaType);
        var fullJson = await full.Content.ReadFromJsonAsync<JsonElement>();
        var simplified = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/departement/{code}/geometry?simplify=500");

        Assert.Equal("Feature", fullJson.GetProperty("type").GetString());
        Assert.Equal("MultiPolygon", fullJson.GetProperty("geometry").GetProperty("type").GetString());
        var (fullPoints, simplePoints) = (Points(fullJson), Points(simplified));
        Assert.All(fullPoints, p => Assert.InRange(p.Lon, -180, 180));
        Assert.All(fullPoints, p => Assert.InRange(p.Lat, -90, 90));
        Assert.True(simplePoints.Count < fullPoints.Count, $"{simplePoints.Count} vertices after simplifying, {fullPoints.Count} before");
    }

    [Fact]
    public async Task a_withheld_figure_has_no_value_only_its_named_state()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, _) = await FirstAsync("""
            SELECT t.code, t.name FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.statistic = 'cases' AND h.state = 'suppressed' ORDER BY t.code LIMIT 1
            """);

        var health = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{code}/health");

        var withheld = health.GetProperty("figures").EnumerateArray().Where(f => f.GetProperty("state").GetString() == "suppressed").ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("value").ValueKind));
        Assert.All(withheld, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("low").ValueKind));
        Assert.Contains(health.GetProperty("states").EnumerateArray(), s => s.GetProperty("id").GetString() == "suppressed" && s.GetProperty("fr").GetString() == "secret statistique");
    }

    [Fact]
    public async Task a_commune_is_set_beside_its_ancestors_and_flagged_only_where_the_intervals_part()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, condition) = await FirstAsync("""
            SELECT t.code, h.condition_code FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.statistic = 'sir' AND h.state = 'value' AND h.ci_low > 1.5 ORDER BY h.ci_low DESC, t.code LIMIT 1
            """);

        var rows = (await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{code}/compare?condition={condition}&statistic=sir")).EnumerateArray().ToList();

        foreach (var period in rows.GroupBy(r => r.GetProperty("period").GetString()))
        {
            Assert.Equal([0, 1, 2, 3, 4], period.Select(r => r.GetProperty("depth").GetInt32()));
            // The whole last: its SIR is 1 by construction (expected cases from the batch's own rates).
            var whole = period.Last();
            Assert.Equal(("whole", ""), (whole.GetProperty("level").GetString(), whole.GetProperty("code").GetString()));
            Assert.Equal(1.0, whole.GetProperty("value").GetDouble(), 9);
            var own = period.First();
            foreach (var ancestor in period.Skip(1))
            {
                var differs = ancestor.GetProperty("differsFromTerritory");
                if (own.GetProperty("state").GetString() == "suppressed" || ancestor.GetProperty("state").GetString() == "suppressed")
                {
                    Assert.Equal(JsonValueKind.Null, differs.ValueKind);
                    continue;
                }
                var apart = own.GetProperty("high").GetDouble() < ancestor.GetProperty("low").GetDouble() || ancestor.GetProperty("high").GetDouble() < own.GetProperty("low").GetDouble();
                Assert.Equal(apart, differs.GetBoolean());
            }
        }
        // A commune whose SIR is surely above 1.5 stands apart from its region (SIR near 1, narrow interval).
        Assert.Contains(rows, r => r.GetProperty("depth").GetInt32() == 3 && r.GetProperty("differsFromTerritory").ValueKind == JsonValueKind.True);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.GetAsync($"/api/territories/commune/{code}/compare?condition={condition}&statistic=cases")).StatusCode);
    }

    [Fact]
    public async Task a_commune_profile_holds_its_exposures_clusters_scan_memberships_and_index_under_secrecy()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (scored, _) = await FirstAsync("""
            SELECT t.code, t.name FROM features.cumulative_index i JOIN geo.territory t ON t.id = i.territory_id
            WHERE i.score IS NOT NULL ORDER BY t.code LIMIT 1
            """);
        var (clustered, _) = await FirstAsync("""
            SELECT t.code, t.name FROM features.scan_cluster s JOIN geo.territory t ON t.id = ANY (s.territory_ids)
            WHERE s.state = 'value' ORDER BY t.code LIMIT 1
            """);
        var (hidden, _) = await FirstAsync("""
            SELECT t.code, t.name FROM features.territory_cluster c JOIN geo.territory t ON t.id = c.territory_id
            WHERE c.state = 'suppressed' ORDER BY t.code LIMIT 1
            """);

        var profile = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{scored}/profile");
        Assert.NotEmpty(profile.GetProperty("exposures").EnumerateArray());
        Assert.All(profile.GetProperty("exposures").EnumerateArray().Where(e => e.GetProperty("method").GetString() == "area"),
            e => Assert.InRange(e.GetProperty("coverageOrDistance").GetDouble(), 0, 1.000001));
        var index = profile.GetProperty("cumulativeIndex");
        var ranks = index.GetProperty("rankInterval").GetString()!.Split('–').Select(int.Parse).ToArray();
        Assert.True(ranks[0] <= ranks[1], $"rank interval {ranks[0]}–{ranks[1]}");

        var inCluster = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{clustered}/profile");
        var scan = inCluster.GetProperty("scanClusters").EnumerateArray().First(c => c.GetProperty("state").GetString() == "value");
        Assert.True(scan.GetProperty("relativeRisk").GetDouble() > 0);
        Assert.InRange(scan.GetProperty("pValue").GetDouble(), 0, 1);

        var withheld = await analyst.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{hidden}/profile");
        Assert.Contains(withheld.GetProperty("clusters").EnumerateArray(), c => c.GetProperty("state").GetString() == "suppressed"
            && c.GetProperty("category").ValueKind == JsonValueKind.Null && c.GetProperty("pValue").ValueKind == JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/api/territories/commune/00000/profile")).StatusCode);
    }

    [Fact]
    public async Task the_csv_export_opens_in_a_french_spreadsheet_carries_its_provenance_and_is_audited()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var (code, _) = await FirstAsync("""
            SELECT t.code, t.name FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.statistic = 'cases' AND h.state = 'suppressed' ORDER BY t.code LIMIT 1
            """);
        var audited = await api.Database.ScalarAsync<long>("SELECT count(*) FROM audit.event WHERE kind = 'export'");

        var bytes = await analyst.GetByteArrayAsync($"/api/territories/commune/{code}/health.csv");
        var comma = System.Text.Encoding.UTF8.GetString(await analyst.GetByteArrayAsync($"/api/territories/commune/{code}/health.csv?separator=comma"));

        Assert.Equal(System.Text.Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        var rows = Rfc4180.Read(text);
        Assert.StartsWith($"# territoire=commune/{code};lot_sante=", text);
        Assert.Contains(rows[0], c => c.StartsWith("licence=", StringComparison.Ordinal));
        Assert.Equal(["pathologie", "periode", "statistique", "valeur", "ic_bas", "ic_haut", "etat", "etat_libelle", "methode"], rows[1]);
        var withheld = rows.Skip(2).Where(f => f[2] == "cases" && f[6] == "suppressed").ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, f => Assert.Equal(("", "secret statistique"), (f[3], f[7])));
        Assert.Contains("pathologie,periode,statistique,valeur", comma);
        Assert.Equal(audited + 2, await api.Database.ScalarAsync<long>("SELECT count(*) FROM audit.event WHERE kind = 'export'"));
    }

    [Fact]
    public async Task an_epcis_communes_are_ranked_on_a_published_rate_with_the_withheld_ones_last()
    {
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var (epci, condition) = await FirstAsync("""
            SELECT p.code, h.condition_code FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id JOIN geo.territory p ON p.id = t.parent_id
            WHERE h.level = 'commune' AND h.statistic = 'standardised_rate' AND h.state = 'suppressed' ORDER BY p.code LIMIT 1
            """);
        var period = await api.Database.ScalarAsync<string>("SELECT max(period) FROM features.health_indicator");

        var ranked = (await planner.GetFromJsonAsync<JsonElement>($"/api/territories/epci/{epci}/ranking?condition={condition}&statistic=standardised_rate&period={period}")).EnumerateArray().ToList();

        var published = ranked.TakeWhile(r => r.GetProperty("value").ValueKind == JsonValueKind.Number).ToList();
        Assert.NotEmpty(published);
        Assert.Equal(Enumerable.Range(1, published.Count), published.Select(r => r.GetProperty("rank").GetInt32()));
        Assert.Equal(published.Select(r => r.GetProperty("value").GetDouble()).OrderDescending(), published.Select(r => r.GetProperty("value").GetDouble()));
        Assert.All(ranked.Skip(published.Count), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("rank").ValueKind));
        Assert.All(ranked.Skip(published.Count), r => Assert.NotEqual("value", r.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await planner.GetAsync($"/api/territories/epci/{epci}/ranking?condition={condition}&statistic=cases&period={period}")).StatusCode);
    }

    [Fact]
    public async Task the_catalogue_names_each_indicators_source_and_licence()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var catalogue = await analyst.GetFromJsonAsync<JsonElement>("/api/indicators");

        Assert.True(catalogue.GetArrayLength() > 5);
        Assert.All(catalogue.EnumerateArray(), i =>
        {
            Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("licence").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("source").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("labelFr").GetString()));
        });
    }

    [Theory]
    [InlineData("/api/territories/canton/01001", HttpStatusCode.BadRequest)]
    [InlineData("/api/territories/commune/00000", HttpStatusCode.NotFound)]
    [InlineData("/api/territories/commune/00000/health", HttpStatusCode.NotFound)]
    [InlineData("/api/territories?q=", HttpStatusCode.BadRequest)]
    [InlineData("/api/territories/departement/22/geometry?simplify=-1", HttpStatusCode.BadRequest)]
    public async Task bad_requests_are_named_problems(string url, HttpStatusCode status)
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var response = await analyst.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<(string, string)> FirstAsync(string sql) => api.Database.FirstAsync<string, string>(sql);

    private static List<(double Lon, double Lat)> Points(JsonElement feature) =>
        feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray()
            .SelectMany(polygon => polygon.EnumerateArray()).SelectMany(ring => ring.EnumerateArray())
            .Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();

    private static string RemoveAccents(string text) =>
        new(text.Normalize(System.Text.NormalizationForm.FormD).Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark).ToArray());
}
