using System.Diagnostics;
using Analytics.Models.Randomness;
using Analytics.Models.Spatial;
using Analytics.Models.Tests.Epidemiology;
using Xunit.Abstractions;

namespace Analytics.Models.Tests.Spatial;

public class ScanStatisticTests(ITestOutputHelper output)
{
    [Fact]
    public void the_log_likelihood_ratio_matches_the_hand_computation()
    {
        // 10 cases where 4 were expected, out of 20: 10 ln(10/4) + 10 ln(10/16) = 4.4628710262841953.
        Assert.Equal(10 * Math.Log(2.5) + 10 * Math.Log(10.0 / 16), ScanStatistic.LogLikelihoodRatio(10, 4, 20), 12);
        Assert.Equal(0, ScanStatistic.LogLikelihoodRatio(3, 4, 20));
    }

    [Fact]
    public void the_scottish_most_likely_cluster_matches_an_independent_brute_force_search()
    {
        var golden = ScotlandLipCancer.Expected.GetProperty("scan_most_likely_cluster");

        var result = ScanStatistic.Run(ScotlandLipCancer.ScanAreas, new ScanOptions(Replicas: 999, Seed: 2024));

        var mostLikely = result.MostLikely!;
        Assert.Equal(golden.GetProperty("centre_district").GetInt32() - 1, mostLikely.Centre);
        Assert.Equal(golden.GetProperty("districts").Ints().Select(d => d - 1).Order(), mostLikely.Areas.Order());
        Assert.Equal(golden.GetProperty("cases").GetInt64(), mostLikely.Cases);
        Assert.Equal(golden.GetProperty("expected").GetDouble(), mostLikely.Expected, 1e-9);
        Assert.Equal(golden.GetProperty("log_likelihood_ratio").GetDouble(), mostLikely.LogLikelihoodRatio, 1e-9);
        Assert.Equal(0.001, mostLikely.PValue); // LLR 99: no replica comes near
        var next = golden.GetProperty("next_non_overlapping").EnumerateArray().ToArray();
        for (var k = 0; k < next.Length; k++)
        {
            Assert.Equal(next[k].GetProperty("centre_district").GetInt32() - 1, result.Secondary[k].Centre);
            Assert.Equal(next[k].GetProperty("log_likelihood_ratio").GetDouble(), result.Secondary[k].LogLikelihoodRatio, 1e-9);
        }
    }

    [Fact]
    public void a_planted_cluster_with_relative_risk_three_is_found_and_significant()
    {
        // Known generating model: a 20 × 20 grid of 1 km cells, 1,000 people each, baseline 5 expected
        // cases per cell; cells within 2.5 km of (10 km, 10 km) — 21 cells — have relative risk 3.
        var (areas, planted) = SyntheticGrid(relativeRisk: 3, seed: 17);

        var result = ScanStatistic.Run(areas, new ScanOptions(Replicas: 999, Seed: 5));

        var found = result.MostLikely!;
        Assert.True(found.PValue < 0.05, $"p = {found.PValue}");
        var overlap = found.Areas.Count(planted.Contains);
        Assert.True(overlap >= 0.8 * planted.Count, $"found {overlap} of {planted.Count} planted cells");
        Assert.True(overlap >= 0.8 * found.Areas.Count, $"{found.Areas.Count - overlap} of {found.Areas.Count} cells lie outside the planted cluster");
        Assert.InRange(found.ObservedOverExpected, 2, 4);
    }

    [Fact]
    public void without_a_cluster_the_most_likely_one_is_not_significant()
    {
        var (areas, _) = SyntheticGrid(relativeRisk: 1, seed: 17);

        var result = ScanStatistic.Run(areas, new ScanOptions(Replicas: 999, Seed: 5));

        Assert.True(result.MostLikely!.PValue > 0.05, $"p = {result.MostLikely.PValue}");
    }

    [Theory]
    [InlineData(int.MaxValue, 5)]
    [InlineData(4, 4)]
    [InlineData(3, 1)]
    public void areas_at_the_same_distance_enter_a_window_together(int maxAreas, int expectedSize)
    {
        // A centre (0) with four arms at distance 1 (1: east, 2: north, 3: west, 4: south), 10 cases on
        // each arm, none at the centre; ten far areas with few cases. From an arm the next areas are the
        // centre (1), then the two side arms together (√2), then the opposite arm (2). Windows may not
        // cut those groups, so with at most 3 areas the best window is a lone arm; split groups would
        // have given a 3-area window (20 cases, LLR 22) over the lone arm (10 cases, LLR 14).
        var areas = new List<ScanArea>
        {
            new(0, 0, 0, 2, 2), new(1, 0, 10, 2, 2), new(0, 1, 10, 2, 2), new(-1, 0, 10, 2, 2), new(0, -1, 10, 2, 2),
        };
        for (var k = 0; k < 10; k++)
            areas.Add(new ScanArea(1000 + 10 * k, 0, 2, 10, 10));

        var result = ScanStatistic.Run(areas, new ScanOptions(MaxAreasPerWindow: maxAreas, Replicas: 99));

        Assert.Equal(expectedSize, result.MostLikely!.Areas.Count);
    }

    [Fact]
    public void the_same_seed_gives_the_same_p_values()
    {
        var areas = ScotlandLipCancer.ScanAreas;

        var first = ScanStatistic.Run(areas, new ScanOptions(Replicas: 99, Seed: 8));
        var second = ScanStatistic.Run(areas, new ScanOptions(Replicas: 99, Seed: 8));

        Assert.Equal(first.Secondary.Select(c => c.PValue), second.Secondary.Select(c => c.PValue));
    }

    [Fact]
    public void thirty_five_thousand_areas_scan_in_seconds_with_a_window_cap()
    {
        // Commune-scale map: 35,000 random centroids over 300 km × 300 km, populations 50–5,000,
        // a planted relative risk of 2 within 5 km of the middle. Windows of at most 100 areas.
        var random = new SeededRandom(99);
        var areas = new ScanArea[35_000];
        for (var i = 0; i < areas.Length; i++)
        {
            double x = random.NextDouble(0, 300_000), y = random.NextDouble(0, 300_000);
            var population = Math.Round(random.NextDouble(50, 5_000));
            var expected = population * 0.002;
            var inside = Math.Pow(x - 150_000, 2) + Math.Pow(y - 150_000, 2) < 5_000.0 * 5_000;
            areas[i] = new ScanArea(x, y, random.NextPoisson(expected * (inside ? 2 : 1)), expected, population);
        }

        var clock = Stopwatch.StartNew();
        var result = ScanStatistic.Run(areas, new ScanOptions(MaxAreasPerWindow: 100, Replicas: 19, Seed: 1));
        output.WriteLine($"35,000 areas, {result.WindowCount:N0} windows, 19 replicas: {clock.Elapsed.TotalSeconds:F1} s");

        var centre = areas[result.MostLikely!.Centre];
        Assert.True(Math.Sqrt(Math.Pow(centre.X - 150_000, 2) + Math.Pow(centre.Y - 150_000, 2)) < 5_000);
        Assert.Equal(0.05, result.MostLikely.PValue);
    }

    [Fact]
    public void a_large_map_without_a_window_cap_is_refused_with_the_fix()
    {
        var areas = Enumerable.Range(0, 35_000).Select(i => new ScanArea(i % 200 * 1000.0, i / 200 * 1000.0, 1, 1, 100)).ToArray();

        var error = Assert.Throws<ArgumentException>(() => ScanStatistic.Run(areas));

        Assert.Contains("MaxAreasPerWindow", error.Message);
    }

    private static (ScanArea[] Areas, HashSet<int> Planted) SyntheticGrid(double relativeRisk, ulong seed)
    {
        var random = new SeededRandom(seed);
        var areas = new ScanArea[400];
        var planted = new HashSet<int>();
        for (var r = 0; r < 20; r++)
        for (var c = 0; c < 20; c++)
        {
            var i = r * 20 + c;
            var inside = Math.Pow(r - 10, 2) + Math.Pow(c - 10, 2) <= 2.5 * 2.5;
            if (inside)
                planted.Add(i);
            areas[i] = new ScanArea(c * 1000.0, r * 1000.0, random.NextPoisson(5 * (inside ? relativeRisk : 1)), 5, 1000);
        }
        return (areas, planted);
    }
}
