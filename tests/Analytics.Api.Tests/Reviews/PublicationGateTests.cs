using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Api.Tests.Access;
using Analytics.Jobs.Training;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Reviews;

/// <summary>
/// The human guarantee over HTTP, on the demo world with the asthma model trained: while its
/// release waits for review no model output reaches an analyst or a planner through any endpoint
/// of the route table; a reviewer other than the launcher approves it under the rules (written
/// justification, acknowledgement of the fairness verdict, analyst comments answered); then it is
/// served with its provenance; once revoked it is gone again on the next request.
/// </summary>
public class PublicationGateTests(PublicationGateTests.TrainedApi api) : IClassFixture<PublicationGateTests.TrainedApi>
{
    /// <summary>The API over a database holding the demo world and one training run, launched by <see cref="Launcher"/>.</summary>
    public sealed class TrainedApi : ApiFactory
    {
        public ApiFactory.TestAccount Launcher { get; private set; } = null!;
        public ModelTraining.Outcome Run { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            (Launcher, Run) = await DemoRelease.PrepareAsync(this);
        }
    }

    private const string Model = "asthma_commune";

    /// <summary>
    /// Strings only a model output of the run can contain: predicted SIRs and counts at full precision, the same pairs
    /// as the priority CSV writes them (<c>;SIR to 3 decimals;count to 2 decimals;</c>), and the release's content hash.
    /// </summary>
    private async Task<List<string>> SentinelsAsync()
    {
        var sentinels = new List<string> { await api.Database.ScalarAsync<string>($"SELECT predictions_sha256 FROM ml.model_run WHERE id = {api.Run.RunId}") };
        await using var command = api.Database.DataSource.CreateCommand($"SELECT predicted_sir, predicted FROM ml.prediction WHERE run_id = {api.Run.RunId} AND priority_rank <= 10");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sentinels.Add(reader.GetDouble(0).ToString("R", CultureInfo.InvariantCulture));
            sentinels.Add(reader.GetDouble(1).ToString("R", CultureInfo.InvariantCulture));
            sentinels.Add(CsvSentinel(reader.GetDouble(0), reader.GetDouble(1)));
        }
        Assert.Equal(31, sentinels.Count);
        return sentinels;
    }

    private static string CsvSentinel(double predictedSir, double predicted) =>
        string.Create(CultureInfo.InvariantCulture, $";{predictedSir:F3};{predicted:F2};");

    /// <summary>Calls every GET endpoint of the route table as <paramref name="client"/>; returns each that served a sentinel.</summary>
    private async Task<List<string>> LeaksAsync(HttpClient client, IReadOnlyList<string> sentinels, string territory, long release)
    {
        var leaks = new List<string>();
        foreach (var route in RouteTable.Of(api.Services).Where(r => r.Method == "GET"))
        {
            var path = route.Pattern.Replace("{code}", Model).Replace("{territory}", territory).Replace("{id:long}", release.ToString(CultureInfo.InvariantCulture));
            var request = RouteTable.RequestFor(route with { Pattern = path });
            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (sentinels.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal)) is { } found)
                leaks.Add($"{path} ({(int)response.StatusCode}) served {found}");
        }
        return leaks;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string path, object body) => (await client.PostAsJsonAsync(path, body)).StatusCode;

    private static async Task<List<string>> RefusalsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("refusals").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).ToList();
    }

    [Fact]
    public async Task model_outputs_reach_analysts_and_planners_only_while_an_approved_release_is_in_force()
    {
        var release = api.Run.ReleaseId ?? throw new InvalidOperationException($"the run failed its checks: {string.Join("; ", api.Run.FailedChecks)}");
        var sentinels = await SentinelsAsync();
        var top = await api.Database.ScalarAsync<string>($"SELECT t.code FROM ml.prediction p JOIN geo.territory t ON t.id = p.territory_id WHERE p.run_id = {api.Run.RunId} AND p.priority_rank = 1");
        var excluded = await api.Database.ScalarAsync<string>($"SELECT t.code FROM ml.prediction p JOIN geo.territory t ON t.id = p.territory_id WHERE p.run_id = {api.Run.RunId} AND p.priority_rank = 2");
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var reviewerAccount = await api.NewAccountAsync([Role.Reviewer]);
        var reviewer = await api.ClientForAsync(reviewerAccount);
        var launcher = await api.ClientForAsync(api.Launcher);
        var auditor = await api.ClientWithRolesAsync(Role.Auditor);
        var verdict = await api.Database.ScalarAsync<string>($"SELECT fairness_verdict FROM review.release WHERE id = {release}");

        // 1. Pending: nothing of the run reaches an analyst or a planner, through any GET endpoint.
        Assert.Empty(await LeaksAsync(analyst, sentinels, top, release));
        Assert.Empty(await LeaksAsync(planner, sentinels, top, release));
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/models/{Model}/priorities")).StatusCode);
        // Reviewers see it in the review screens.
        var pending = await reviewer.GetStringAsync($"/api/reviews/{release}/priorities");
        Assert.Contains(sentinels[1], pending);
        // The fairness summary of the review desk: a verdict and a ratio interval per group and metric, and no count or sum.
        var fairness = await auditor.GetFromJsonAsync<JsonElement>($"/api/reviews/{release}/fairness");
        Assert.Equal(verdict, fairness.GetProperty("overall").GetString());
        var groups = fairness.GetProperty("dimensions").EnumerateArray().SelectMany(d => d.GetProperty("groups").EnumerateArray()).ToList();
        Assert.True(groups.Count >= 10);
        Assert.All(groups, g => Assert.Equal(["isReference", "label", "metrics", "overall", "territories"], g.EnumerateObject().Select(p => p.Name).Order()));
        Assert.DoesNotContain("observed", fairness.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/reviews/{release}/fairness")).StatusCode);

        // 2. The rules, over HTTP.
        const string justification = "Coefficients plausibles, carte cohérente avec la surveillance régionale.";
        Assert.Contains("four_eyes", await RefusalsAsync(await launcher.PostAsJsonAsync($"/api/reviews/{release}/approve", new { justification })));
        Assert.Contains("justification", await RefusalsAsync(await reviewer.PostAsJsonAsync($"/api/reviews/{release}/approve", new { justification = "ok" })));
        // Twenty zero-width spaces are no justification (issue 11, finding 11; Models.Tests ReviewTextTests).
        Assert.Contains("justification", await RefusalsAsync(await reviewer.PostAsJsonAsync($"/api/reviews/{release}/approve", new { justification = new string('\u200B', 20) })));
        if (verdict is "fail" or "insufficient_evidence")
            Assert.Contains("acknowledgement", await RefusalsAsync(await reviewer.PostAsJsonAsync($"/api/reviews/{release}/approve", new { justification })));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(analyst, $"/api/reviews/{release}/approve", new { justification }));

        // An analyst's comment must be answered before approval; declining needs a reason.
        var comment = await analyst.PostAsJsonAsync($"/api/models/{Model}/comments", new { territory = top, comment = "Cette commune a ouvert un centre de santé en 2023." });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        const string acknowledgement = "Sous-déclaration possible dans les communes rurales défavorisées : liste relue commune par commune.";
        Assert.Contains("open_review_items", await RefusalsAsync(await reviewer.PostAsJsonAsync($"/api/reviews/{release}/approve", new { justification, acknowledgement })));
        // The review screen learns the same refusals before any text is written: four eyes for the launcher, the open comment for both.
        Assert.Equal(["four_eyes", "justification", .. verdict is "fail" or "insufficient_evidence" ? new[] { "acknowledgement" } : [], "open_review_items"],
            await StandingAsync(launcher, release, "approve"));
        Assert.Equal(["justification", .. verdict is "fail" or "insufficient_evidence" ? new[] { "acknowledgement" } : [], "open_review_items"],
            await StandingAsync(reviewer, release, "approve"));
        Assert.Equal(["not_published", "reason"], await StandingAsync(reviewer, release, "revoke"));
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync($"/api/reviews/{release}/standing")).StatusCode);
        var item = comment.Headers.Location!.ToString();
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(reviewer, $"{item}/answer", new { accepted = false, reason = "non" }));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(reviewer, $"{item}/answer", new { accepted = false, reason = "Le centre a ouvert en décembre : aucun effet sur les séjours de 2023." }));

        // A reviewer keeps one territory out, with a reason.
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(reviewer, $"/api/reviews/{release}/exclusions", new { territory = excluded, reason = "trop court" }));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(reviewer, $"/api/reviews/{release}/exclusions", new { territory = excluded, reason = "Zone d'activité sans résidents : population de référence erronée." }));

        // 3. Approved: served, with where it comes from, never cached; the excluded territory is not.
        var approval = await reviewer.PostAsJsonAsync($"/api/reviews/{release}/approve", new { justification, acknowledgement });
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        var served = await analyst.GetAsync($"/api/models/{Model}/priorities");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("no-store", served.Headers.CacheControl?.ToString());
        var list = await served.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(release, list.GetProperty("release").GetProperty("releaseId").GetInt64());
        Assert.Equal(reviewerAccount.UserName, list.GetProperty("release").GetProperty("approvedBy").GetString());
        var codes = list.GetProperty("territories").EnumerateArray().Select(t => t.GetProperty("code").GetString()).ToList();
        Assert.Contains(top, codes);
        Assert.DoesNotContain(excluded, codes);
        Assert.Equal(HttpStatusCode.NotFound, (await planner.GetAsync($"/api/models/{Model}/territories/{excluded}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await planner.GetAsync($"/api/models/{Model}/territories/{top}")).StatusCode);
        Assert.NotEmpty(await LeaksAsync(analyst, sentinels, top, release));
        // The card of the release in force carries the coefficients the approved model stands behind (its champion's).
        var card = await analyst.GetFromJsonAsync<JsonElement>($"/api/models/{Model}/card");
        Assert.Equal(release, card.GetProperty("release").GetProperty("releaseId").GetInt64());
        static List<(string?, double)> Estimates(JsonElement coefficients) =>
            [.. coefficients.EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("estimate").GetDouble()))];
        Assert.Equal(Estimates(JsonDocument.Parse(await api.Database.ScalarAsync<string>($"SELECT ml.champion_coefficients(m)::text FROM ml.model_run m WHERE id = {api.Run.RunId}")).RootElement),
            Estimates(card.GetProperty("coefficients")));
        var csv = await planner.GetStringAsync($"/api/models/{Model}/priorities.csv");
        Assert.Contains($"publication={release};", csv);
        Assert.Contains("rang;code;nom;rsi_predit", csv);
        // The CSV form of the sentinels is the export's own: the searches before approval and after revocation cover it.
        Assert.Contains(sentinels, s => s.StartsWith(';') && csv.Contains(s, StringComparison.Ordinal));

        // 4. Revoked: gone on the next request, from every endpoint.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(reviewer, $"/api/reviews/{release}/revoke", new { justification = "Erreur de géocodage découverte après la publication." }));
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/models/{Model}/priorities")).StatusCode);
        Assert.Empty(await LeaksAsync(analyst, sentinels, top, release));
        Assert.Empty(await LeaksAsync(planner, sentinels, top, release));

        // Loads, account changes, sign-ins, the run, every decision and the export are in the audit log, and the chain holds.
        await api.BrowserWithRolesAsync(Role.Planner);
        Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync($"/api/models/{Model}/priorities.csv")).StatusCode);
        var events = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/events?limit=500");
        var kinds = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "ingest.load", "account.change", "auth.token_issue", "auth.sign_in", "model.run", "release.created", "review.comment", "review.answer", "review.exclude", "review.approve", "review.revoke", "export" }, kinds);
        var verification = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    /// <summary>The codes of the refusals <paramref name="client"/> would meet on <paramref name="decision"/> before writing anything.</summary>
    private static async Task<List<string>> StandingAsync(HttpClient client, long release, string decision) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/reviews/{release}/standing")).GetProperty(decision).EnumerateArray().Select(r => r.GetProperty("code").GetString()!)];
}
