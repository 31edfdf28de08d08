using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Release;
using Analytics.Models.Planning;
using Analytics.Testing;

namespace Analytics.Benchmarks;

/// <summary>
/// Prevention planning against a running instance (<c>--url</c>, a planner's or analyst's token) whose model
/// <c>--model</c> has a release in force, and its database (<c>--database</c>): the simulator (every rule, a budget of
/// 10% of the population, a planner weighting) and the exposure scenario (PM2.5 −10% everywhere), each answered
/// <c>--runs</c> times over HTTP after a first, cold request (the release's planning set read from the database),
/// beside the same computation in process on the same planning set — no HTTP, no gate, no JSON. Prints the cold time,
/// p50 and p99 of each, and the p50 ratio HTTP / in process.
/// </summary>
internal static class PlanningBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arguments.Option(args, "--url") ?? "http://127.0.0.1:5080";
        var token = Arguments.Option(args, "--token") ?? Environment.GetEnvironmentVariable("ANALYTICS_TOKEN")
            ?? throw new ArgumentException("--token (or ANALYTICS_TOKEN): a personal API token of a planner or an analyst");
        var database = Arguments.Option(args, "--database") ?? Environment.GetEnvironmentVariable("Database__ConnectionString")
            ?? throw new ArgumentException("--database (or Database__ConnectionString): the instance's database");
        var model = Arguments.Option(args, "--model") ?? "asthma_commune";
        var runs = int.Parse(Arguments.Option(args, "--runs") ?? "30", CultureInfo.InvariantCulture);
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", "planning.json");

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        const string targeting = "targeting?populationShare=0.1&weights=excess:1,fdep:1";
        const string scenario = "scenario?indicator=pm25_annual&reduction=10&unit=percent";
        var cold = Stopwatch.StartNew();
        var first = await http.GetAsync($"/api/planning/{model}/{targeting}");
        cold.Stop();
        if (first.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"the instance answered {(int)first.StatusCode} to the simulator: is a release of {model} in force, and the token a reader's?");

        await using var dataSource = AnalyticsDatabase.CreateDataSource(database);
        var release = await new PublishedReleases(dataSource).InForceAsync(model) ?? throw new InvalidOperationException($"no release of {model} in force in --database");
        var set = (await new PlanningSets(dataSource).ReadAsync(release))!;
        var territories = set.Communes.Select(c => c.Territory()).ToList();
        var coefficient = set.Coefficients.Single(c => c.Name == "pm25_annual");
        var weights = new Dictionary<string, double> { ["excess"] = 1, ["fdep"] = 1 };
        Console.WriteLine($"{territories.Count:N0} communes, release {release.ReleaseId}; first simulator request (planning set read): {cold.Elapsed.TotalMilliseconds:F0} ms");

        var results = new Dictionary<string, object>();
        foreach (var (name, path, local) in new (string, string, Action)[]
        {
            ("simulator", targeting, () => TargetingSimulator.Compare(territories, TargetingBudget.Population(0.1), weights, set.Dispersion)),
            ("scenario", scenario, () => ExposureScenario.Run(territories.Select(t => new ExposureTerritory(t.Code, t.PredictedCases, t.Factors["pm25_annual"])),
                ExposureReduction.Percentage(10), new ExposureAssociation(coefficient.Estimate, coefficient.StandardError))),
        })
        {
            (await http.GetAsync($"/api/planning/{model}/{path}")).EnsureSuccessStatusCode();
            local();
            var overHttp = new List<double>();
            var inProcess = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var response = await http.GetAsync($"/api/planning/{model}/{path}");
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                overHttp.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                local();
                inProcess.Add(clock.Elapsed.TotalMilliseconds);
            }
            var (p50, p99, l50) = (Percentile(overHttp, 0.5), Percentile(overHttp, 0.99), Percentile(inProcess, 0.5));
            Console.WriteLine($"{name,-10} HTTP p50 {p50,7:F1} ms  p99 {p99,7:F1} ms | in process p50 {l50,7:F1} ms | ratio {p50 / l50:F1}×");
            results[name] = new { httpP50 = p50, httpP99 = p99, inProcessP50 = l50, ratio = p50 / l50 };
        }
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { communes = territories.Count, coldMs = cold.Elapsed.TotalMilliseconds, runs, results },
            new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
