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
        var z = GetisOrd.GiStar(Line.Values, Line.Weights(WeightStyle.Binary));

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

        var z = GetisOrd.GiStar(NorthCarolinaSids.Rate74, NorthCarolinaSids.Queen(style));

        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], z[i], 1e-11);
    }

    [Fact]
    public void islands_get_no_score()
    {
        var smr = ScotlandLipCancer.Observed.Zip(ScotlandLipCancer.ExpectedCases, (o, e) => o / e).ToArray();

        var z = GetisOrd.GiStar(smr, ScotlandLipCancer.Weights(WeightStyle.Binary));

        Assert.Equal([5, 7, 10], Enumerable.Range(0, z.Length).Where(i => double.IsNaN(z[i])));
    }
}
