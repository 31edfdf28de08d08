using Analytics.Models.Fairness;

namespace Analytics.Models.Tests.Fairness;

public class FairnessHandCaseTests
{
    // Reference group "a" (3 territories, the largest) and group "b" (2):
    //   code  O   E   P        selected  actual  interval upper
    //   a1    10  8   10,000   yes       yes     —
    //   a2    5   6   10,000   no        yes     4.5
    //   a3    3   4   20,000   yes       no      —
    //   b1    1   4   10,000   no        no      —
    //   b2    6   4   10,000   yes       yes     —
    private static readonly TerritoryOutcome[] Small =
    [
        Territory.In("a", 10, 8, 10_000, selected: true, actual: true, code: "a1"),
        Territory.In("a", 5, 6, 10_000, selected: false, actual: true, upper: 4.5, code: "a2"),
        Territory.In("a", 3, 4, 20_000, selected: true, actual: false, code: "a3"),
        Territory.In("b", 1, 4, 10_000, selected: false, actual: false, code: "b1"),
        Territory.In("b", 6, 4, 10_000, selected: true, actual: true, code: "b2"),
    ];

    [Fact]
    public void group_metrics_match_the_hand_computation()
    {
        var report = FairnessAudit.Run(Small, Territory.NoMinimums);
        var a = report.Group("zone", "a");
        var b = report.Group("zone", "b");

        // a: ΣO = 18, ΣE = 18, Σ|O − E| = 2 + 1 + 1 = 4, ΣP = 40,000.
        //    MAE = 4/40,000 × 100,000 = 10; bias = (18 − 18)/40,000 × 100,000 = 0; O/E = 1.
        //    Under-predicted: a1 (10 > 8) and a2 (5 > its upper bound 4.5; 5 < 6 would not count without it) → 2/3.
        //    Selected a1, a3 → 2/3; actual a1, a2: TPR = 1/2; not actual a3, selected: FPR = 1/1; precision = 1/2.
        Assert.True(a.IsReference);
        Assert.Equal(10, a.Metric(FairnessMetric.MeanAbsoluteError).Value!.Value, 12);
        Assert.Equal(0, a.Metric(FairnessMetric.Bias).Value!.Value, 12);
        Assert.Equal(1, a.Metric(FairnessMetric.Calibration).Value!.Value, 12);
        Assert.Equal(2.0 / 3, a.Metric(FairnessMetric.UnderPrediction).Value!.Value, 12);
        Assert.Equal(2.0 / 3, a.Metric(FairnessMetric.SelectionRate).Value!.Value, 12);
        Assert.Equal(0.5, a.Metric(FairnessMetric.TruePositiveRate).Value!.Value, 12);
        Assert.Equal(1, a.Metric(FairnessMetric.FalsePositiveRate).Value!.Value, 12);
        Assert.Equal(0.5, a.Metric(FairnessMetric.Precision).Value!.Value, 12);

        // b: ΣO = 7, ΣE = 8, Σ|O − E| = 3 + 2 = 5, ΣP = 20,000.
        //    MAE = 5/20,000 × 100,000 = 25; bias = (8 − 7)/20,000 × 100,000 = +5 per 100,000; O/E = 7/8 = 0.875.
        //    Under-predicted: b2 (6 > 4) → 1/2. Selected b2 → 1/2; actual b2: TPR = 1/1; not actual b1, not selected:
        //    FPR = 0/1; precision = 1/1.
        Assert.False(b.IsReference);
        Assert.Equal(25, b.Metric(FairnessMetric.MeanAbsoluteError).Value!.Value, 12);
        Assert.Equal(5, b.Metric(FairnessMetric.Bias).Value!.Value, 12);
        Assert.Equal(0.875, b.Metric(FairnessMetric.Calibration).Value!.Value, 12);
        Assert.Equal(0.5, b.Metric(FairnessMetric.UnderPrediction).Value!.Value, 12);
        Assert.Equal(0.5, b.Metric(FairnessMetric.SelectionRate).Value!.Value, 12);
        Assert.Equal(1, b.Metric(FairnessMetric.TruePositiveRate).Value!.Value, 12);
        Assert.Equal(0, b.Metric(FairnessMetric.FalsePositiveRate).Value!.Value, 12);
        Assert.Equal(1, b.Metric(FairnessMetric.Precision).Value!.Value, 12);

        // Ratios b ÷ a: MAE 25/10 = 2.5; bias through ΣE/ΣO: (8/7)/(18/18) = 8/7; O/E 0.875/1; under 0.5/(2/3) = 0.75;
        // selection 0.5/(2/3) = 0.75; TPR 1/0.5 = 2; FPR 0/1 = 0; precision 1/0.5 = 2.
        Assert.Equal(2.5, b.Metric(FairnessMetric.MeanAbsoluteError).Ratio!.Value, 12);
        Assert.Equal(8.0 / 7, b.Metric(FairnessMetric.Bias).Ratio!.Value, 12);
        Assert.Equal(0.875, b.Metric(FairnessMetric.Calibration).Ratio!.Value, 12);
        Assert.Equal(0.75, b.Metric(FairnessMetric.UnderPrediction).Ratio!.Value, 12);
        Assert.Equal(0.75, b.Metric(FairnessMetric.SelectionRate).Ratio!.Value, 12);
        Assert.Equal(2, b.Metric(FairnessMetric.TruePositiveRate).Ratio!.Value, 12);
        Assert.Equal(0, b.Metric(FairnessMetric.FalsePositiveRate).Ratio!.Value, 12);
        Assert.Equal(2, b.Metric(FairnessMetric.Precision).Ratio!.Value, 12);
        Assert.Equal(10, b.Metric(FairnessMetric.MeanAbsoluteError).ReferenceValue!.Value, 12);
    }

    [Fact]
    public void the_reference_group_is_the_largest_unless_the_policy_names_one()
    {
        Assert.Equal("a", FairnessAudit.Run(Small, Territory.NoMinimums).Dimensions.Single().ReferenceGroup);

        var named = FairnessAudit.Run(Small, Territory.NoMinimums with { ReferenceGroups = new Dictionary<string, string> { ["zone"] = "b" } });

        Assert.Equal("b", named.Dimensions.Single().ReferenceGroup);
        // a ÷ b for calibration: 1/0.875.
        Assert.Equal(1 / 0.875, named.Group("zone", "a").Metric(FairnessMetric.Calibration).Ratio!.Value, 12);
        Assert.Throws<ArgumentException>(() =>
            FairnessAudit.Run(Small, Territory.NoMinimums with { ReferenceGroups = new Dictionary<string, string> { ["zone"] = "z" } }));
    }

    [Fact]
    public void a_clear_gap_fails_a_ratio_inside_the_tolerance_passes_and_a_straddling_interval_warns()
    {
        // Identical territories make every resample's sums identical, so a group's interval is its point ratio:
        // b: O/E = 70/100 ÷ 100/100 = 0.7 < 0.8 → fail; c: 0.9 inside [0.8, 1.25] → pass.
        // e: half its territories at O = 60, half at O = 100, E = 100: ratio 0.8 exactly, and a resampled mean of 30
        // draws from {60, 100} has sd 20/√30 ≈ 3.7, i.e. the 95% interval ≈ 0.8 ± 0.07 straddles 0.8 → warn.
        var territories = Territory.Copies(40, "a", 100, 100)
            .Concat(Territory.Copies(30, "b", 70, 100))
            .Concat(Territory.Copies(30, "c", 90, 100))
            .Concat(Territory.Copies(15, "e", 60, 100))
            .Concat(Territory.Copies(15, "e", 100, 100))
            .ToList();

        var report = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [], MinimumObservedCases = 10 });

        var b = report.Group("zone", "b").Metric(FairnessMetric.Calibration);
        Assert.Equal(0.7, b.Ratio!.Value, 12);
        Assert.Equal(0.7, b.RatioInterval!.Value.Lower, 12);
        Assert.Equal(0.7, b.RatioInterval!.Value.Upper, 12);
        Assert.Equal(Verdict.Fail, b.Verdict);
        Assert.Equal(Verdict.Pass, report.Group("zone", "c").Metric(FairnessMetric.Calibration).Verdict);
        var e = report.Group("zone", "e").Metric(FairnessMetric.Calibration);
        Assert.InRange(e.RatioInterval!.Value.Lower, 0.70, 0.79);
        Assert.InRange(e.RatioInterval!.Value.Upper, 0.81, 0.90);
        Assert.Equal(Verdict.Warn, e.Verdict);
        // Bias is compared through ΣE/ΣO, the reciprocal: 1/0.7 > 1.25 fails too.
        Assert.Equal(1 / 0.7, report.Group("zone", "b").Metric(FairnessMetric.Bias).Ratio!.Value, 12);
        Assert.Equal(Verdict.Fail, report.Group("zone", "b").Metric(FairnessMetric.Bias).Verdict);
        Assert.Equal(Verdict.Fail, report.Group("zone", "b").Overall);
        Assert.Equal(Verdict.Fail, report.Overall);
    }

    [Fact]
    public void a_group_below_the_minimum_size_is_insufficient_evidence_even_when_its_ratios_are_perfect()
    {
        var territories = Territory.Copies(40, "a", 100, 100).Concat(Territory.Copies(19, "tiny", 100, 100)).ToList();

        var tiny = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [] }).Group("zone", "tiny");

        var calibration = tiny.Metric(FairnessMetric.Calibration);
        Assert.Equal(1, calibration.Ratio!.Value, 12);
        Assert.Equal(Verdict.InsufficientEvidence, calibration.Verdict);
        Assert.Equal(EvidenceShortfall.TooFewTerritories, calibration.Shortfall);
        Assert.All(tiny.Metrics, m => Assert.NotEqual(Verdict.Pass, m.Verdict));
        Assert.Equal(Verdict.InsufficientEvidence, tiny.Overall);
    }

    [Fact]
    public void too_few_cases_or_an_empty_denominator_is_insufficient_evidence_for_that_metric_only()
    {
        // "few": 30 territories with 1 case each = 30 recorded cases < 50 → rate metrics insufficient; none is actually
        // priority, so the TPR has no denominator; 10 are selected, so precision (10 selected ≥ 10) can be judged.
        var reference = Enumerable.Range(0, 40).Select(i => Territory.In("a", 100, 100, selected: i < 10, actual: i < 10));
        var few = Enumerable.Range(0, 30).Select(i => Territory.In("few", 1, 1, selected: i < 10, actual: false));

        var group = FairnessAudit.Run(reference.Concat(few).ToList(), new FairnessPolicy { Intersections = [] }).Group("zone", "few");

        Assert.Equal(EvidenceShortfall.TooFewObservedCases, group.Metric(FairnessMetric.Calibration).Shortfall);
        Assert.Equal(Verdict.InsufficientEvidence, group.Metric(FairnessMetric.Calibration).Verdict);
        Assert.Null(group.Metric(FairnessMetric.TruePositiveRate).Value);
        Assert.Equal(EvidenceShortfall.TooFewInDenominator, group.Metric(FairnessMetric.TruePositiveRate).Shortfall);
        Assert.Equal(EvidenceShortfall.None, group.Metric(FairnessMetric.Precision).Shortfall);
        // Precision 0/10 against 10/10 in the reference: ratio 0, a certain failure.
        Assert.Equal(Verdict.Fail, group.Metric(FairnessMetric.Precision).Verdict);
        Assert.Equal(Verdict.Fail, group.Overall);
    }

    [Fact]
    public void a_reference_group_too_small_to_judge_makes_every_comparison_insufficient()
    {
        var territories = Territory.Copies(10, "a", 100, 100).Concat(Territory.Copies(8, "b", 50, 100)).ToList();

        var b = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [], MinimumTerritories = 9 }).Group("zone", "b");

        Assert.Equal(EvidenceShortfall.TooFewTerritories, b.Metric(FairnessMetric.Calibration).Shortfall);
        var c = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [], MinimumTerritories = 5, ReferenceGroups = new Dictionary<string, string> { ["zone"] = "a" } });
        Assert.Equal(Verdict.Fail, c.Group("zone", "b").Metric(FairnessMetric.Calibration).Verdict);
        var d = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [], MinimumTerritories = 9, ReferenceGroups = new Dictionary<string, string> { ["zone"] = "b" } });
        Assert.Equal(EvidenceShortfall.ReferenceInsufficient, d.Group("zone", "a").Metric(FairnessMetric.Calibration).Shortfall);
        Assert.Equal(Verdict.InsufficientEvidence, d.Group("zone", "a").Overall);
    }

    [Fact]
    public void a_metric_whose_reference_value_is_zero_has_no_ratio_and_no_verdict_of_fairness()
    {
        // O = E everywhere: nobody is under-predicted, so the under-prediction share is 0 in the reference and 0/0 has no ratio.
        var territories = Territory.Copies(40, "a", 100, 100).Concat(Territory.Copies(30, "b", 100, 100)).ToList();

        var under = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [] }).Group("zone", "b").Metric(FairnessMetric.UnderPrediction);

        Assert.Null(under.Ratio);
        Assert.Equal(EvidenceShortfall.RatioUndefined, under.Shortfall);
        Assert.Equal(Verdict.InsufficientEvidence, under.Verdict);
    }

    [Fact]
    public void the_mean_absolute_error_is_reported_but_not_judged_by_default()
    {
        var territories = Territory.Copies(40, "a", 100, 90).Concat(Territory.Copies(30, "b", 100, 50)).ToList();

        var mae = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [] }).Group("zone", "b").Metric(FairnessMetric.MeanAbsoluteError);

        // |100 − 50| = 50 per 100,000 against |100 − 90| = 10: ratio 5, far outside, yet not judged.
        Assert.Equal(5, mae.Ratio!.Value, 12);
        Assert.Equal(Verdict.NotJudged, mae.Verdict);
    }

    [Fact]
    public void the_rates_added_from_aequitas_are_reported_with_their_ratios_but_not_judged_by_default()
    {
        // a: 40 territories, the 20 actually priority all selected; b (the reference): 40, 20 actually priority, 10 of
        // them selected. a's false negative rate 0 against b's 0.5 is a ratio of 0, far from parity, yet only
        // reported: the judged true positive rate (1 ÷ 0.5) already fails, and adding these rates changed no verdict.
        var territories = Enumerable.Range(0, 40).Select(i => Territory.In("a", 100, 100, selected: i < 20, actual: i < 20, code: $"a{i}"))
            .Concat(Enumerable.Range(0, 40).Select(i => Territory.In("b", 100, 100, selected: i < 10, actual: i < 20, code: $"b{i}")))
            .ToList();

        var a = FairnessAudit.Run(territories, new FairnessPolicy { Intersections = [], ReferenceGroups = new Dictionary<string, string> { ["zone"] = "b" } })
            .Group("zone", "a");

        Assert.Equal(Verdict.Fail, a.Metric(FairnessMetric.TruePositiveRate).Verdict);
        Assert.Equal(0, a.Metric(FairnessMetric.FalseNegativeRate).Ratio!.Value, 12);
        foreach (var metric in new[] { FairnessMetric.FalseNegativeRate, FairnessMetric.TrueNegativeRate, FairnessMetric.FalseDiscoveryRate, FairnessMetric.FalseOmissionRate, FairnessMetric.NegativePredictiveValue })
            Assert.Equal(Verdict.NotJudged, a.Metric(metric).Verdict);
    }

    [Fact]
    public void intersections_are_audited_as_dimensions_of_their_own()
    {
        TerritoryOutcome T(string density, string quintile, long observed) => new(
            Guid.NewGuid().ToString("N"), observed, 100, 100_000, false, false,
            new Dictionary<string, string> { [FairnessDimensions.DensityClass] = density, [FairnessDimensions.DeprivationQuintile] = quintile });
        var territories = Enumerable.Range(0, 30).SelectMany(_ => new[] { T("rural", "5", 60), T("rural", "1", 100), T("urban", "5", 100), T("urban", "1", 100) }).ToList();

        var report = FairnessAudit.Run(territories, new FairnessPolicy());

        Assert.Equal(
            [FairnessDimensions.DensityClass, FairnessDimensions.DeprivationQuintile, "density_class × deprivation_quintile"],
            report.Dimensions.Select(d => d.Dimension));
        var intersection = report.Dimensions[2];
        Assert.Equal(["rural × 1", "rural × 5", "urban × 1", "urban × 5"], intersection.Groups.Select(g => g.Label));
        // All four groups have 30 territories: the reference is the first label in ordinal order.
        Assert.Equal("rural × 1", intersection.ReferenceGroup);
        Assert.Equal(0.6, report.Group("density_class × deprivation_quintile", "rural × 5").Metric(FairnessMetric.Calibration).Ratio!.Value, 12);
        // The margins dilute the gap: rural (the reference, first of two equal groups) has O/E (60 + 100)/200 = 0.8,
        // so urban's ratio is 1/0.8 = 1.25.
        Assert.Equal("rural", report.Dimensions[0].ReferenceGroup);
        Assert.Equal(1.25, report.Group(FairnessDimensions.DensityClass, "urban").Metric(FairnessMetric.Calibration).Ratio!.Value, 12);
    }

    [Fact]
    public void verdicts_combine_fail_first_then_insufficient_evidence_then_warn_then_pass()
    {
        Assert.Equal(Verdict.Fail, Verdicts.Combine([Verdict.Pass, Verdict.InsufficientEvidence, Verdict.Fail, Verdict.Warn]));
        Assert.Equal(Verdict.InsufficientEvidence, Verdicts.Combine([Verdict.Pass, Verdict.Warn, Verdict.InsufficientEvidence]));
        Assert.Equal(Verdict.Warn, Verdicts.Combine([Verdict.Pass, Verdict.NotJudged, Verdict.Warn]));
        Assert.Equal(Verdict.Pass, Verdicts.Combine([Verdict.NotJudged, Verdict.Pass]));
        Assert.Equal(Verdict.NotJudged, Verdicts.Combine([Verdict.NotJudged]));
    }

    [Fact]
    public void invalid_territories_are_refused_with_their_code()
    {
        var negative = Territory.In("a", -1, 1, code: "29019");
        var zero = Territory.In("a", 1, 0, code: "2A004");

        Assert.Contains("29019", Assert.Throws<ArgumentException>(() => FairnessAudit.Run([negative], Territory.NoMinimums)).Message);
        Assert.Contains("2A004", Assert.Throws<ArgumentException>(() => FairnessAudit.Run([zero], Territory.NoMinimums)).Message);
        Assert.Throws<ArgumentException>(() => FairnessAudit.Run(Territory.Copies(2, "a", 1, 1).ToList(), Territory.NoMinimums with { UpperTolerance = 0.9 }));
    }

    [Fact]
    public void the_top_share_marks_the_highest_scores_and_exactly_the_rounded_up_count()
    {
        // 10% of 25 = 2.5 → 3 territories: scores 9, 8 and the first of the two 7s.
        var scores = Enumerable.Repeat(1.0, 25).ToArray();
        (scores[4], scores[17], scores[2], scores[20]) = (9, 8, 7, 7);

        var marked = PriorityList.TopShare(scores, 0.10);

        Assert.Equal([2, 4, 17], Enumerable.Range(0, 25).Where(i => marked[i]));
    }
}
