using Analytics.Models.Indices;
using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Indices;

public class RankRobustnessTests
{
    /// <summary>
    /// One indicator per component; each column is a permutation of 0, 25, 50, 75, 100, so the raw
    /// values are their own percentiles and every step can be done by hand.
    /// X is very burdened but only moderately deprived; Y is high on everything.
    /// </summary>
    private static readonly Indicator[] Indicators =
    [
        new("exposure", IndexComponent.Exposures), new("effects", IndexComponent.EnvironmentalEffects),
        new("sensitivity", IndexComponent.SensitivePopulations), new("deprivation", IndexComponent.SocioeconomicFactors),
    ];

    private static readonly TerritoryIndicators[] Territories =
    [
        T("X", 100, 100, 100, 25),
        T("Y", 75, 75, 75, 75),
        T("W", 0, 0, 50, 100),
        T("U", 50, 50, 25, 50),
        T("V", 25, 25, 0, 0),
    ];

    private static TerritoryIndicators T(string code, params double[] values) => new(code, values.Select(Published.Of).ToList());

    [Fact]
    public void a_territory_top_under_ces_falls_to_second_under_the_geometric_mean_and_its_rank_interval_shows_it()
    {
        // CES: burden B = (E + F/2)/1.5 = E here; X 100, Y 75, W 0, U 50, V 25 → /100 × 10.
        // Characteristics C = (S + D)/2: X 62.5, Y 75, W 75, U 37.5, V 0 → /75 × 10.
        // Scores: X 10 × 8.333 = 83.3, Y 7.5 × 10 = 75, U 5 × 5 = 25, W 0, V 0.
        // Geometric mean of the four: X (100·100·100·25)^¼ = 70.7, Y 75, U (50·50·25·50)^¼ = 42.0, W 0, V 0.
        var view = RankRobustness.Compute(Indicators, Territories,
            [Aggregation.CalEnviroScreen, new Aggregation("geometric mean", ComponentWeights.Equal, Combination.GeometricMean)]);

        Assert.Equal([1, 2], view.For("X").Ranks);
        Assert.Equal([2, 1], view.For("Y").Ranks);
        Assert.Equal((1, 2), (view.For("X").Best, view.For("X").Worst));
        Assert.Equal(1, view.For("X").TimesInTop(1));
        Assert.Equal([3, 3], view.For("U").Ranks);
        Assert.Equal([4, 4], view.For("W").Ranks); // tied at zero: both share rank 4
        Assert.Equal([4, 4], view.For("V").Ranks);
    }

    [Fact]
    public void the_additive_aggregation_lets_one_extreme_side_make_up_for_the_other()
    {
        // Sum of the 0–10 scores: X 10 + 8.333 = 18.3, Y 17.5, W 0 + 10 = 10, U 5 + 5 = 10, V 2.5 + 0.
        var view = RankRobustness.Compute(Indicators, Territories, Aggregation.Standard);

        var additive = Aggregation.Standard.ToList().FindIndex(a => a.Combination == Combination.Sum);
        Assert.Equal(3, view.For("W").Ranks[additive]);
        Assert.Equal(3, view.For("U").Ranks[additive]);
        Assert.Equal(4, view.For("W").Ranks[0]); // a score of zero under CES
        Assert.Equal((3, 4), (view.For("W").Best, view.For("W").Worst));
    }

    [Fact]
    public void the_ces_aggregation_ranks_as_the_ces_score_does()
    {
        var scores = CumulativeIndex.Compute(Indicators, Territories);
        var view = RankRobustness.Compute(Indicators, Territories, [Aggregation.CalEnviroScreen]);

        var byScore = scores.OrderByDescending(s => s.Score).Select(s => s.Territory).ToList();
        Assert.Equal(["X", "Y", "U"], byScore.Take(3));
        Assert.Equal(83.333333333, scores.Single(s => s.Territory == "X").Score!.Value, 6);
        Assert.Equal([1], view.For("X").Ranks);
    }
}
