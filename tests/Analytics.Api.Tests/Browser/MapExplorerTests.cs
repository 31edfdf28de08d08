using System.Collections.Concurrent;
using Analytics.Api.Tests.Territories;
using Analytics.Models.Access;
using Analytics.Testing;
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
/// The analyst's path in Debian's Chromium: sign in, the communes' published SIR drawn from the service's own tiles
/// with a legend naming the method, the period and the withheld states, and a table with the same figures; change
/// the indicator, the level, the period and the classification; hover and open a commune, go to its page, export
/// its figures as CSV — with axe-core finding nothing serious on any of those screens, the keyboard reaching
/// everything, and every request the page makes going to the app's own origin.
/// </summary>
public class MapExplorerTests(DemoWorldKestrelApi api) : BrowserTests, IClassFixture<DemoWorldKestrelApi>
{
    [Fact]
    public async Task an_analyst_maps_a_figure_changes_indicator_level_period_and_classes_then_opens_a_commune_page_and_exports_it()
    {
        Assert.True(File.Exists(RepositoryFiles.PathOf("src/Analytics.Api/wwwroot/vendor/maplibre/maplibre-gl.mjs")),
            "MapLibre is not vendored: run scripts/web.sh (scripts/test.sh does).");
        Assert.True(File.Exists(RepositoryFiles.PathOf("src/Analytics.Api/wwwroot/build/app.js")),
            "The web app is not bundled: run scripts/web.sh (scripts/test.sh does).");
        var page = await SignInAsync(api, await api.NewAccountAsync([Role.Analyst]));
        var problems = new ConcurrentBag<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add($"{message.Text} ({message.Location})"); };
        page.Response += (_, response) => { if (response.Status >= 400) problems.Add($"{response.Status} {response.Url}"); };
        page.PageError += (_, error) => problems.Add(error);
        await WaitForMapAsync(page);
        Assert.True(await page.EvaluateAsync<double>("() => performance.getEntriesByName('map-first-paint')[0].duration") > 0, "the first paint is measured");
        Assert.Equal("page", await page.GetAttributeAsync("#navigation a[href='#/carte']", "aria-current"));
        // The map opens on the communes outside the overseas départements, whose names it draws from the loaded geography;
        // the overseas département is a view of its own, named when first shown, as atlases inset it.
        var departements = await api.Database.ScalarAsync<string[]>("SELECT array_agg(name) FROM geo.territory WHERE level = 'departement' AND code NOT LIKE '97%'");
        var (overseasCode, overseasName) = await api.Database.FirstAsync<string, string>("SELECT code, name FROM geo.territory WHERE level = 'departement' AND code LIKE '97%'");
        var (overseasLon, overseasLat) = await api.Database.FirstAsync<double, double>(
            $"SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) AS c FROM geo.territory WHERE level = 'departement' AND code = '{overseasCode}') x");
        Assert.Equal(departements.Order(StringComparer.Ordinal), (await page.Locator(".map-name").AllInnerTextsAsync()).Order(StringComparer.Ordinal));
        Assert.False(await ShowsAsync(page, overseasLon, overseasLat), "the first view holds the overseas département: the region is drawn small beside an ocean");
        await page.SelectOptionAsync("#map-view", new SelectOptionValue { Label = $"{overseasName} ({overseasCode})" });
        await WaitForMapAsync(page);
        Assert.True(await ShowsAsync(page, overseasLon, overseasLat), "the overseas view does not show the overseas département");
        Assert.Contains(overseasName, await page.Locator(".map-name").AllInnerTextsAsync());
        await page.SelectOptionAsync("#map-view", new SelectOptionValue { Label = "Métropole" });
        await WaitForMapAsync(page);
        Assert.False(await ShowsAsync(page, overseasLon, overseasLat), "back on the main view, the overseas département is still in the frame");

        var communes = await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'commune'");
        Assert.Equal(100, await page.Locator("#map-table tbody tr").CountAsync());
        Assert.Contains($"{communes} territoires", await page.InnerTextAsync("#map-table caption"));
        Assert.Contains($"Page 1 sur {(communes + 99) / 100}", await page.InnerTextAsync("#map-table caption"));
        Assert.Contains("secret statistique", await page.InnerTextAsync("#map-legend"));
        Assert.Contains("Quantiles", await page.InnerTextAsync("#map-legend"));
        var latest = await api.Database.ScalarAsync<string>("SELECT max(period) FROM features.health_indicator");
        var (code, value) = await api.Database.FirstAsync<string, double>($"""
            SELECT t.code, h.value FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.condition_code = 'hosp_asthma' AND h.statistic = 'sir' AND h.value IS NOT NULL
              AND h.period = '{latest}' ORDER BY h.value DESC, t.code LIMIT 1
            """);
        // The first row is the highest published value.
        Assert.Equal(code, await page.GetAttributeAsync("#map-table tbody tr:first-child", "data-code"));
        var shown = await page.InnerTextAsync($"#map-table tbody tr[data-code='{code}'] td:nth-child(3)");
        Assert.Equal(Math.Round(value, 2), double.Parse(shown.Replace(',', '.').Replace("\u202f", ""), System.Globalization.CultureInfo.InvariantCulture), 2);

        // A tooltip names the territory under the pointer (the region's shape leaves some points of the frame empty).
        var box = (await page.Locator("#map").BoundingBoxAsync())!;
        for (var i = 1; i < 8 && await page.IsHiddenAsync("#map-tooltip"); i++)
        {
            await page.Mouse.MoveAsync(box.X + box.Width * i / 8, box.Y + box.Height / 2, new MouseMoveOptions { Steps = 3 });
            await page.WaitForTimeoutAsync(100);
        }
        Assert.Matches(@"\(\d[0-9AB]\d{3}\)", await page.InnerTextAsync("#map-tooltip strong"));

        await page.EvalOnSelectorAsync("#map-title", "title => title.scrollIntoView()");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("map-explorer.png") });
        await AssertAccessibleAsync(page, "map explorer");

        // The view as a PNG: the map's canvas with the title, legend and source drawn under it.
        var png = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#map-export-png"));
        var image = await File.ReadAllBytesAsync(await png.PathAsync());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image[..4]);
        var canvasHeight = await page.EvaluateAsync<int>("() => document.querySelector('#map canvas').height");
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20, 4)) > canvasHeight, "the legend and source are drawn under the map");

        // Another indicator: the table follows the published figures of that condition.
        await page.SelectOptionAsync("#map-condition", "hosp_copd");
        await WaitForMapAsync(page);
        var copdTop = await api.Database.ScalarAsync<string>($"""
            SELECT t.code FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
            WHERE h.level = 'commune' AND h.condition_code = 'hosp_copd' AND h.statistic = 'sir' AND h.value IS NOT NULL
              AND h.period = '{latest}' ORDER BY h.value DESC, t.code LIMIT 1
            """);
        Assert.Equal(copdTop, await page.GetAttributeAsync("#map-table tbody tr:first-child", "data-code"));

        // Another level: every EPCI in the table.
        await page.SelectOptionAsync("#map-level", "epci");
        await WaitForMapAsync(page);
        var epcis = await api.Database.ScalarAsync<long>("SELECT count(*) FROM geo.territory WHERE level = 'epci'");
        Assert.Contains($"{epcis} territoires", await page.InnerTextAsync("#map-table caption"));

        // An earlier period, by the slider: the legend names it.
        var first = await api.Database.ScalarAsync<string>("SELECT min(period) FROM features.health_indicator");
        await page.FillAsync("#map-period", "0");
        await page.WaitForFunctionAsync("period => document.querySelector('#map-legend .method').textContent.includes(period)", first);
        await WaitForMapAsync(page);
        Assert.Equal(first, await page.InnerTextAsync("#map-period-value"));

        // Other classifications: Jenks, then significance (three classes named by their meaning).
        await page.SelectOptionAsync("#map-method", "jenks");
        await page.WaitForFunctionAsync("() => document.querySelector('#map-legend .method').textContent.includes('Jenks')");
        await page.SelectOptionAsync("#map-method", "significance");
        await page.WaitForFunctionAsync("() => document.querySelector('#map-legend').textContent.includes('significativement supérieur à 1')");
        await WaitForMapAsync(page);

        // Back to the communes: the LISA clusters outlined and named, then a bivariate view against deprivation.
        await page.SelectOptionAsync("#map-level", "commune");
        await WaitForMapAsync(page);
        await page.SelectOptionAsync("#map-overlay", "lisa");
        await page.WaitForFunctionAsync("() => document.querySelector('#map-legend').textContent.includes('élevé entouré d’élevés'.replace('’', \"'\"))");
        await WaitForMapAsync(page);
        Assert.Contains("Grappe", await page.InnerTextAsync("#map-table thead"));
        await page.SelectOptionAsync("#map-exposure", "fdep");
        await page.WaitForFunctionAsync("() => document.querySelector('#map-legend .method').textContent.includes('Vue bivariée')");
        await WaitForMapAsync(page);
        Assert.Contains("Classe 9", await page.InnerTextAsync("#map-legend"));
        Assert.Contains("Exposition", await page.InnerTextAsync("#map-table thead"));
        Assert.True(await page.IsDisabledAsync("#map-method"), "the bivariate view classes by terciles");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("map-bivariate-clusters.png") });
        await AssertAccessibleAsync(page, "bivariate view with clusters");
        await page.SelectOptionAsync("#map-exposure", "");
        await page.SelectOptionAsync("#map-overlay", "none");
        await WaitForMapAsync(page);

        // Open a commune from the table, then its page.
        var opened = (await page.GetAttributeAsync("#map-table tbody tr:first-child", "data-code"))!;
        await page.ClickAsync($"#map-table tbody tr[data-code='{opened}'] button");
        await page.WaitForSelectorAsync("#territory-panel:not([hidden]) table tbody tr");
        Assert.Equal(5, await page.Locator("#territory-panel table tbody tr").CountAsync()); // beside its EPCI, département, région and the whole
        Assert.Equal("Ensemble des territoires", await page.InnerTextAsync("#territory-panel table tbody tr:last-child th"));
        await page.ClickAsync("#territory-page-link");
        await page.WaitForSelectorAsync("#territory-title");
        Assert.Contains(opened, await page.InnerTextAsync("#territory-title"));
        Assert.EndsWith($"#/territoire/commune/{opened}", page.Url);
        var conditions = await api.Database.ScalarAsync<long>("SELECT count(DISTINCT condition_code) FROM features.health_indicator");
        Assert.Equal(conditions, await page.Locator("#territory-page table.comparison").CountAsync());
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#territory-page img.chart')].slice(0, 1).every(i => i.complete && i.naturalWidth > 0)");
        Assert.Contains("Expositions environnementales", await page.InnerTextAsync("#territory-page"));
        Assert.Contains("Profil socio-économique", await page.InnerTextAsync("#territory-page"));
        // Methods in words, not the stage's codes (area, idw, gi_star).
        Assert.Contains("moyenne pondérée par la surface", await page.InnerTextAsync("#territory-page"));
        Assert.DoesNotContain("gi_star", await page.InnerTextAsync("#territory-page"));
        Assert.Contains("observation-sante@ars.example", await page.InnerTextAsync("#contact"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("territory-page.png"), FullPage = true });
        await AssertAccessibleAsync(page, "territory page");

        // The page is addressable: a reload opens the same territory.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#territory-title");
        Assert.Contains(opened, await page.InnerTextAsync("#territory-title"));

        // An address naming no territory says so without asking the API for one.
        await page.GotoAsync($"{api.Address}/#/territoire");
        await page.WaitForFunctionAsync("() => document.querySelector('#territory-content h2')?.textContent === 'Territoire inconnu.'");
        Assert.DoesNotContain(requests, r => r.Contains("/api/territories/undefined", StringComparison.Ordinal));
        await page.GotoAsync($"{api.Address}/#/territoire/commune/{opened}");
        await page.WaitForSelectorAsync("#territory-title");

        // Its figures as CSV, reached from the keyboard.
        await page.FocusAsync("#territory-title");
        for (var i = 0; i < 200 && await page.EvaluateAsync<string>("() => document.activeElement?.id") != "territory-export-csv"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("territory-export-csv", await page.EvaluateAsync<string>("() => document.activeElement?.id"));
        var download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains(opened, csv);
        Assert.Contains("hosp_copd", csv);

        // The language switch re-renders the page on display, and is remembered.
        await page.ClickAsync("#language");
        await page.WaitForFunctionAsync("() => document.querySelector('#territory-page').textContent.includes('Published health indicators')");
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#territory-title");
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));

        Assert.Contains(requests, r => r.Contains("/tiles/commune/", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Contains("/tiles/departement/", StringComparison.Ordinal)); // the outlines under the communes
        AssertOnlyOwnOrigin(api);
        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }

    [Fact]
    public async Task the_map_table_works_from_the_keyboard()
    {
        var page = await SignInAsync(api, await api.NewAccountAsync([Role.Analyst]), "#/carte");
        await WaitForMapAsync(page);

        // A header sorts, a row's button opens the territory and moves focus there, its link opens the page.
        await page.Locator("#map-table thead button").Nth(1).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("ascending", await page.GetAttributeAsync("#map-table thead th:nth-child(2)", "aria-sort"));
        var firstName = await page.InnerTextAsync("#map-table tbody tr:first-child td:nth-child(2)");
        Assert.Equal(await api.Database.ScalarAsync<string>("SELECT name FROM geo.territory WHERE level = 'commune' ORDER BY name COLLATE \"fr-FR-x-icu\" LIMIT 1"), firstName);
        await page.Locator("#map-table tbody tr:first-child button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("name => document.activeElement?.tagName === 'H3' && document.activeElement.textContent.includes(name)", firstName);
        for (var i = 0; i < 20 && await page.EvaluateAsync<string>("() => document.activeElement?.id") != "territory-page-link"; i++)
            await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("name => document.activeElement?.id === 'territory-title' && document.activeElement.textContent.includes(name)", firstName);

        // Search by name, from the keyboard: the match opens the territory's page.
        await page.ClickAsync("#navigation a[href='#/carte']");
        await page.FocusAsync("#map-search-input");
        await page.Keyboard.TypeAsync(firstName.ToUpperInvariant());
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#map-search-results a");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Contains(firstName, await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("name => document.activeElement?.id === 'territory-title' && document.activeElement.textContent.includes(name)", firstName);
        AssertOnlyOwnOrigin(api);
    }

    // Whether the map's frame (its data-bounds: west, south, east, north) holds the point.
    private static async Task<bool> ShowsAsync(IPage page, double lon, double lat)
    {
        var bounds = (await page.GetAttributeAsync("#map", "data-bounds"))!.Split(',').Select(b => double.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return lon >= bounds[0] && lon <= bounds[2] && lat >= bounds[1] && lat <= bounds[3];
    }

    internal static Task WaitForMapAsync(IPage page) =>
        page.WaitForSelectorAsync("#map[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 60_000 });
}
