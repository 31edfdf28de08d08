using System.Collections.Concurrent;
using Analytics.Api.Tests.Territories;
using Analytics.Models.Access;
using Analytics.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>The demo world with its features built, on a real Kestrel port, for the browser.</summary>
public sealed class DemoWorldKestrelApi : KestrelApiFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DemoWorld.LoadAndBuildAsync(this);
    }
}

/// <summary>
/// The map explorer in Debian's Chromium: an analyst signs in, the communes' published SIR is drawn from the
/// service's own tiles with a legend naming the method, the period and the withheld states; the table beside it
/// holds the same figures; changing the statistic redraws both; a commune opens with its figures; and every request
/// the page makes goes to the app's own origin.
/// </summary>
public class MapExplorerTests(DemoWorldKestrelApi api) : BrowserTests, IClassFixture<DemoWorldKestrelApi>
{
    [Fact]
    public async Task an_analyst_maps_a_published_figure_switches_it_and_opens_a_commune_asking_nothing_of_another_origin()
    {
        Assert.True(File.Exists(RepositoryFiles.PathOf("src/Analytics.Api/wwwroot/vendor/maplibre/maplibre-gl.mjs")),
            "MapLibre is not vendored: run scripts/web.sh (scripts/test.sh does).");
        var account = await api.NewAccountAsync([Role.Analyst]);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var requests = new ConcurrentBag<string>();
        var problems = new ConcurrentBag<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        page.Console += (_, message) => { if (message.Type == "error") problems.Add($"{message.Text} ({message.Location})"); };
        page.Response += (_, response) => { if (response.Status >= 400) problems.Add($"{response.Status} {response.Url}"); };
        page.PageError += (_, error) => problems.Add(error);

        await page.GotoAsync(api.Address + "/");
        await page.FillAsync("#user-name", account.UserName);
        await page.FillAsync("#password", account.Password);
        await page.PressAsync("#password", "Enter");
        await page.WaitForSelectorAsync("#session:not([hidden])");
        // Before signing in the page asks who is signed in and is told 401: expected, not a problem of the map.
        problems.Clear();
        await page.WaitForSelectorAsync("#map[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<double>("() => performance.getEntriesByName('map-first-paint')[0].duration") > 0, "the first paint is measured");

        var communes = await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'");
        Assert.Equal(100, await page.Locator("#map-table tbody tr").CountAsync());
        Assert.Contains($"{communes} territoires", await page.InnerTextAsync("#map-table caption"));
        Assert.Contains($"Page 1 sur {(communes + 99) / 100}", await page.InnerTextAsync("#map-table caption"));
        Assert.Contains("secret statistique", await page.InnerTextAsync("#map-legend"));
        Assert.Contains("Quantiles", await page.InnerTextAsync("#map-legend"));
        var (code, value) = await api.Database.FirstAsync<string, double>("""
            SELECT t.code, h.value FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.condition_code = 'hosp_asthma' AND h.statistic = 'sir' AND h.value IS NOT NULL
              AND h.period = (SELECT max(period) FROM features.health_indicator) ORDER BY h.value DESC, t.code LIMIT 1
            """);
        var shown = await page.InnerTextAsync($"#map-table tbody tr[data-code='{code}'] td:nth-child(3)");
        Assert.Equal(Math.Round(value, 2), double.Parse(shown.Replace(',', '.').Replace("\u202f", ""), System.Globalization.CultureInfo.InvariantCulture), 2);
        // The first row is the highest published value.
        Assert.Equal(code, await page.GetAttributeAsync("#map-table tbody tr:first-child", "data-code"));

        await page.SelectOptionAsync("#map-statistic", "crude_rate");
        await page.WaitForFunctionAsync("() => document.querySelector('#map-legend').textContent.length > 0 && document.querySelector('#map').getAttribute('aria-label').includes('Taux brut')");
        await page.WaitForSelectorAsync("#map[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 60_000 });

        await page.ClickAsync($"#map-table tbody tr[data-code='{code}'] button");
        await page.WaitForSelectorAsync("#territory-panel:not([hidden]) table tbody tr");
        Assert.Contains(code, await page.InnerTextAsync("#territory-panel h4"));
        // Beside its EPCI, département and région, and its series drawn by the API (an image that loaded).
        Assert.Equal(4, await page.Locator("#territory-panel table tbody tr").CountAsync());
        await page.WaitForFunctionAsync("() => { const img = document.querySelector('#territory-panel img'); return img && img.complete && img.naturalWidth > 0; }");

        Directory.CreateDirectory(RepositoryFiles.PathOf(".local/screenshots"));
        await page.EvalOnSelectorAsync("#map-title", "title => title.scrollIntoView()");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryFiles.PathOf(".local/screenshots"), "map-explorer.png") });

        // Accessibility with a territory open: axe-core (bundled, run in the page) finds nothing serious or critical.
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length} nodes)").ToList();
        Assert.True(serious.Count == 0, string.Join("; ", serious));
        Assert.NotEmpty(axe.Passes);

        // The table works from the keyboard: a header sorts, a row's button opens the territory and moves focus there.
        await page.Locator("#map-table thead button").Nth(1).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("ascending", await page.GetAttributeAsync("#map-table thead th:nth-child(2)", "aria-sort"));
        var firstName = await page.InnerTextAsync("#map-table tbody tr:first-child td:nth-child(2)");
        Assert.Equal(await api.Database.ScalarAsync<string>("SELECT name FROM geo.territory WHERE level = 'commune' ORDER BY name COLLATE \"fr-FR-x-icu\" LIMIT 1"), firstName);
        await page.Locator("#map-table tbody tr:first-child button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("name => document.activeElement?.tagName === 'H4' && document.activeElement.textContent.includes(name)", firstName);

        // The language switch re-renders the legend and the table.
        await page.ClickAsync("#language");
        await page.WaitForFunctionAsync("() => document.querySelector('#map-legend').textContent.includes('statistical secrecy')");
        Assert.Contains("Value", await page.InnerTextAsync("#map-table thead"));
        Assert.Contains(requests, r => r.Contains("/tiles/commune/", StringComparison.Ordinal));
        Assert.All(requests, r => Assert.StartsWith(api.Address + "/", r));
        Assert.Empty(problems);
    }
}
