using Analytics.Testing;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>A test class that drives Debian's Chromium: one browser for the class, closed after it.</summary>
public abstract class BrowserTests : IAsyncLifetime
{
    private IPlaywright playwright = null!;

    // Named like the fields it replaces in each class: "Browser" is this folder's namespace.
    protected IBrowser browser = null!;

    public async Task InitializeAsync() => (playwright, browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
