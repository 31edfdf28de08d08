using Analytics.Models.Spatial;
using Analytics.Models.Tests.Epidemiology;

namespace Analytics.Models.Tests.Spatial;

public class GetisOrdTests
{
    [Fact]
    public void gi_star_on_a_line_matches_the_hand_computation()
    {
        // Hand computation: x = 1..4, x̄ = 2.5, s² = Σ(x − x̄)²/n = 5/4. Area 0: neighbourhood {0, 1},
        // sum 3, W = 2 → z = (3 − 5)/(s√((4·2 − 4)/3)) = −2/√(5/3). Area 1: {0, 1, 2}, sum 6, W = 3 →
        // z = (6 − 7.5)/(s√((12 − 9)/3)) = −3/√5. Areas 2 and 3 mirror them.
        var z = GetisOrd.GiStar(Line.Values, Line.Weights(WeightStyle.Binary)).Z;

        Assert.Equal(-2 / Math.Sqrt(5.0 / 3), z[0], 12);
        Assert.Equal(-3 / Math.Sqrt(5), z[1], 12);
        Assert.Equal(3 / Math.Sqrt(5), z[2], 12);
        Assert.Equal(2 / Math.Sqrt(5.0 / 3), z[3], 12);
    }

    [Theory]
    [InlineData(WeightStyle.Binary)]
    [InlineData(WeightStyle.RowStandardised)]
    public void north_carolina_gi_star_matches_spdep_localg_with_self_included(WeightStyle style)
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("localG_include_self").Doubles();

        var z = GetisOrd.GiStar(NorthCarolinaSids.Rate74, NorthCarolinaSids.Queen(style)).Z;

        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], z[i], 1e-11);
    }

    [Fact]
    public void islands_get_no_score()
    {
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();

        var z = GetisOrd.GiStar(smr, ScotlandLipCancer.Weights(WeightStyle.Binary)).Z;

        Assert.Equal([5, 7, 10], Enumerable.Range(0, z.Count).Where(i => double.IsNaN(z[i])));
    }

    [Theory]
    // Two-sided normal tail probabilities, 2·Φ(−|z|), from standard normal tables: Φ(−2.5) = 0.0062097, Φ(−3) = 0.0013499, Φ(−1) = 0.1586553.
    [InlineData(2.5, HotSpotCategory.HotSpot, 0.0124193)]
    [InlineData(-3.0, HotSpotCategory.ColdSpot, 0.0026998)]
    [InlineData(1.0, HotSpotCategory.NotSignificant, 0.3173105)]
    public void a_z_score_is_classified_by_its_two_sided_p_value(double z, HotSpotCategory category, double p)
    {
        var (actual, pValue) = GetisOrd.Classify(z);

        Assert.Equal(category, actual);
        Assert.Equal(p, pValue, 1e-6);
    }

    [Fact]
    public void an_island_has_no_category_nor_p_value()
    {
        var (category, p) = GetisOrd.Classify(double.NaN);

        Assert.Equal(HotSpotCategory.Island, category);
        Assert.True(double.IsNaN(p));
    }
}
