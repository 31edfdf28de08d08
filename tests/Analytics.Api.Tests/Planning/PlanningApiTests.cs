using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Api.Tests.Reviews;
using Analytics.Jobs.Release;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Analytics.Models.Review;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Planning;

/// <summary>The demo world with the asthma model trained: one release pending review.</summary>
public sealed class PendingReleaseApi : ApiFactory
{
    public ModelTraining.Outcome Run { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_, Run) = await DemoRelease.PrepareAsync(this);
    }
}

/// <summary>
/// Prevention planning over HTTP: nothing of a pending or revoked release reaches the list, the simulator, the scenario,
/// the changes or their exports; an approved one is ranked by a rule a small denominator cannot dominate, explained
/// under statistical secrecy, simulated and scenarised.
/// </summary>
public class PlanningApiTests(PendingReleaseApi api) : IClassFixture<PendingReleaseApi>
{
    private const string Model = "asthma_commune";

    private static readonly string[] Routes =
    [
        $"/api/planning/{Model}/priorities", $"/api/planning/{Model}/priorities?format=csv", $"/api/planning/{Model}/targeting?territories=20",
        $"/api/planning/{Model}/targeting?territories=20&format=csv", $"/api/planning/{Model}/scenario?indicator=pm25_annual&reduction=10&unit=percent",
        $"/api/planning/{Model}/scenario?indicator=pm25_annual&reduction=10&unit=percent&format=csv", $"/api/planning/{Model}/changes",
    ];

    [Fact]
    public async Task only_the_release_in_force_reaches_planning_ranked_explained_simulated_and_scenarised()
    {
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var release = api.Run.ReleaseId!.Value;
        foreach (var route in Routes)
            Assert.Equal(HttpStatusCode.NotFound, (await planner.GetAsync(route)).StatusCode);

        var releases = api.Services.GetRequiredService<Releases>();
        await releases.ApproveAsync(release, new Decision("planning-reviewer", "Coefficients plausibles, liste relue commune par commune.", "Sous-déclaration rurale reconnue et suivie."));

        // The list: every commune, ranked by excess cases; the too uncertain at the end, unranked; the rule stated.
        var list = await planner.GetFromJsonAsync<JsonElement>($"/api/planning/{Model}/priorities");
        Assert.Equal(release, list.GetProperty("release").GetProperty("releaseId").GetInt64());
        Assert.StartsWith("Les territoires sont classés par nombre d", list.GetProperty("rule").GetProperty("fr").GetString());
        Assert.NotEmpty(list.GetProperty("limits").EnumerateArray());
        var rows = list.GetProperty("territories").EnumerateArray().ToList();
        Assert.Equal(1233, rows.Count);
        var ranked = rows.TakeWhile(r => r.GetProperty("rank").ValueKind == JsonValueKind.Number).ToList();
        Assert.Equal(Enumerable.Range(1, ranked.Count), ranked.Select(r => r.GetProperty("rank").GetInt32()));
        Assert.All(rows.Skip(ranked.Count), r => Assert.True(r.GetProperty("tooUncertain").GetBoolean()));
        var excess = ranked.Select(r => r.GetProperty("excess").GetDouble()).ToList();
        Assert.Equal(excess.OrderDescending(), excess);
        // Rank 1 is no longer a commune of a fraction of a case: it has cases enough for its ratio to mean something.
        Assert.True(ranked[0].GetProperty("predicted").GetDouble() > 2.5, ranked[0].ToString());
        Assert.Equal(3, ranked[0].GetProperty("factors").GetArrayLength());
        // The cumulative index's rank interval is the territory page's.
        var indexed = rows.First(r => r.GetProperty("indexRanks").ValueKind == JsonValueKind.String);
        var profile = await planner.GetFromJsonAsync<JsonElement>($"/api/territories/commune/{indexed.GetProperty("code").GetString()}/profile");
        Assert.Equal(profile.GetProperty("cumulativeIndex").GetProperty("rankInterval").GetString(), indexed.GetProperty("indexRanks").GetString());

        // The recorded SIR comes through the secrecy path: withheld where the published figure is, equal to it elsewhere.
        var states = rows.GroupBy(r => r.GetProperty("recordedState").GetString()).ToDictionary(g => g.Key!, g => g.ToList());
        Assert.True(states.ContainsKey("suppressed"), string.Join(", ", states.Keys));
        Assert.All(states["suppressed"], r => Assert.Equal(JsonValueKind.Null, r.GetProperty("recordedSir").ValueKind));
        var period = list.GetProperty("period").GetString();
        var published = await planner.GetStringAsync($"/api/levels/commune/figures?condition=hosp_asthma&statistic=sir&period={period}&format=csv");
        var shown = states["value"][0];
        var line = Assert.Single(published.Split('\n'), l => l.Split(';').Contains(shown.GetProperty("code").GetString()));
        Assert.Equal(shown.GetProperty("recordedSir").GetDouble(), double.Parse(line.Split(';')[3], CultureInfo.InvariantCulture));
        Assert.DoesNotContain("observed", list.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // A filter ranks within the département.
        var departement = rows[0].GetProperty("departement").GetString();
        var filtered = await planner.GetFromJsonAsync<JsonElement>($"/api/planning/{Model}/priorities?departement={departement}");
        Assert.All(filtered.GetProperty("territories").EnumerateArray(), r => Assert.Equal(departement, r.GetProperty("departement").GetString()));
        Assert.InRange(filtered.GetProperty("territories").GetArrayLength(), 1, rows.Count - 1);

        // The simulator: every rule funds 20 communes; whom each reaches adds up; the deprivation-weighted rule reaches the most deprived more than top-SIR.
        var targeting = await planner.GetFromJsonAsync<JsonElement>($"/api/planning/{Model}/targeting?territories=20&weights=excess:1,fdep:1");
        var rules = targeting.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!);
        Assert.Equal(["access_weighted", "equity_weighted", "planner_weighted", "top_excess", "top_sir"], rules.Keys.Order());
        foreach (var rule in rules.Values)
        {
            Assert.Equal(20, rule.GetProperty("territories").GetInt32());
            var reached = rule.GetProperty("excess");
            Assert.InRange(reached.GetProperty("value").GetDouble(), reached.GetProperty("low").GetDouble(), reached.GetProperty("high").GetDouble());
            foreach (var dimension in rule.GetProperty("groups").EnumerateArray().GroupBy(g => g.GetProperty("dimension").GetString()))
                Assert.Equal(1.0, dimension.Sum(g => g.GetProperty("shareCovered").GetDouble()), 9);
        }
        double QuintileFive(string rule) => rules[rule].GetProperty("groups").EnumerateArray()
            .Single(g => g.GetProperty("dimension").GetString() == "deprivation_quintile" && g.GetProperty("group").GetString() == "5").GetProperty("shareCovered").GetDouble();
        Assert.True(QuintileFive("equity_weighted") > QuintileFive("top_sir"), $"{QuintileFive("equity_weighted")} vs {QuintileFive("top_sir")}");
        Assert.Equal(10, targeting.GetProperty("overlaps").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await planner.GetAsync($"/api/planning/{Model}/targeting")).StatusCode);
        Assert.Contains("not_a_column", await (await planner.GetAsync($"/api/planning/{Model}/targeting?territories=5&weights=not_a_column:1")).Content.ReadAsStringAsync());

        // The scenario: fewer PM2.5, fewer cases under the model's association, with the coefficient's interval; the literature's function alongside.
        var scenario = await planner.GetFromJsonAsync<JsonElement>($"/api/planning/{Model}/scenario?indicator=pm25_annual&reduction=10&unit=percent");
        var total = scenario.GetProperty("total");
        Assert.InRange(total.GetProperty("value").GetDouble(), total.GetProperty("low").GetDouble(), total.GetProperty("high").GetDouble());
        Assert.Equal(1233, scenario.GetProperty("territories").GetArrayLength());
        var first = scenario.GetProperty("territories")[0];
        Assert.Equal(first.GetProperty("current").GetDouble() * 0.1, first.GetProperty("delta").GetDouble(), 9);
        Assert.StartsWith("Association sous les hypothèses du modèle", scenario.GetProperty("caveat").GetProperty("fr").GetString());
        // The model's association is the approved model's own coefficient: the BYM2 model's when it is the champion (not
        // confounded with place), else the Poisson model's; the words say which.
        async Task<double> RunCoefficient(string column) => JsonDocument.Parse(await api.Database.ScalarAsync<string>(
                $"SELECT ({column})::text FROM ml.model_run WHERE id = {api.Run.RunId}")).RootElement.EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "pm25_annual").GetProperty("estimate").GetDouble();
        async Task SetChampion(string kind)
        {
            await using var update = api.Database.OwnerDataSource.CreateCommand($"UPDATE ml.model_run SET champion = '{kind}' WHERE id = {api.Run.RunId}");
            await update.ExecuteNonQueryAsync();
        }
        var champion = await api.Database.ScalarAsync<string>($"SELECT champion FROM ml.model_run WHERE id = {api.Run.RunId}");
        var association = scenario.GetProperty("association");
        Assert.Equal(await RunCoefficient(champion == "bym2" ? "spatial->'coefficients'" : "coefficients"), association.GetProperty("beta").GetDouble(), 12);
        Assert.Contains(champion switch { "bym2" => "effet spatial BYM2, le modèle retenu", "boosted" => "référence interprétable des arbres", _ => "régression de Poisson, le modèle retenu" },
            association.GetProperty("description").GetProperty("fr").GetString());
        var inForce = (await api.Services.GetRequiredService<PublishedReleases>().InForceAsync(Model))!;
        var other = champion == "bym2" ? "poisson" : "bym2";
        await SetChampion(other);
        try
        {
            // A fresh reader (the API's keeps the release it read), on the same release with the other champion.
            var set = (await new PlanningSets(api.Database.DataSource).ReadAsync(inForce))!;
            Assert.Equal(other, ModelTraining.Name(set.Champion));
            Assert.Equal(await RunCoefficient(other == "bym2" ? "spatial->'coefficients'" : "coefficients"), set.Coefficients.Single(c => c.Name == "pm25_annual").Estimate, 12);
        }
        finally
        {
            await SetChampion(champion);
        }
        var literature = await planner.GetFromJsonAsync<JsonElement>($"/api/planning/{Model}/scenario?indicator=pm25_annual&reduction=10&unit=percent&source=pm25_mortality_spf2016");
        Assert.Contains("Santé publique France", literature.GetProperty("association").GetProperty("description").GetProperty("fr").GetString());
        Assert.Equal(Math.Log(1.15) / 10, literature.GetProperty("association").GetProperty("beta").GetDouble(), 12);
        Assert.Equal(HttpStatusCode.BadRequest, (await planner.GetAsync($"/api/planning/{Model}/scenario?indicator=fdep_typo&reduction=10&unit=percent")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await planner.GetAsync($"/api/planning/{Model}/scenario?indicator=pm25_annual&reduction=120&unit=percent")).StatusCode);

        // Exports carry their provenance and are recorded; the first release has no changes to show.
        var csv = await planner.GetStringAsync($"/api/planning/{Model}/priorities?format=csv");
        Assert.StartsWith($"# modele={Model};publication={release};", csv);
        Assert.Equal(1233 + 2, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(await api.Database.ScalarAsync<long>($"SELECT count(*) FROM audit.event WHERE kind = 'export' AND details->>'what' = 'planning-priorities.csv'") >= 1);
        Assert.Equal(0, (await planner.GetFromJsonAsync<JsonElement>($"/api/planning/{Model}/changes")).GetProperty("territories").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientWithRolesAsync(Role.Steward)).GetAsync($"/api/planning/{Model}/priorities")).StatusCode);

        // Revoked: gone from every planning route on the next request.
        await releases.RevokeAsync(release, new Decision("planning-reviewer", "Erreur de géocodage découverte après la publication."));
        foreach (var route in Routes)
            Assert.Equal(HttpStatusCode.NotFound, (await planner.GetAsync(route)).StatusCode);
    }
}
