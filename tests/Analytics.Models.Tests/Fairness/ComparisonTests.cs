using Analytics.Models.Fairness;

namespace Analytics.Models.Tests.Fairness;

public class ComparisonTests
{
    [Fact]
    public void the_comparison_pairs_groups_and_measures_the_change_in_distance_from_parity()
    {
        // Before: b's O/E ratio 0.7 (|1 − 0.7| = 0.3); after: 0.9 (0.1) → change −0.2, fail → pass.
        // "c" exists only after.
        var policy = new FairnessPolicy { Intersections = [], MinimumObservedCases = 10 };
        var before = FairnessAudit.Run(Territory.Copies(40, "a", 100, 100).Concat(Territory.Copies(30, "b", 70, 100)).ToList(), policy);
        var after = FairnessAudit.Run(
            Territory.Copies(40, "a", 100, 100).Concat(Territory.Copies(30, "b", 90, 100)).Concat(Territory.Copies(30, "c", 100, 100)).ToList(), policy);

        var comparison = FairnessComparison.Between(before, after);

        var b = comparison.Changes.Single(c => c.Group == "b" && c.Metric == FairnessMetric.Calibration);
        Assert.Equal(0.7, b.RatioBefore!.Value, 12);
        Assert.Equal(0.9, b.RatioAfter!.Value, 12);
        Assert.Equal(-0.2, b.DisparityChange!.Value, 12);
        Assert.Equal(Verdict.Fail, b.VerdictBefore);
        Assert.Equal(Verdict.Pass, b.VerdictAfter);
        var c = comparison.Changes.Single(c => c.Group == "c" && c.Metric == FairnessMetric.Calibration);
        Assert.Null(c.VerdictBefore);
        Assert.Null(c.DisparityChange);
        Assert.Equal(Verdict.Fail, comparison.OverallBefore);
        Assert.Equal(3 * Enum.GetValues<FairnessMetric>().Length, comparison.Changes.Count);
    }
}
