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
/// The human guarantee in the browser: an analyst sees no priority list while the release waits;
/// a reviewer reads it in the review screen, is refused without the acknowledgement the failed
/// fairness audit calls for, approves with it; then the analyst sees the list and where it comes from.
/// </summary>
public class ReviewPageTests(TrainedKestrelApi api) : BrowserTests, IClassFixture<TrainedKestrelApi>
{
    private async Task<IPage> SignInAsync(ApiFactory.TestAccount account)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(api.Address + "/");
        await page.FillAsync("#user-name", account.UserName);
        await page.FillAsync("#password", account.Password);
        await page.PressAsync("#password", "Enter");
        if (account.TotpSecret is not null)
        {
            await page.WaitForSelectorAsync("#second-factor:not([hidden])");
            await page.FillAsync("#code", await api.NextCodeAsync(account));
            await page.PressAsync("#code", "Enter");
        }
        await page.WaitForSelectorAsync("#session:not([hidden])");
        return page;
    }

    [Fact]
    public async Task a_reviewer_approves_in_the_review_screen_and_only_then_the_analyst_sees_the_list()
    {
        var release = api.Run.ReleaseId!.Value;
        var analyst = await SignInAsync(await api.NewAccountAsync([Role.Analyst]));
        await analyst.WaitForSelectorAsync("#publications-list h4");
        Assert.Equal(0, await analyst.Locator("#priorities-asthma_commune").CountAsync());
        Assert.Contains("Aucune publication approuvée", await analyst.TextContentAsync("#publications-list"));
        Assert.True(await analyst.IsHiddenAsync("#reviews"));

        var reviewer = await SignInAsync(await api.NewAccountAsync([Role.Reviewer]));
        await reviewer.WaitForSelectorAsync($"#release-{release}");
        Assert.Contains("non conforme", await reviewer.TextContentAsync($"#release-{release}"));
        await reviewer.FillAsync($"#justification-{release}", "Coefficients plausibles, carte cohérente avec la surveillance régionale.");
        await reviewer.ClickAsync($"#approve-{release}");
        await reviewer.WaitForSelectorAsync($"#outcome-{release}:not(:empty)");   // a selector, not a function: the page's policy forbids eval
        Assert.Contains("reconnaissance explicite", await reviewer.TextContentAsync($"#outcome-{release}"));
        await reviewer.FillAsync($"#acknowledgement-{release}", "Sous-déclaration dans les communes rurales défavorisées : liste relue commune par commune.");
        await reviewer.ClickAsync($"#approve-{release}");
        await reviewer.WaitForSelectorAsync($"#outcome-{release}.ok");

        await analyst.ReloadAsync();
        await analyst.WaitForSelectorAsync("#priorities-asthma_commune");
        Assert.Contains($"publication {release}", await analyst.TextContentAsync("#priorities-asthma_commune caption"));
        Assert.Equal(21, await analyst.Locator("#priorities-asthma_commune tr").CountAsync()); // header + top 20
    }
}
