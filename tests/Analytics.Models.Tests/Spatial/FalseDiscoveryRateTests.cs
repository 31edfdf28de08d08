using Analytics.Models.Spatial;

namespace Analytics.Models.Tests.Spatial;

public class FalseDiscoveryRateTests
{
    [Fact]
    public void benjamini_hochberg_matches_r_p_adjust()
    {
        // R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04), "BH") = 0.030 0.048 0.048 0.030 0.500 0.048.
        // By hand: sorted 0.005, 0.01, 0.03, 0.04, 0.04, 0.5 times 6/rank = 0.03, 0.03, 0.06, 0.06, 0.048, 0.5,
        // then the running minimum from the top: 0.03, 0.03, 0.048, 0.048, 0.048, 0.5.
        var adjusted = FalseDiscoveryRate.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5, 0.04]);

        Assert.Equal([0.030, 0.048, 0.048, 0.030, 0.500, 0.048], adjusted.Select(p => Math.Round(p, 12)));
    }
}
