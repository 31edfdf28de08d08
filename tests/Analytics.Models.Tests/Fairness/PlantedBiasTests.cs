using Analytics.Models.Fairness;

namespace Analytics.Models.Tests.Fairness;

public class PlantedBiasTests
{
    private const string Intersection = "density_class × deprivation_quintile";

    [Fact]
    public void a_group_whose_recorded_counts_are_thinned_to_60_percent_fails_calibration_while_the_others_pass()
    {
        // 3,000 territories: each of the 15 density × quintile cells has ~60–180 territories and thousands of cases, so
        // the O/E intervals are a few percent wide. The model predicts true risk; only rural × 5 records 60% of it.
        var world = SimulatedWorld.Generate(3_000, seed: 11);

        var report = FairnessAudit.Run(world.Outcomes(world.TrueExpected), new FairnessPolicy { Seed = 3 });

        var targeted = report.Group(Intersection, "rural × 5");
        Assert.Equal(0.6, targeted.Metric(FairnessMetric.Calibration).Ratio!.Value, 0.05);
        Assert.Equal(Verdict.Fail, targeted.Metric(FairnessMetric.Calibration).Verdict);
        // Recorded far below predicted: hardly any territory is above its prediction any more (ratio far below 0.8).
        Assert.Equal(Verdict.Fail, targeted.Metric(FairnessMetric.UnderPrediction).Verdict);
        Assert.Equal(Verdict.Fail, targeted.Overall);
        Assert.Equal(Verdict.Fail, report.Overall);

        var untouched = report.Dimensions.Single(d => d.Dimension == Intersection).Groups.Where(g => g.Label != "rural × 5" && !g.IsReference).ToList();
        Assert.Equal(13, untouched.Count);
        Assert.All(untouched, g => Assert.Equal(Verdict.Pass, g.Metric(FairnessMetric.Calibration).Verdict));
        Assert.All(untouched, g => Assert.NotEqual(Verdict.Fail, g.Metric(FairnessMetric.UnderPrediction).Verdict));
        foreach (var quintile in new[] { "1", "2", "3", "4" })
            if (report.Group(FairnessDimensions.DeprivationQuintile, quintile) is { IsReference: false } q)
                Assert.Equal(Verdict.Pass, q.Metric(FairnessMetric.Calibration).Verdict);
        foreach (var density in new[] { "urban", "intermediate" })
            if (report.Group(FairnessDimensions.DensityClass, density) is { IsReference: false } d)
                Assert.Equal(Verdict.Pass, d.Metric(FairnessMetric.Calibration).Verdict);
    }

    [Fact]
    public void without_thinning_no_group_fails_calibration()
    {
        var world = SimulatedWorld.Generate(3_000, seed: 11, recordedShare: 1.0);

        var report = FairnessAudit.Run(world.Outcomes(world.TrueExpected), new FairnessPolicy { Seed = 3 });

        Assert.All(report.Dimensions.SelectMany(d => d.Groups).Where(g => !g.IsReference),
            g => Assert.Equal(Verdict.Pass, g.Metric(FairnessMetric.Calibration).Verdict));
    }
}
