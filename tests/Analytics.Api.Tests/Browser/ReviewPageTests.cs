using Analytics.Testing;
using Analytics.Api.Tests.Reviews;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>The demo world with one release pending review, served on a real port.</summary>
public sealed class TrainedKestrelApi : KestrelApiFactory
{
    public ModelTraining.Outcome Run { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_, Run) = await DemoRelease.PrepareAsync(this);
    }
}

/// <summary>
/// The human guarantee in the browser: an analyst sees no priority list and no modelled risk on the map while the
/// release waits; a reviewer reads it in the review screen, is refused without the acknowledgement the failed
/// fairness audit calls for, approves with it; then the analyst sees the list, where it comes from, and the approved
/// risk drawn on the map with its provenance in the legend.
/// </summary>
public class ReviewPageTests(TrainedKestrelApi api) : BrowserTests, IClassFixture<TrainedKestrelApi>
{
    [Fact]
    public async Task a_reviewer_approves_in_the_review_screen_and_only_then_the_analyst_sees_the_list_and_the_risk_map()
    {
        var release = api.Run.ReleaseId!.Value;
        var analyst = await SignInAsync(api, await api.NewAccountAsync([Role.Analyst]));
        await MapExplorerTests.WaitForMapAsync(analyst);
        Assert.Equal(0, await analyst.Locator("#map-condition option[value='risk:asthma_commune']").CountAsync());
        await analyst.ClickAsync("#navigation a[href='#/priorites']");
        await analyst.WaitForSelectorAsync("#publications-list h3");
        Assert.Equal(0, await analyst.Locator("#priorities-asthma_commune").CountAsync());
        Assert.Contains("Aucune publication approuvée", await analyst.TextContentAsync("#publications-list"));
        Assert.Equal(0, await analyst.Locator("#navigation a[href='#/relecture']").CountAsync());
        Assert.True(await analyst.IsHiddenAsync("#reviews"));

        var reviewer = await SignInAsync(api, await api.NewAccountAsync([Role.Reviewer]), $"#/relecture/{release}");
        await reviewer.WaitForSelectorAsync("#decision");
        Assert.Contains("non conforme", await reviewer.TextContentAsync("#fairness"));
        await AssertAccessibleAsync(reviewer, "review screen");
        await reviewer.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("review-screen.png"), FullPage = true });
        await reviewer.FillAsync("#justification", "Coefficients plausibles, carte cohérente avec la surveillance régionale.");
        // The failed fairness audit calls for an acknowledgement: until it is written, approval is disabled and says so.
        Assert.True(await reviewer.IsDisabledAsync("#approve"));
        Assert.Contains("Reconnaissance du verdict d'équité", await reviewer.InnerTextAsync("#decision-reasons"));
        await reviewer.FillAsync("#acknowledgement", "Sous-déclaration dans les communes rurales défavorisées : liste relue commune par commune.");
        await reviewer.ClickAsync("#approve");
        await reviewer.WaitForSelectorAsync("#decision-outcome.ok");

        await analyst.ReloadAsync();
        await analyst.WaitForSelectorAsync("#priorities-asthma_commune");
        Assert.Contains($"publication {release}", await analyst.TextContentAsync("#priorities-asthma_commune caption"));
        Assert.Equal(20, await analyst.Locator("#priorities-asthma_commune tbody tr").CountAsync());
        // The model's order is kept, and each commune whose 90% interval is wider than twice its predicted cases is marked
        // too uncertain (planning's rule, restated here from the stored predictions); the sentence under the list counts them.
        var precision = await analyst.Locator("#priorities-asthma_commune tbody td:nth-child(6)").AllInnerTextsAsync();
        var codes = await analyst.Locator("#priorities-asthma_commune tbody td:nth-child(3)").AllInnerTextsAsync();
        var uncertain = 0;
        for (var i = 0; i < codes.Count; i++)
        {
            var (predicted, width) = await api.Database.FirstAsync<double, double>($"""
                SELECT p.predicted, p.interval_high - p.interval_low FROM ml.prediction p JOIN geo.territory t ON t.id = p.territory_id
                WHERE p.run_id = {api.Run.RunId} AND t.code = '{codes[i]}' AND p.priority_rank IS NOT NULL
                """);
            var tooUncertain = width / Math.Max(predicted, 1e-9) > 2;
            uncertain += tooUncertain ? 1 : 0;
            Assert.Equal(tooUncertain ? "trop incertaine" : "suffisante", precision[i]);
        }
        Assert.True(uncertain > 0, "no commune of the first 20 is too uncertain: the demo's list no longer shows what the mark is for");
        Assert.Contains($"{uncertain} des 20 premières communes sont trop incertaines", await analyst.InnerTextAsync("#publications-list .provenance"));
        Assert.Contains("observation-sante@ars.example", await analyst.InnerTextAsync("#contact"));
        await AssertAccessibleAsync(analyst, "priority lists");
        var code = await analyst.InnerTextAsync("#priorities-asthma_commune tbody tr:first-child td:nth-child(3)");
        var sir = await analyst.InnerTextAsync("#priorities-asthma_commune tbody tr:first-child td:nth-child(4)");

        // The approved risk on the map: the same predicted SIR for the same commune, the release named in the legend.
        await analyst.ClickAsync("#navigation a[href='#/carte']");
        await analyst.SelectOptionAsync("#map-condition", "risk:asthma_commune");
        await analyst.WaitForFunctionAsync("release => document.querySelector('#map-legend .method').textContent.includes(`publication ${release}`)", release);
        await MapExplorerTests.WaitForMapAsync(analyst);
        Assert.Equal(sir, await analyst.InnerTextAsync($"#map-table tbody tr[data-code='{code}'] td:nth-child(3)"));
        Assert.Contains("sans prédiction publiée", await analyst.InnerTextAsync("#map-legend"));

        // The commune's page gives the approved risk with its largest factors and where it comes from, and takes a comment.
        await analyst.GotoAsync($"{api.Address}/#/territoire/commune/{code}");
        await analyst.WaitForSelectorAsync("[data-model='asthma_commune']");
        Assert.Contains(sir, await analyst.InnerTextAsync("[data-model='asthma_commune']"));
        Assert.Contains($"Publication {release}", await analyst.InnerTextAsync("#territory-page .provenance"));
        await analyst.FillAsync("#comment-asthma_commune", "Commune à vérifier : un établissement a fermé en cours d'année.");
        await analyst.ClickAsync("#comment-asthma_commune ~ button");
        await analyst.WaitForSelectorAsync("#comment-asthma_commune-outcome.ok");
        Assert.Equal(1L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM review.item WHERE comment LIKE 'Commune à vérifier%'"));
        await AssertAccessibleAsync(analyst, "territory page with approved risk");
        AssertOnlyOwnOrigin(api);
    }
}
