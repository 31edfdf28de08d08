using System.Globalization;
using Analytics.Testing;
using Microsoft.Playwright;

namespace Analytics.Benchmarks;

/// <summary>
/// The map explorer's first choropleth paint in Debian's Chromium against a running instance (<c>--url</c>), as an
/// account signs in (<c>--user</c>, password in <c>ANALYTICS_PASSWORD</c>): the page's own Performance API measure
/// from the screen's opening to the map's first idle frame (data read, tiles fetched and drawn), in a fresh browser
/// context per run (no cache). Prints each run — with when the level's figures had arrived, when the last tile had, and
/// how many tile bytes were fetched (Resource Timing), to tell the server's share from the browser's — and the median.
/// </summary>
internal static class MapPaintBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arguments.Option(args, "--url") ?? "http://127.0.0.1:5080";
        var user = Arguments.Option(args, "--user") ?? throw new ArgumentException("--user: an account that may read published figures");
        var password = Environment.GetEnvironmentVariable("ANALYTICS_PASSWORD") ?? throw new ArgumentException("ANALYTICS_PASSWORD: the account's password");
        var runs = int.Parse(Arguments.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var durations = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
                var page = await context.NewPageAsync();
                // Tiles are fetched by MapLibre's workers, out of the page's Resource Timing: their ends are taken here.
                var tileEnds = new System.Collections.Concurrent.ConcurrentBag<(DateTimeOffset At, long Bytes)>();
                page.RequestFinished += async (_, request) =>
                {
                    var at = DateTimeOffset.UtcNow;
                    if (request.Url.Contains(".mvt", StringComparison.Ordinal))
                        tileEnds.Add((at, (await request.SizesAsync()).ResponseBodySize));
                };
                await page.GotoAsync(url + "/");
                await page.FillAsync("#user-name", user);
                await page.FillAsync("#password", password);
                await page.PressAsync("#password", "Enter");
                await page.WaitForSelectorAsync("#map[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 300_000 });
                var ms = await page.EvaluateAsync<double>("() => performance.getEntriesByName('map-first-paint')[0].duration");
                var rows = await page.Locator("#map-table tbody tr").CountAsync();
                var opening = await page.EvaluateAsync<double[]>("""
                    () => {
                      const open = performance.getEntriesByName('map-open')[0].startTime;
                      const figures = performance.getEntriesByType('resource').filter(r => r.name.includes('/api/levels/'));
                      // The page's own marks: figures parsed, map style loaded, classes applied (the first of each).
                      const mark = (name) => (performance.getEntriesByName(name)[0]?.startTime ?? open) - open;
                      return [performance.timeOrigin + open, Math.max(0, ...figures.map(r => r.responseEnd)) - open, mark('map-figures'), mark('map-style'), mark('map-classes')];
                    }
                    """);
                var (openedAt, figuresAt) = (opening[0], opening[1]);
                var ends = tileEnds.ToList();
                var lastTile = ends.Count == 0 ? 0 : ends.Max(e => e.At.ToUnixTimeMilliseconds()) - openedAt;
                Console.WriteLine(FormattableString.Invariant(
                    $"run {run}: first choropleth paint {ms:F0} ms ({rows:N0} rows on the table's page); figures in at {figuresAt:F0} ms, parsed at {opening[2]:F0} ms; map style loaded at {opening[3]:F0} ms; classes applied at {opening[4]:F0} ms; last of {ends.Count} tiles in at {lastTile:F0} ms ({ends.Sum(e => e.Bytes) / 1024:N0} KiB)"));
                durations.Add(ms);
            }
            durations.Sort();
            Console.WriteLine(FormattableString.Invariant($"median first paint: {durations[durations.Count / 2]:F0} ms (goal < 2,000 ms)"));
            return 0;
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
