using Analytics.Models.Fairness;
using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Fairness;

public class ReweightingTests
{
    // a: two territories O = 30, E = 20, P = 1,000 → calibration 60/40 = 1.5.
    // b: two territories O = 10, E = 20, P = 2,000 → calibration 20/40 = 0.5.
    private static readonly TerritoryOutcome[] FirstFit =
    [
        Territory.In("a", 30, 20, 1_000), Territory.In("a", 30, 20, 1_000),
        Territory.In("b", 10, 20, 2_000), Territory.In("b", 10, 20, 2_000),
    ];

    [Fact]
    public void weights_follow_each_groups_calibration_and_keep_the_total_exposure_weight()
    {
        // Raw 1.5 and 0.5; Σ w·P = 1.5 × 2,000 + 0.5 × 4,000 = 5,000 against ΣP = 6,000 → scale 1.2 → 1.8 and 0.6.
        var weights = Reweighting.FromCalibration(FirstFit, "zone", Territory.NoMinimums);

        Assert.Equal([1.8, 1.8, 0.6, 0.6], weights.Select(w => Math.Round(w, 12)));
    }

    [Fact]
    public void weights_are_clamped_before_normalising()
    {
        // Clamped to [0.8, 1.25]; Σ w·P = 1.25 × 2,000 + 0.8 × 4,000 = 5,700 → scale 6,000/5,700 → 1.315789…, 0.842105….
        var weights = Reweighting.FromCalibration(FirstFit, "zone", Territory.NoMinimums, maximumWeight: 1.25);

        Assert.Equal(1.25 * 6_000 / 5_700, weights[0], 12);
        Assert.Equal(0.8 * 6_000 / 5_700, weights[2], 12);
    }

    [Fact]
    public void groups_too_small_to_judge_keep_weight_one()
    {
        var weights = Reweighting.FromCalibration(FirstFit, "zone", Territory.NoMinimums with { MinimumTerritories = 3 });

        Assert.All(weights, w => Assert.Equal(1, w, 12));
    }

    [Fact]
    public void reweighting_by_calibration_stops_the_under_recorded_group_dragging_the_deprivation_effect_down_for_others()
    {
        // A model with a deprivation term but no rurality term, fitted on recorded counts, absorbs the missing rural × 5
        // cases into a smaller deprivation coefficient, so urban and intermediate quintile-5 territories are
        // under-predicted (O/E > 1). One reweighted refit should move the coefficient back toward the truth (0.1) and
        // bring those groups closer to their reference; the audit before/after shows it. (Seed 11: 0.086 → 0.090. The
        // rest of the gap is the under-recording itself, which weights cannot undo — see Reweighting's remarks.)
        var world = SimulatedWorld.Generate(3_000, seed: 11);
        var policy = new FairnessPolicy { Seed = 3 };
        const string intersection = "density_class × deprivation_quintile";

        var (beforeFit, before) = FitAndPredict(world, weights: null);
        var beforeOutcomes = world.Outcomes(before);
        var weights = Reweighting.FromCalibration(beforeOutcomes, intersection, policy);
        var (afterFit, after) = FitAndPredict(world, weights);
        var comparison = FairnessComparison.Between(
            FairnessAudit.Run(beforeOutcomes, policy), FairnessAudit.Run(world.Outcomes(after), policy));

        var truth = SimulatedWorld.DeprivationLogRateRatio;
        Assert.True(Math.Abs(afterFit.Coefficient("deprivation") - truth) < Math.Abs(beforeFit.Coefficient("deprivation") - truth),
            $"deprivation coefficient before {beforeFit.Coefficient("deprivation"):F4}, after {afterFit.Coefficient("deprivation"):F4}, truth {truth}");
        // Size: one refit closes part of the coefficient's gap, not all of it (weights cannot restore unrecorded cases)
        // and never overshoots: between a fifth and a half of it on this world (seed 11: 31%).
        var closed = 1 - Math.Abs(afterFit.Coefficient("deprivation") - truth) / Math.Abs(beforeFit.Coefficient("deprivation") - truth);
        Assert.InRange(closed, 0.2, 0.5);
        Assert.True(afterFit.Coefficient("deprivation") < truth);
        foreach (var group in new[] { "urban × 5", "intermediate × 5" })
        {
            var change = comparison.Changes.Single(c => c.Dimension == intersection && c.Group == group && c.Metric == FairnessMetric.Calibration);
            Assert.True(change.DisparityChange < 0, $"{group}: calibration ratio {change.RatioBefore:F3} → {change.RatioAfter:F3}");
            // Size: at least a quarter of the group's distance to its reference goes (seed 11: 74% and 57%).
            Assert.True(change.DisparityChange <= -0.25 * Math.Abs(1 - change.RatioBefore!.Value), $"{group}: calibration ratio {change.RatioBefore:F3} → {change.RatioAfter:F3}");
        }
        Assert.Contains(comparison.Changes, c => c.Group == "rural × 5" && c.VerdictAfter == Verdict.Fail);
    }

    private static (PoissonGlmFit Fit, double[] Predicted) FitAndPredict(SimulatedWorld world, IReadOnlyList<double>? weights)
    {
        var design = Enumerable.Range(0, world.Count).Select(i => new[] { 1.0, world.Quintile[i] - 3.0 }).ToList();
        var offsets = world.Population.Select(p => Math.Log(p)).ToList();
        var fit = PoissonGlm.Fit(["intercept", "deprivation"], design, world.Recorded.Select(c => (double)c).ToList(), offsets, weights);
        var predicted = Enumerable.Range(0, world.Count)
            .Select(i => Math.Exp(offsets[i] + fit.Coefficients[0] * design[i][0] + fit.Coefficients[1] * design[i][1]))
            .ToArray();
        return (fit, predicted);
    }
}
