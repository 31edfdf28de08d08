using System.Collections.Concurrent;
using Analytics.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>A test class that drives Debian's Chromium: one browser for the class, closed after it.</summary>
public abstract class BrowserTests : IAsyncLifetime
{
    private IPlaywright playwright = null!;

    // Named like the fields it replaces in each class: "Browser" is this folder's namespace.
    protected IBrowser browser = null!;

    /// <summary>Every URL asked for by the pages <see cref="SignInAsync"/> opened (Playwright raises the events on its own thread).</summary>
    protected readonly ConcurrentBag<string> requests = [];

    /// <summary>Uncaught script errors and server errors (5xx) met by those pages: none is ever expected, and a screen that
    /// never appears says why through them.</summary>
    private readonly ConcurrentBag<string> pageFaults = [];

    /// <summary>How long a page may take to show what a test waits for. Generous: on two cores, the other test classes'
    /// fixtures train models while this one's pages load.</summary>
    private const float PageTimeoutMilliseconds = 90_000;

    public async Task InitializeAsync() => (playwright, browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        Assert.True(pageFaults.IsEmpty, $"the pages met {pageFaults.Count} fault(s): {string.Join(" | ", pageFaults)}");
    }

    /// <summary>A new page signed in as the account (password, then its second factor when it has one), at the app's address plus <paramref name="route"/>.</summary>
    protected async Task<IPage> SignInAsync(KestrelApiFactory api, ApiFactory.TestAccount account, string route = "")
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 }, AcceptDownloads = true });
        page.SetDefaultTimeout(PageTimeoutMilliseconds);
        page.Request += (_, request) => requests.Add(request.Url);
        page.PageError += (_, error) => pageFaults.Add($"script error: {error}");
        page.Response += (_, response) => { if (response.Status >= 500) pageFaults.Add($"{response.Status} from {response.Url}"); };
        await page.GotoAsync(api.Address + "/" + route);
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

    /// <summary>axe-core (bundled, run in the page) finds nothing serious or critical on the screen as it stands.</summary>
    protected static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes, e.g. {string.Join(" | ", v.Nodes.Take(3).Select(n => $"{n.Target} {string.Join(",", n.Any.Select(c => c.Message))}"))})").ToList();
        Assert.True(serious.Count == 0, $"{screen}: {string.Join("; ", serious)}");
        Assert.NotEmpty(axe.Passes);
    }

    /// <summary>Every request of the pages went to the app's own origin (a downloaded PNG is a blob of that origin).</summary>
    protected void AssertOnlyOwnOrigin(KestrelApiFactory api)
    {
        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.True(url.StartsWith(api.Address + "/", StringComparison.Ordinal) || url.StartsWith($"blob:{api.Address}/", StringComparison.Ordinal), url));
    }

    /// <summary>Where the browser tests save their screenshots.</summary>
    protected static string ScreenshotPath(string name)
    {
        var folder = RepositoryFiles.PathOf(".local/screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
