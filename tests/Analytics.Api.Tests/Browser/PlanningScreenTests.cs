using Analytics.Api.Tests.Reviews;
using Analytics.Jobs.Release;
using Analytics.Models.Access;
using Analytics.Models.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>The demo world with the asthma model's release approved and in force, served on a real port.</summary>
public sealed class ApprovedReleaseApi : KestrelApiFactory
{
    public long Release { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var (_, run) = await DemoRelease.PrepareAsync(this);
        Release = run.ReleaseId!.Value;
        await Services.GetRequiredService<Releases>().ApproveAsync(Release,
            new Decision("planning-reviewer", "Coefficients plausibles, liste relue commune par commune.", "Sous-déclaration rurale reconnue et suivie."));
    }
}

/// <summary>
/// A planner in Chromium: filters the explained priority list, compares allocation rules, runs an exposure scenario and
/// prints the page for a meeting (A4, provenance and contact on it, no controls); axe-core on the screen with its results;
/// the language switch re-renders it.
/// </summary>
public class PlanningScreenTests(ApprovedReleaseApi api) : BrowserTests, IClassFixture<ApprovedReleaseApi>
{
    [Fact]
    public async Task a_planner_filters_the_list_compares_rules_runs_a_scenario_and_prints_the_page()
    {
        var page = await SignInAsync(api, await api.NewAccountAsync([Role.Planner], enrolTotp: false), "#/planification");
        await page.WaitForSelectorAsync("#planning-table tbody tr");
        Assert.Contains("cas attendus en excès", await page.InnerTextAsync("#planning-rule"));
        Assert.True(await page.Locator("#planning-limits li").CountAsync() >= 1);
        Assert.Contains($"Publication {api.Release}", await page.InnerTextAsync("#planning-provenance"));
        Assert.Equal(20, await page.Locator("#planning-table tbody tr").CountAsync());
        var whole = await page.InnerTextAsync("#planning-table caption");

        // A filter: the list of one département only.
        var departement = await page.Locator("#planning-departement option").Nth(1).GetAttributeAsync("value");
        // Départements and EPCIs are offered by name, their code beside it.
        var name = await api.Database.ScalarAsync<string>($"SELECT name FROM geo.territory WHERE level = 'departement' AND code = '{departement}'");
        Assert.Equal($"{name} ({departement})", await page.InnerTextAsync("#planning-departement option:nth-child(2)"));
        var epci = await page.Locator("#planning-epci option").Nth(1).GetAttributeAsync("value");
        var epciName = await api.Database.ScalarAsync<string>($"SELECT name FROM geo.territory WHERE level = 'epci' AND code = '{epci}'");
        Assert.Equal($"{epciName} ({epci})", await page.InnerTextAsync("#planning-epci option:nth-child(2)"));
        await page.SelectOptionAsync("#planning-departement", departement!);
        await page.WaitForFunctionAsync("caption => document.querySelector('#planning-table caption')?.textContent !== caption", whole);
        Assert.NotEqual(whole, await page.InnerTextAsync("#planning-table caption"));

        // The simulator: five rules side by side, whom each reaches, a map of a selection.
        Assert.Contains("Cas en excès attendus", await page.InnerTextAsync("label:has(#weight-excess)")); // criteria in words, not column codes
        await page.FillAsync("#targeting-amount", "10");
        await page.ClickAsync("#targeting-form button[type='submit']");
        await page.WaitForSelectorAsync("#targeting-results tbody tr");
        Assert.Equal(5, await page.Locator("#targeting-results tbody tr").CountAsync());
        Assert.Equal(3, await page.Locator("table.reach").CountAsync());
        await page.WaitForSelectorAsync("#targeting-map[data-state='ready']");

        // A scenario: a tenth less PM2.5 in the département.
        await page.SelectOptionAsync("#scenario-indicator", "pm25_annual");
        await page.SelectOptionAsync("#scenario-scope", "filtered");
        await page.ClickAsync("#scenario-form button[type='submit']");
        await page.WaitForSelectorAsync("#scenario-total");
        Assert.StartsWith("Cas évités", await page.InnerTextAsync("#scenario-total"));
        Assert.Contains("non effet mesuré", await page.InnerTextAsync("#scenario"));
        await AssertAccessibleAsync(page, "planning with a simulation and a scenario");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("planning.png"), FullPage = true });

        // Printed: the figures, their provenance and the contact; no form, no navigation.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.True(await page.IsHiddenAsync("#planning-filters"));
        Assert.True(await page.IsHiddenAsync("#targeting-form"));
        Assert.True(await page.IsHiddenAsync("#navigation"));
        Assert.True(await page.IsVisibleAsync("#planning-provenance"));
        Assert.True(await page.IsVisibleAsync("#scenario-total"));
        var pdf = await page.PdfAsync(new PagePdfOptions { Path = ScreenshotPath("planning.pdf"), Format = "A4", PreferCSSPageSize = true });
        Assert.True(pdf.Length > 20_000, $"{pdf.Length} bytes");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        await page.ClickAsync("#language");
        await page.WaitForSelectorAsync("#planning-title:has-text('Prevention planning')");
        Assert.Contains("expected excess cases", await page.InnerTextAsync("#planning-rule"));
        AssertOnlyOwnOrigin(api);
    }
}
