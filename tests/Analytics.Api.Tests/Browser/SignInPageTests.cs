using System.Collections.Concurrent;
using Analytics.Testing;
using Analytics.Models.Access;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>The API on a real Kestrel port, for a real browser.</summary>
public class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory() => UseKestrel(0);

    /// <summary>Where the browser reaches the app (a free port chosen at start).</summary>
    public string Address => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1").Replace("localhost", "127.0.0.1");

    public override async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        StartServer();
    }
}

/// <summary>
/// The web app in Debian's Chromium (headless, through Playwright, never a downloaded browser):
/// signing in with a password, and with the second-factor step a reviewer must pass — and the page
/// asks nothing of any host but its own.
/// </summary>
public class SignInPageTests(KestrelApiFactory api) : BrowserTests, IClassFixture<KestrelApiFactory>
{
    /// <summary>A fresh page that records every host it asks something of.</summary>
    private async Task<(IPage Page, ConcurrentBag<string> Hosts)> OpenAsync()
    {
        var page = await browser.NewPageAsync();
        // Playwright raises request events on its own thread while the test reads: a concurrent bag.
        var hosts = new ConcurrentBag<string>();
        page.Request += (_, request) => hosts.Add(new Uri(request.Url).Host);
        await page.GotoAsync(api.Address + "/");
        return (page, hosts);
    }

    [Fact]
    public async Task an_analyst_signs_in_with_a_password_and_the_page_talks_to_no_other_host()
    {
        var account = await api.NewAccountAsync([Role.Analyst]);
        var (page, hosts) = await OpenAsync();

        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        await AssertAccessibleAsync(page, "sign-in page");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("sign-in.png") });
        await page.FillAsync("#user-name", account.UserName);
        await page.FillAsync("#password", account.Password);
        await page.PressAsync("#password", "Enter");

        await page.WaitForSelectorAsync("#session:not([hidden])");
        Assert.Equal(account.UserName, await page.TextContentAsync("#who"));
        Assert.Equal("Analyste", await page.TextContentAsync("#roles")); // the role in words, not its code
        Assert.All(hosts, host => Assert.Equal("127.0.0.1", host));
    }

    [Fact]
    public async Task a_reviewer_passes_the_second_factor_step_and_a_wrong_code_is_refused()
    {
        var account = await api.NewAccountAsync([Role.Reviewer]);
        var (page, hosts) = await OpenAsync();
        await page.FillAsync("#user-name", account.UserName);
        await page.FillAsync("#password", account.Password);
        await page.PressAsync("#password", "Enter");
        await page.WaitForSelectorAsync("#second-factor:not([hidden])");
        await AssertAccessibleAsync(page, "second-factor step");

        await page.FillAsync("#code", "000000");
        await page.PressAsync("#code", "Enter");
        await page.WaitForSelectorAsync("#code-error:not(:empty)");   // a selector, not a function: the page's policy forbids eval
        Assert.True(await page.IsHiddenAsync("#session"));

        await page.FillAsync("#code", await api.NextCodeAsync(account));
        await page.PressAsync("#code", "Enter");
        await page.WaitForSelectorAsync("#session:not([hidden])");
        Assert.Equal("Relecteur·rice", await page.TextContentAsync("#roles"));
        Assert.All(hosts, host => Assert.Equal("127.0.0.1", host));
    }
}
