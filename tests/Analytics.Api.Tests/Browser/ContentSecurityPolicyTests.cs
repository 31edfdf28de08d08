using System.Collections.Concurrent;
using Analytics.Testing;
using Analytics.Models.Access;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>
/// The web app, Swagger UI and the job dashboard still work in Chromium under their Content-Security-Policy, the
/// browser reports no violation, and the policy is really in force (a script element inserted by the page does not run).
/// </summary>
public class ContentSecurityPolicyTests(KestrelApiFactory api) : BrowserTests, IClassFixture<KestrelApiFactory>
{
    /// <summary>A page that keeps every console message in which Chromium reports a policy violation.</summary>
    private async Task<(IPage Page, ConcurrentBag<string> Violations)> OpenAsync()
    {
        var page = await browser.NewPageAsync();
        // Console events arrive on Playwright's thread while the test reads: a concurrent bag.
        var violations = new ConcurrentBag<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) && !message.Text.Contains(ProbeHash, StringComparison.Ordinal))
                violations.Add(message.Text);
        };
        return (page, violations);
    }

    // The probe: a script element the page's own code could insert. Chromium lets code evaluated through the
    // DevTools protocol call eval whatever the policy, but an inserted inline script runs only if the policy allows it.
    private const string Probe = "window.inlineScriptRan = true";

    /// <summary>The policy's refusal of the probe, as Chromium reports it (the hash of the refused script).</summary>
    private static readonly string ProbeHash =
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Probe)));

    private static Task<bool> CanRunInlineScriptAsync(IPage page) =>
        page.EvaluateAsync<bool>($$"""
            () => {
              const script = document.createElement('script');
              script.textContent = '{{Probe}}';
              document.head.appendChild(script);
              return window.inlineScriptRan === true;
            }
            """);

    [Fact]
    public async Task an_admin_signs_in_and_opens_swagger_and_the_job_dashboard_without_any_violation_and_no_page_can_run_an_inserted_inline_script()
    {
        var account = await api.NewAccountAsync([Role.Admin]);
        var (page, violations) = await OpenAsync();
        await page.GotoAsync(api.Address + "/");
        await page.FillAsync("#user-name", account.UserName);
        await page.FillAsync("#password", account.Password);
        await page.PressAsync("#password", "Enter");
        await page.WaitForSelectorAsync("#second-factor:not([hidden])");
        await page.FillAsync("#code", await api.NextCodeAsync(account));
        await page.PressAsync("#code", "Enter");
        await page.WaitForSelectorAsync("#session:not([hidden])");
        Assert.Equal("Administrateur·rice", await page.TextContentAsync("#roles"));
        await page.ClickAsync("#language");
        await page.WaitForSelectorAsync("html[lang=en]");
        Assert.False(await CanRunInlineScriptAsync(page));

        await page.GotoAsync(api.Address + "/swagger/index.html");
        await page.WaitForSelectorAsync(".swagger-ui .information-container .title");
        await page.WaitForSelectorAsync(".opblock-summary-path");
        Assert.False(await CanRunInlineScriptAsync(page));

        await page.GotoAsync(api.Address + "/hangfire");
        await page.WaitForSelectorAsync(".page-header");
        // The realtime chart is drawn by the dashboard's own scripts: they run under the policy.
        await page.WaitForSelectorAsync("canvas.chartjs-render-monitor", new() { State = WaitForSelectorState.Attached });
        Assert.False(await CanRunInlineScriptAsync(page));

        Assert.Empty(violations);
    }
}
