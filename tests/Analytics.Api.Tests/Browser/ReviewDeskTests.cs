using Analytics.Api.Tests.Reviews;
using Analytics.Jobs.Release;
using Analytics.Jobs.Training;
using Analytics.Models.Access;
using Analytics.Models.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>
/// The demo world with a release in force, an analyst's comment on it still open, and the next release of the same
/// model pending review — what a reviewer meets on an ordinary morning.
/// </summary>
public sealed class ReviewDeskApi : KestrelApiFactory
{
    public long InForce { get; private set; }
    public long Pending { get; private set; }
    public string Commune { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var (launcher, first) = await DemoRelease.PrepareAsync(this);
        var releases = Services.GetRequiredService<Releases>();
        InForce = first.ReleaseId!.Value;
        await releases.ApproveAsync(InForce, new Decision("first-reviewer", "Première publication relue commune par commune.", "Sous-déclaration rurale reconnue et suivie."));
        Commune = (await Services.GetRequiredService<ReleaseFiles>().PriorityListAsync(InForce)).Territories[0].Code;
        await releases.CommentAsync("asthma_commune", Commune, "analyst-on-duty", "Un service d'urgences a fermé ici en cours d'année.");
        var spec = Services.GetRequiredService<ModelSpecifications>().Find("asthma_commune")!;
        Pending = (await Services.GetRequiredService<ModelTraining>().RunAsync(spec, launcher.UserName)).ReleaseId!.Value;
    }
}

/// <summary>
/// The reviewer's desk and the auditor's workspace in Chromium: a reviewer reads the pending release's evidence, is held
/// back by an analyst's open comment, answers it and approves — by keyboard only; the history keeps the decision; an
/// auditor finds that approval in the log and sees the chain verified; an administrator disables an account and its
/// open session ends. axe-core on every screen, the language switch on each.
/// </summary>
public class ReviewDeskTests(ReviewDeskApi api) : BrowserTests, IClassFixture<ReviewDeskApi>
{
    [Fact]
    public async Task a_reviewer_decides_on_evidence_by_keyboard_and_the_history_and_the_audit_log_keep_the_decision()
    {
        var pending = api.Pending;
        var reviewer = await SignInAsync(api, await api.NewAccountAsync([Role.Reviewer]), "#/relecture");
        await reviewer.WaitForSelectorAsync("#review-queue");
        Assert.Equal(1, await reviewer.Locator("#review-queue li").CountAsync());
        await reviewer.ClickAsync($"#review-queue a[href='#/relecture/{pending}']");
        await reviewer.WaitForSelectorAsync("#decision");

        // The evidence: the diff against the release in force, the fairness verdicts per group, the card and metrics.
        Assert.Contains($"publication {pending}", await reviewer.InnerTextAsync("#reviews-title"));
        Assert.Contains($"Comparée à la publication en vigueur", await reviewer.InnerTextAsync("#diff"));
        Assert.Equal(10, await reviewer.Locator("#diff tbody tr").CountAsync());
        await reviewer.WaitForSelectorAsync("#changes-map[data-state='ready']");
        // The same data and code retrain to the same predictions: every commune "within 10%", none entering or leaving.
        Assert.Contains("à 10 % près : 1 233 communes", (await reviewer.InnerTextAsync("#changes-legend")).Replace('\u202F', ' '));
        Assert.Contains("non conforme", await reviewer.InnerTextAsync("#fairness"));
        Assert.True(await reviewer.Locator("#fairness-chart circle").CountAsync() > 5);
        Assert.Contains("classe de densité : urbain", await reviewer.TextContentAsync("#fairness-chart"));   // the server's words, not identifiers
        Assert.False(await reviewer.Locator("#fairness-details").GetAttributeAsync("open") is not null);
        Assert.Equal(3, await reviewer.Locator("#metrics thead th").CountAsync());   // this release beside the one in force
        var championLine = await reviewer.InnerTextAsync("#metrics p");
        Assert.Contains("règle : ", championLine);
        Assert.DoesNotContain("Challenger", championLine); // the rule's step in words, not its code
        Assert.Contains("Usage prévu", await reviewer.InnerTextAsync("#card"));
        // The factors: the champion's rate ratio of every covariate with its interval, named as the catalogue names it, and
        // the permutation importance of each.
        var run = await api.Database.ScalarAsync<long>($"SELECT run_id FROM review.release WHERE id = {pending}");
        var coefficients = System.Text.Json.JsonDocument.Parse(await api.Database.ScalarAsync<string>($"SELECT ml.champion_coefficients(m)::text FROM ml.model_run m WHERE id = {run}"))
            .RootElement.EnumerateArray().Where(c => c.GetProperty("name").GetString() != "(intercept)").ToList();
        Assert.Equal(coefficients.Count, await reviewer.Locator("#review-coefficients tbody tr").CountAsync());
        var pm25 = coefficients.Single(c => c.GetProperty("name").GetString() == "pm25_annual");
        var pm25Label = await api.Database.ScalarAsync<string>("SELECT label_fr FROM catalog.indicator WHERE code = 'pm25_annual'");
        var pm25Row = await reviewer.InnerTextAsync($"#review-coefficients tbody tr:has(th:text-is('{pm25Label}'))");
        Assert.Contains(Math.Round(pm25.GetProperty("rateRatio").GetDouble(), 3, MidpointRounding.AwayFromZero).ToString("0.###", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")), pm25Row);
        Assert.Equal(coefficients.Count, await reviewer.Locator("#review-importance tbody tr").CountAsync());
        await AssertAccessibleAsync(reviewer, "release page");
        await reviewer.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("review-desk.png"), FullPage = true });

        // Held back by the open comment: the button is disabled and says why; the texts missing are named too.
        Assert.True(await reviewer.IsDisabledAsync("#approve"));
        var reasons = await reviewer.InnerTextAsync("#decision-reasons");
        Assert.Contains("commentaire(s) d'analyste attendent une réponse", reasons);
        Assert.Contains("Reconnaissance du verdict d'équité", reasons);
        Assert.True(await reviewer.IsDisabledAsync("#reject"));   // no reason written yet

        // Keyboard only from here: Tab to each control, type, Enter.
        await reviewer.FocusAsync("#reviews-title");
        var item = await api.Database.ScalarAsync<long>("SELECT id FROM review.item WHERE state = 'open'");
        await TabToAsync(reviewer, $"#item-reason-{item}");
        await reviewer.Keyboard.TypeAsync("Fermeture connue, sans effet sur l'année modélisée.");
        await TabToAsync(reviewer, $"#decline-{item}");
        await reviewer.Keyboard.PressAsync("Enter");
        await reviewer.WaitForSelectorAsync("#decision-outcome.ok:has-text('Réponse enregistrée')");
        Assert.Contains("Aucun commentaire ouvert", await reviewer.InnerTextAsync("#items"));
        Assert.DoesNotContain("commentaire(s) d'analyste", await reviewer.InnerTextAsync("#decision"));

        await TabToAsync(reviewer, "#justification");
        await reviewer.Keyboard.TypeAsync("Coefficients stables, mêmes communes en tête que la publication en vigueur.");
        Assert.True(await reviewer.IsDisabledAsync("#approve"));   // the acknowledgement is still missing
        await TabToAsync(reviewer, "#acknowledgement");
        await reviewer.Keyboard.TypeAsync("Sous-déclaration rurale toujours visible : suivi trimestriel avec l'ARS.");
        Assert.True(await reviewer.IsEnabledAsync("#approve"));
        await TabToAsync(reviewer, "#approve");
        await reviewer.Keyboard.PressAsync("Enter");
        await reviewer.WaitForSelectorAsync("#decision-outcome.ok:has-text('Publication approuvée')");

        // The page updates: decided, by whom, the approve button gone, revocation offered instead.
        Assert.Contains("approuvée, en vigueur", await reviewer.InnerTextAsync("#reviews-title"));
        Assert.Equal(0, await reviewer.Locator("#approve").CountAsync());
        Assert.Equal(1, await reviewer.Locator("#revoke").CountAsync());
        Assert.Equal("approved", await api.Database.ScalarAsync<string>($"SELECT state FROM review.release WHERE id = {pending}"));

        // The history: both releases, the first superseded, the decision and its texts.
        await reviewer.ClickAsync("#navigation a[href='#/historique']");
        await reviewer.WaitForSelectorAsync("#history-table");
        var history = await reviewer.InnerTextAsync("#history-table");
        Assert.Contains("remplacée par une plus récente", history);
        Assert.Contains("Coefficients stables", history);
        Assert.Contains("suivi trimestriel", history);
        await AssertAccessibleAsync(reviewer, "history");
        await reviewer.ClickAsync("#language");
        await reviewer.WaitForSelectorAsync("#history-title:has-text('History of releases')");
        Assert.Contains("superseded by a newer one", await reviewer.InnerTextAsync("#history-table"));

        // The auditor filters the log to that approval and sees the chain verified.
        var auditor = await SignInAsync(api, await api.NewAccountAsync([Role.Auditor]), "#/audit");
        await auditor.WaitForSelectorAsync("#audit-chain-status");
        Assert.Contains("Chaîne vérifiée", await auditor.InnerTextAsync("#audit-chain-status"));
        await auditor.SelectOptionAsync("#audit-kind", "review.approve");
        await auditor.FillAsync("#audit-subject", $"release:{pending}");
        await auditor.ClickAsync("#audit-filters button[type='submit']");
        await auditor.WaitForSelectorAsync("#audit-events-table tbody tr:only-child");   // the filtered page has replaced the whole log's
        Assert.Equal(1, await auditor.Locator("#audit-events-table tbody tr").CountAsync());
        Assert.Contains("Coefficients stables", await auditor.InnerTextAsync("#audit-events-table"));
        Assert.Contains("Publication approuvée", await auditor.InnerTextAsync("#audit-events-table")); // the kind in words; its code stays in the export
        Assert.Contains($"subject=release%3A{pending}", await auditor.GetAttributeAsync("#audit-export", "href"));
        await AssertAccessibleAsync(auditor, "audit log");

        // The auditor's export of the log is itself in the log.
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.ClickAsync("#audit-export"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("review.approve", csv);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM audit.event WHERE kind = 'export' AND subject = 'audit:events'"));

        // The whole fairness report of the release: accessible, titled with its model and release.
        await auditor.GotoAsync($"{api.Address}/api/reviews/{pending}/fairness.html");
        Assert.Contains($"asthma_commune) — publication {pending} du", await auditor.TitleAsync());
        Assert.Equal($"/#/relecture/{pending}", await auditor.GetAttributeAsync(".back a", "href"));
        await AssertAccessibleAsync(auditor, "fairness report");
        // The same page in English, by its link; any other language is refused.
        await auditor.ClickAsync(".back a[lang='en']");
        await auditor.WaitForSelectorAsync("html[lang='en']");
        Assert.StartsWith("Fairness audit — ", await auditor.TitleAsync());
        Assert.Contains("Overall verdict", await auditor.InnerTextAsync("#synthese + p"));
        await AssertAccessibleAsync(auditor, "fairness report in English");
        Assert.Equal(400, (await auditor.GotoAsync($"{api.Address}/api/reviews/{pending}/fairness.html?lang=de"))!.Status);
        await auditor.GotoAsync($"{api.Address}/api/reviews/{pending}/fairness.html");
        // On a phone: the page itself never scrolls sideways (wide tables scroll in their own region), and it opens short.
        await auditor.SetViewportSizeAsync(375, 800);
        Assert.True(await auditor.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        Assert.True(await auditor.EvaluateAsync<int>("() => document.documentElement.scrollHeight") < 8000);
        AssertOnlyOwnOrigin(api);
    }

    [Fact]
    public async Task an_administrator_disables_an_account_and_its_open_session_ends_and_everyone_manages_their_tokens()
    {
        var planner = await api.NewAccountAsync([Role.Planner], enrolTotp: false);
        var plannerPage = await SignInAsync(api, planner, "#/priorites");
        await plannerPage.WaitForSelectorAsync("#publications-list h3");

        var admin = await SignInAsync(api, await api.NewAccountAsync([Role.Admin]), "#/comptes");
        await admin.WaitForSelectorAsync("#accounts-table");
        await AssertAccessibleAsync(admin, "accounts");
        await admin.ClickAsync($"#toggle-{planner.UserName}");
        await admin.WaitForSelectorAsync("#accounts-outcome.ok:not(:empty)");
        Assert.Contains("désactivé", await admin.InnerTextAsync($"#accounts-table tr:has(th:text-is('{planner.UserName}'))"));

        // The planner's page was open: its next request finds no session, and the app goes back to signing in.
        await plannerPage.ReloadAsync();
        await plannerPage.WaitForSelectorAsync("#sign-in:not([hidden])");
        Assert.True(await plannerPage.IsHiddenAsync("#session"));

        // An administrator's own tokens: one created and shown once, then revoked.
        await admin.ClickAsync("#navigation a[href='#/jetons']");
        await admin.WaitForSelectorAsync("#token-create");
        await admin.FillAsync("#token-name", "export nocturne");
        await admin.ClickAsync("#token-create button");
        await admin.WaitForSelectorAsync("#token-secret");
        var secret = await admin.InnerTextAsync("#token-secret");
        Assert.True(secret.Length > 20);
        Assert.Contains("export nocturne", await admin.InnerTextAsync("#tokens-table"));
        await AssertAccessibleAsync(admin, "tokens");
        await admin.ClickAsync("#tokens-table button");
        await admin.WaitForSelectorAsync("#tokens-table td:has-text('révoqué')");
        Assert.Equal(0, await admin.Locator("#token-secret").CountAsync());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM auth.api_token WHERE name = 'export nocturne' AND revoked_at IS NOT NULL"));
        AssertOnlyOwnOrigin(api);
    }

    /// <summary>Presses Tab until <paramref name="selector"/> has the focus: the control is reachable by keyboard, in order.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await page.Locator(selector).EvaluateAsync<bool>("e => e === document.activeElement"))
                return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"{selector} was not reached with the Tab key");
    }
}
