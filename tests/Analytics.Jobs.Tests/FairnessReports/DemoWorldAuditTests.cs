using System.Globalization;
using Analytics.Models.Fairness;
using Xunit.Abstractions;

namespace Analytics.Jobs.Tests.FairnessReports;

public class DemoWorldAuditTests(ITestOutputHelper output)
{
    private const string Intersection = "density_class × deprivation_quintile";

    [Fact]
    public void the_audit_fails_the_planted_rural_most_deprived_group_and_passes_calibration_where_nothing_was_planted()
    {
        var outcomes = DemoWorldAudit.Outcomes;
        var planted = outcomes.Where(t => t.Groups[FairnessDimensions.DensityClass] == "rural" && t.Groups[FairnessDimensions.DeprivationQuintile] == "5")
            .Select(t => t.Code).ToHashSet();

        var report = FairnessAudit.Run(outcomes, new FairnessPolicy());

        foreach (var d in report.Dimensions)
            foreach (var g in d.Groups)
            {
                var c = g.Metric(FairnessMetric.Calibration);
                var u = g.Metric(FairnessMetric.UnderPrediction);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{d.Dimension,-40} {g.Label,-16} n={g.Sums.Territories,5} O/E={c.Value:F3} ratio={c.Ratio:F3} [{c.RatioInterval?.Lower:F3}, {c.RatioInterval?.Upper:F3}] {c.Verdict,-20} under ratio={u.Ratio:F3} {u.Verdict,-20} overall {g.Overall}"));
            }

        var targeted = report.Group(Intersection, "rural × 5");
        Assert.Equal(planted.Count, targeted.Sums.Territories);
        Assert.Equal(Verdict.Fail, targeted.Metric(FairnessMetric.Calibration).Verdict);
        Assert.Equal(Verdict.Fail, targeted.Metric(FairnessMetric.UnderPrediction).Verdict);
        Assert.Equal(Verdict.Fail, report.Overall);

        // Groups holding no planted commune: calibration never fails, and passes wherever the evidence suffices.
        var clean = report.Dimensions
            .SelectMany(d => d.Groups.Select(g => (d.Dimension, Group: g)))
            .Where(x => !x.Group.IsReference && !outcomes.Any(t => planted.Contains(t.Code) && InGroup(t, x.Dimension, x.Group.Label)))
            .ToList();
        Assert.NotEmpty(clean);
        Assert.All(clean, x => Assert.True(
            x.Group.Metric(FairnessMetric.Calibration).Verdict is Verdict.Pass or Verdict.InsufficientEvidence,
            $"{x.Dimension} {x.Group.Label}: {x.Group.Metric(FairnessMetric.Calibration).Verdict}"));
        Assert.All(clean, x => Assert.NotEqual(Verdict.Fail, x.Group.Metric(FairnessMetric.UnderPrediction).Verdict));
        Assert.True(clean.Count(x => x.Group.Metric(FairnessMetric.Calibration).Verdict == Verdict.Pass) >= clean.Count / 2,
            "most groups without planted bias should have enough evidence to pass");
    }

    private static bool InGroup(TerritoryOutcome t, string dimension, string label) =>
        dimension == Intersection
            ? $"{t.Groups[FairnessDimensions.DensityClass]} × {t.Groups[FairnessDimensions.DeprivationQuintile]}" == label
            : t.Groups.GetValueOrDefault(dimension) == label;
}
