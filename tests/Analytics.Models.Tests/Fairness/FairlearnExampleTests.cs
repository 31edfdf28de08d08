using Analytics.Models.Fairness;

namespace Analytics.Models.Tests.Fairness;

/// <summary>
/// The priority-list metrics against Fairlearn's documented example: the arrays and printed results of the user
/// guide page "Performing a Fairness Assessment" (docs/user_guide/assessment/perform_fairness_assessment.rst in the
/// fairlearn/fairlearn repository, commit 0881dec6254349b91d7f4111c1d9df5b50e19c40; published at
/// https://fairlearn.org/main/user_guide/assessment/perform_fairness_assessment.html, Fairlearn 0.10 and later), and
/// the demographic parity values of "Common fairness metrics" (docs/user_guide/assessment/common_fairness_metrics.rst,
/// commit 04c0376349bbf95ba709ffda1f9eb819559ca5d6), which uses the same arrays. The spreads (difference and ratio,
/// between groups and to overall), demographic parity, equalised odds and the confusion matrices are the printed
/// outputs of the same pages and of "Advanced Usage of MetricFrame" (docs/user_guide/assessment/advanced_metricframe.rst),
/// as at commit ebf8fa75381b112a75d0bd15f13927de7824bccf; pandas prints them to 6 decimals, so they are checked to
/// half a unit of the 6th.
/// </summary>
/// <remarks>
/// One person there is one territory here: y_true = actually priority, y_pred = selected, sf_data = the group.
/// </remarks>
public class FairlearnExampleTests
{
    private static readonly int[] YTrue = [0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    private static readonly int[] YPred = [0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0];
    private static readonly string[] SfData = ["b", "b", "a", "b", "b", "c", "c", "c", "a", "a", "c", "a", "b", "c", "c", "b", "c", "c"];

    private static FairnessReport Audit(string reference) =>
        FairnessAudit.Run(
            Enumerable.Range(0, YTrue.Length)
                .Select(i => Territory.In(SfData[i], 1, 1, selected: YPred[i] == 1, actual: YTrue[i] == 1, code: $"p{i}"))
                .ToList(),
            Territory.NoMinimums with { ReferenceGroups = new Dictionary<string, string> { ["zone"] = reference } });

    [Theory]
    // mf.by_group as printed:    tpr  fpr       sel   count
    [InlineData("a", 0.5, 1.000000, 0.75, 4)]
    [InlineData("b", 0.6, 0.000000, 0.50, 6)]
    [InlineData("c", 0.4, 0.666667, 0.50, 8)]
    public void group_rates_match_fairlearns_metricframe_by_group(string group, double tpr, double fpr, double sel, int count)
    {
        var result = Audit("a").Group("zone", group);

        Assert.Equal(count, result.Sums.Territories);
        Assert.Equal(tpr, result.Metric(FairnessMetric.TruePositiveRate).Value!.Value, 6);
        Assert.Equal(fpr, result.Metric(FairnessMetric.FalsePositiveRate).Value!.Value, 6);
        Assert.Equal(sel, result.Metric(FairnessMetric.SelectionRate).Value!.Value, 6);
    }

    [Fact]
    public void ratios_to_a_reference_group_reproduce_fairlearns_ratios_and_demographic_parity()
    {
        // mf.ratio() (smallest over largest group): tpr 0.666667 = c ÷ b, fpr 0.000000 = b ÷ a, sel 0.666667 = b ÷ a.
        // demographic_parity_ratio = 0.66666..., demographic_parity_difference = 0.25 (a's 0.75 − b's 0.5).
        var toB = Audit("b");
        var toA = Audit("a");

        Assert.Equal(0.666667, toB.Group("zone", "c").Metric(FairnessMetric.TruePositiveRate).Ratio!.Value, 6);
        Assert.Equal(0.0, toA.Group("zone", "b").Metric(FairnessMetric.FalsePositiveRate).Ratio!.Value, 6);
        Assert.Equal(0.666667, toA.Group("zone", "b").Metric(FairnessMetric.SelectionRate).Ratio!.Value, 6);
        var a = toA.Group("zone", "a").Metric(FairnessMetric.SelectionRate).Value!.Value;
        var b = toA.Group("zone", "b").Metric(FairnessMetric.SelectionRate).Value!.Value;
        Assert.Equal(0.25, a - b, 12);
    }

    [Fact]
    public void precision_on_the_same_arrays_matches_the_hand_count()
    {
        // Not printed on the page; counted from the arrays: a selects p2, p9, p11 of which p2 is truly positive → 1/3;
        // b selects p4, p12, p15, all positive → 1; c selects p5, p6, p10, p16, of which p6 and p16 → 1/2.
        var report = Audit("a");

        Assert.Equal(1.0 / 3, report.Group("zone", "a").Metric(FairnessMetric.Precision).Value!.Value, 12);
        Assert.Equal(1.0, report.Group("zone", "b").Metric(FairnessMetric.Precision).Value!.Value, 12);
        Assert.Equal(0.5, report.Group("zone", "c").Metric(FairnessMetric.Precision).Value!.Value, 12);
    }

    [Fact]
    public void spreads_between_groups_match_metricframe_difference_and_ratio()
    {
        // mf.difference(): tpr 0.20, fpr 1.00, sel 0.25; mf.ratio(): tpr 0.666667, fpr 0.000000, sel 0.666667.
        var spreads = Audit("a").Dimensions.Single().Spreads;

        AssertPrinted(0.20, spreads.Metric(FairnessMetric.TruePositiveRate).BetweenGroups.Difference);
        AssertPrinted(1.00, spreads.Metric(FairnessMetric.FalsePositiveRate).BetweenGroups.Difference);
        AssertPrinted(0.25, spreads.Metric(FairnessMetric.SelectionRate).BetweenGroups.Difference);
        AssertPrinted(0.666667, spreads.Metric(FairnessMetric.TruePositiveRate).BetweenGroups.Ratio);
        AssertPrinted(0.000000, spreads.Metric(FairnessMetric.FalsePositiveRate).BetweenGroups.Ratio);
        AssertPrinted(0.666667, spreads.Metric(FairnessMetric.SelectionRate).BetweenGroups.Ratio);
    }

    [Fact]
    public void spreads_to_overall_match_metricframe_with_method_to_overall()
    {
        // mf.difference(method='to_overall'): tpr 0.100000, fpr 0.666667, sel 0.194444;
        // mf.ratio(method='to_overall'): tpr 0.800000, fpr 0.000000, sel 0.740741 (mf.overall: 0.5, 0.666667, 0.555556).
        var spreads = Audit("a").Dimensions.Single().Spreads;

        AssertPrinted(0.100000, spreads.Metric(FairnessMetric.TruePositiveRate).ToOverall.Difference);
        AssertPrinted(0.666667, spreads.Metric(FairnessMetric.FalsePositiveRate).ToOverall.Difference);
        AssertPrinted(0.194444, spreads.Metric(FairnessMetric.SelectionRate).ToOverall.Difference);
        AssertPrinted(0.800000, spreads.Metric(FairnessMetric.TruePositiveRate).ToOverall.Ratio);
        AssertPrinted(0.000000, spreads.Metric(FairnessMetric.FalsePositiveRate).ToOverall.Ratio);
        AssertPrinted(0.740741, spreads.Metric(FairnessMetric.SelectionRate).ToOverall.Ratio);
    }

    [Fact]
    public void demographic_parity_and_equalised_odds_match_fairlearns_printed_values()
    {
        // demographic_parity_difference 0.25, demographic_parity_ratio 0.66666... (a prefix: the doctest's ellipsis),
        // equalized_odds_difference 1.0, equalized_odds_ratio 0.0.
        var spreads = Audit("a").Dimensions.Single().Spreads;

        AssertPrinted(0.25, spreads.DemographicParity().Difference);
        Assert.StartsWith("0.66666", spreads.DemographicParity().Ratio!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        AssertPrinted(1.0, spreads.EqualisedOdds().Difference);
        AssertPrinted(0.0, spreads.EqualisedOdds().Ratio);
    }

    [Theory]
    // mf_conf.by_group as printed, sklearn's layout [[tn, fp], [fn, tp]].
    [InlineData("a", 0, 2, 1, 1)]
    [InlineData("b", 1, 0, 2, 3)]
    [InlineData("c", 1, 2, 3, 2)]
    public void confusion_counts_match_the_published_matrices_and_give_the_other_rates(string group, int tn, int fp, int fn, int tp)
    {
        var result = Audit("a").Group("zone", group);
        var sums = result.Sums;

        Assert.Equal((tn, fp, fn, tp), (sums.TrueNegatives, sums.FalsePositives, sums.FalseNegatives, sums.TruePositives));
        Assert.Equal((double)fn / (fn + tp), result.Metric(FairnessMetric.FalseNegativeRate).Value);
        Assert.Equal((double)tn / (tn + fp), result.Metric(FairnessMetric.TrueNegativeRate).Value);
        Assert.Equal((double)fp / (fp + tp), result.Metric(FairnessMetric.FalseDiscoveryRate).Value);
        Assert.Equal((double)fn / (fn + tn), result.Metric(FairnessMetric.FalseOmissionRate).Value);
        Assert.Equal((double)tn / (fn + tn), result.Metric(FairnessMetric.NegativePredictiveValue).Value);
    }

    /// <summary>A value printed to 6 decimals: within half a unit of the 6th (plus rounding of the double).</summary>
    private static void AssertPrinted(double printed, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, printed - 5e-7 - 1e-12, printed + 5e-7 + 1e-12);
    }
}
