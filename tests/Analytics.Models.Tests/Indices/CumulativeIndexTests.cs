using System.Runtime.CompilerServices;
using System.Text.Json;
using Analytics.Models.Indices;
using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Indices;

public class CumulativeIndexTests
{
    [Fact]
    public void percentiles_run_from_zero_to_one_hundred_with_ties_averaged_and_missing_values_left_out()
    {
        var percentiles = PercentileRanks.Of([8, 8, 12, null, 6]);

        Assert.Equal([50.0, 50.0, 100.0, null, 0.0], percentiles);
    }

    [Fact]
    public void a_single_present_value_has_no_percentile()
    {
        Assert.Equal([null, null], PercentileRanks.Of([3.0, null]));
    }

    [Fact]
    public void the_hand_computed_example_matches_every_step_of_the_ces_method()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(GoldenFile("ces_hand_example.json"))).RootElement;
        var (indicators, territories) = Read(golden);

        var scores = CumulativeIndex.Compute(indicators, territories);

        foreach (var expected in golden.GetProperty("expected").EnumerateArray())
        {
            var code = expected.GetProperty("code").GetString()!;
            var actual = scores.Single(s => s.Territory == code);
            AssertClose(Numbers(expected.GetProperty("percentiles")), actual.Percentiles, code + " percentiles");
            AssertClose(Numbers(expected.GetProperty("components")),
                Enum.GetValues<IndexComponent>().Select(c => actual.Components.Of(c)).ToList(), code + " components");
            AssertClose([Number(expected.GetProperty("burden"))], [actual.PollutionBurden], code + " burden");
            AssertClose([Number(expected.GetProperty("characteristics"))], [actual.PopulationCharacteristics], code + " characteristics");
            AssertClose([Number(expected.GetProperty("burden_score"))], [actual.PollutionBurdenScore], code + " burden score");
            AssertClose([Number(expected.GetProperty("characteristics_score"))], [actual.PopulationCharacteristicsScore], code + " characteristics score");
            AssertClose([Number(expected.GetProperty("score"))], [actual.Score], code + " score");
            AssertClose([Number(expected.GetProperty("score_percentile"))], [actual.ScorePercentile], code + " score percentile");
        }
    }

    [Fact]
    public void a_territory_without_data_gets_no_score_and_says_which_components_lacked_indicators()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(GoldenFile("ces_hand_example.json"))).RootElement;
        var (indicators, territories) = Read(golden);

        var t6 = CumulativeIndex.Compute(indicators, territories).Single(s => s.Territory == "T6");

        Assert.Null(t6.Score);
        Assert.Equal(4, t6.Gaps.Count);
        Assert.Contains("SensitivePopulations: 0 of 1 indicators have a percentile", t6.Gaps);
    }

    [Fact]
    public void a_component_with_fewer_than_half_its_indicators_present_is_missing()
    {
        Indicator[] indicators =
        [
            new("e1", IndexComponent.Exposures), new("e2", IndexComponent.Exposures), new("e3", IndexComponent.Exposures),
            new("f", IndexComponent.EnvironmentalEffects), new("s", IndexComponent.SensitivePopulations), new("x", IndexComponent.SocioeconomicFactors),
        ];
        TerritoryIndicators T(string code, double? e1, double? e2, double? e3, double v) =>
            new(code, new[] { e1, e2, e3, v, v, v }.Select(x => x is { } y ? Published.Of(y) : Published<double>.Missing).ToList());

        var scores = CumulativeIndex.Compute(indicators, [T("A", 1, null, null, 1), T("B", 2, 2, 2, 2), T("C", 3, 3, 3, 3)]);

        Assert.Null(scores[0].Components.Exposures); // 1 of 3 < half
        Assert.Null(scores[0].ScorePercentile);
        Assert.Equal(0.0, scores[1].ScorePercentile); // B and C ranked between themselves
        Assert.Equal(100.0, scores[2].ScorePercentile);
    }

    [Fact]
    public void the_score_never_exceeds_one_hundred_and_the_top_burden_and_characteristics_scores_are_ten()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(GoldenFile("ces_hand_example.json"))).RootElement;
        var (indicators, territories) = Read(golden);

        var scores = CumulativeIndex.Compute(indicators, territories);

        Assert.All(scores, s => Assert.True(s.Score is null or (>= 0 and <= 100)));
        Assert.Equal(10, scores.Max(s => s.PollutionBurdenScore));
        Assert.Equal(10, scores.Max(s => s.PopulationCharacteristicsScore));
    }

    internal static (List<Indicator>, List<TerritoryIndicators>) Read(JsonElement golden)
    {
        var indicators = golden.GetProperty("indicators").EnumerateArray().Select(i => new Indicator(
            i.GetProperty("code").GetString()!,
            Enum.Parse<IndexComponent>(i.GetProperty("component").GetString()!),
            i.GetProperty("higher_is_worse").GetBoolean())).ToList();
        var territories = golden.GetProperty("territories").EnumerateArray().Select(t => new TerritoryIndicators(
            t.GetProperty("code").GetString()!,
            t.GetProperty("values").EnumerateArray().Select(v => v.ValueKind switch
            {
                JsonValueKind.Number => Published.Of(v.GetDouble()),
                JsonValueKind.String when v.GetString() == "suppressed" => Published<double>.Suppressed,
                _ => Published<double>.Missing,
            }).ToList())).ToList();
        return (indicators, territories);
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    private static List<double?> Numbers(JsonElement array) => array.EnumerateArray().Select(Number).ToList();

    private static void AssertClose(IReadOnlyList<double?> expected, IReadOnlyList<double?> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].HasValue == actual[i].HasValue, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
            if (expected[i] is { } e)
                Assert.True(Math.Abs(e - actual[i]!.Value) < 1e-9, $"{what}[{i}]: expected {e}, got {actual[i]}");
        }
    }

    private static string GoldenFile(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", name);
}
