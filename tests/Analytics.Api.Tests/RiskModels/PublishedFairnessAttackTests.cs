using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Api.Tests.Access;
using Analytics.Api.Tests.Reviews;
using Analytics.Models.Access;
using Analytics.Models.Secrecy;
using Analytics.Testing.Secrecy;

namespace Analytics.Api.Tests.RiskModels;

/// <summary>
/// The attack that once gave recorded counts back from the fairness report, replayed over HTTP on the demo world
/// once a reviewer has approved the release (with one territory excluded): an analyst reads every artefact the
/// route table offers and tries O = E + r√E, group sums and their differences (between groups, dimensions, the
/// total and the territories left after the exclusion). Ground truth comes from the database; the test fails when
/// any recorded count of 1–10 is pinned within its protection interval.
/// </summary>
public class PublishedFairnessAttackTests(PublicationGateTests.TrainedApi api) : IClassFixture<PublicationGateTests.TrainedApi>
{
    private const string Model = "asthma_commune";

    /// <summary>Each audited territory with its public groups, its predicted count E over the audited years, and its recorded count.</summary>
    private async Task<List<PublishedSumsAttack.Territory>> TerritoriesAsync(long runId)
    {
        await using var command = api.Database.DataSource.CreateCommand($"""
            SELECT t.code, r.groups::text, p.predicted, r.observed
            FROM (SELECT territory_id, sum(observed)::bigint AS observed, (array_agg(groups::text))[1]::jsonb AS groups
                  FROM features.feature_matrix_row WHERE matrix_id = (SELECT matrix_id FROM ml.model_run WHERE id = {runId})
                  GROUP BY territory_id) r
            JOIN (SELECT territory_id, sum(predicted) AS predicted FROM ml.prediction WHERE run_id = {runId} GROUP BY territory_id) p USING (territory_id)
            JOIN geo.territory t ON t.id = r.territory_id
            ORDER BY t.code
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var territories = new List<PublishedSumsAttack.Territory>();
        while (await reader.ReadAsync())
            territories.Add(new(reader.GetString(0), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(1))!, reader.GetDouble(2), reader.GetInt64(3)));
        return territories;
    }

    private static List<(string Dimension, string Label)> GroupsOf(JsonElement report) =>
        report.GetProperty("dimensions").EnumerateArray()
            .SelectMany(d => d.GetProperty("groups").EnumerateArray().Select(g => (d.GetProperty("dimension").GetString()!, g.GetProperty("label").GetString()!)))
            .ToList();

    [Fact]
    public async Task after_approval_no_recorded_count_of_1_to_10_can_be_derived_from_what_an_analyst_reads()
    {
        var release = api.Run.ReleaseId ?? throw new InvalidOperationException($"the run failed its checks: {string.Join("; ", api.Run.FailedChecks)}");
        var territories = await TerritoriesAsync(api.Run.RunId);
        var rule = SecrecyRule.Default;
        var small = territories.Where(t => rule.IsSmall(t.Truth)).ToList();
        Assert.True(small.Count > 50, $"the demo world should hold many small counts, found {small.Count}");

        // A reviewer excludes a territory whose count is small (the exclusion attack: total − the others), then approves.
        var excluded = small[0].Code;
        var reviewer = await api.ClientForAsync(await api.NewAccountAsync([Role.Reviewer]));
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync($"/api/reviews/{release}/exclusions",
            new { territory = excluded, reason = "Zone d'activité sans résidents : population de référence erronée." })).StatusCode);
        var approval = await reviewer.PostAsJsonAsync($"/api/reviews/{release}/approve", new
        {
            justification = "Coefficients plausibles, carte cohérente avec la surveillance régionale.",
            acknowledgement = "Sous-déclaration possible dans les communes rurales défavorisées : liste relue commune par commune.",
        });
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);

        // The analyst reads every GET route once (the fairness report's three forms among them) and each territory's route.
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var bodies = new Dictionary<string, string>();
        foreach (var route in RouteTable.Of(api.Services).Where(r => r.Method == "GET"))
            foreach (var territory in route.Pattern.Contains("{territory}", StringComparison.Ordinal) ? small.Select(t => t.Code).Prepend(excluded).Take(40) : [""])
            {
                var path = route.Pattern.Replace("{code}", Model).Replace("{territory}", territory).Replace("{id:long}", release.ToString(CultureInfo.InvariantCulture));
                var response = await analyst.SendAsync(RouteTable.RequestFor(route with { Pattern = path }));
                bodies[path] = await response.Content.ReadAsStringAsync();
            }
        var fairness = $"/api/models/{Model}/fairness";
        // Both forms of the report (as trained, reweighted) are sums of the same recorded counts: one system.
        var reports = JsonDocument.Parse(bodies[fairness]).RootElement.GetProperty("reports").EnumerateObject().Select(r => r.Value.GetProperty("report")).ToList();
        Assert.Equal(2, reports.Count);
        var fairnessArtefacts = string.Join("\n", bodies[fairness], bodies[fairness + ".html"], bodies[fairness + ".csv"]);

        // 1. No territory-level data in the report an analyst reads: no code, so no residual to put in O = E + r√E.
        var codes = territories.Select(t => t.Code).ToList();
        Assert.Empty(PublishedSumsAttack.CodesIn(fairnessArtefacts, codes));
        Assert.Empty(PublishedSumsAttack.ResidualBreaches(PublishedSumsAttack.ResidualsIn(fairnessArtefacts, codes), territories, rule));

        // 2. Group sums, the total and every difference between them — the excluded territory's E unknown to the reader.
        var known = territories.Select(t => t.Code == excluded ? t with { Predicted = null } : t).ToList();
        var sums = reports.SelectMany(r => PublishedSumsAttack.SumsIn(r)).DistinctBy(s => s.Key).ToDictionary();
        Assert.NotEmpty(sums);
        Assert.Empty(PublishedSumsAttack.DifferencingBreaches(known, GroupsOf(reports[0]), sums, rule));

        // 3. The excluded territory answers like a code that does not exist.
        var territoryRoute = $"/api/models/{Model}/territories/";
        Assert.Equal((await analyst.GetAsync(territoryRoute + "ZZ999")).StatusCode, (await analyst.GetAsync(territoryRoute + excluded)).StatusCode);

        // The attacks are real. Had the report given the total before and after the exclusion (the sum over the
        // territories left), the difference would give the excluded territory's count back:
        var zoned = known.Select(t => t with { Groups = new Dictionary<string, string>(t.Groups) { ["zone"] = t.Code == excluded ? "excluded" : "rest" } }).ToList();
        var withRest = new Dictionary<(string, string), long>(sums)
        {
            [("", "all")] = territories.Sum(t => t.Truth),
            [("zone", "rest")] = territories.Where(t => t.Code != excluded).Sum(t => t.Truth),
        };
        Assert.Contains(PublishedSumsAttack.DifferencingBreaches(zoned, [.. GroupsOf(reports[0]), ("zone", "rest"), ("zone", "excluded")], withRest, rule),
            b => b.Contains(excluded, StringComparison.Ordinal));
        // and a residual per territory to two decimals, as the report once listed them, gives most small counts back.
        var residualTable = string.Join("\n", small.Select(t => $"{t.Code} {((t.Truth - t.Predicted!.Value) / Math.Sqrt(t.Predicted.Value)).ToString("F2", CultureInfo.InvariantCulture)}"));
        Assert.True(PublishedSumsAttack.ResidualBreaches(PublishedSumsAttack.ResidualsIn(residualTable, codes), territories, rule).Count > small.Count / 2);
    }
}
