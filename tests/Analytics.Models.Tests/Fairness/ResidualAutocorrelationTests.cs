using Analytics.Models.Fairness;
using Analytics.Models.Spatial;

namespace Analytics.Models.Tests.Fairness;

public class ResidualAutocorrelationTests
{
    [Fact]
    public void residuals_clustered_along_a_line_give_a_positive_morans_i_in_the_report()
    {
        // 40 territories on a line, each the neighbour of the next: the first 20 record 130 cases for 100 expected, the
        // last 20 record 70. Pearson residuals are +3 then −3, one block each, so all 38 same-sign links agree and only
        // the middle link disagrees: I = (n/S0)·Σwᵢⱼzᵢzⱼ/Σz² = (40/78)·(2·(38 − 1)·9)/(40·9) = 74/78 ≈ 0.949.
        var territories = Enumerable.Range(0, 40).Select(i => Territory.In(i < 20 ? "a" : "b", i < 20 ? 130 : 70, 100, code: $"T{i}")).ToList();
        var line = SpatialWeights.FromNeighbours(
            Enumerable.Range(0, 40).Select(i => (IReadOnlyList<int>)new[] { i - 1, i + 1 }.Where(j => j is >= 0 and < 40).ToArray()).ToList(),
            WeightStyle.Binary);

        var moran = FairnessAudit.Run(territories, Territory.NoMinimums, line).ResidualAutocorrelation!;

        Assert.Equal(74.0 / 78, moran.I, 12);
        Assert.True(moran.Permutation!.PseudoPValue < 0.01);
        Assert.Null(FairnessAudit.Run(territories, Territory.NoMinimums).ResidualAutocorrelation);
        Assert.Throws<ArgumentException>(() => FairnessAudit.Run(territories.Take(39).ToList(), Territory.NoMinimums, line));
    }
}
