using Analytics.Models.Planning;
using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Planning;

public class ExposureScenarioTests
{
    // β = 0.01 per µg/m³ (rate ratio 1.105 per 10), se 0.004; z₀.₉₇₅ = 1.959964, so β ± z·se = 0.00216014, 0.01783986.
    private static readonly ExposureAssociation Association = new(0.01, 0.004);

    // A and B plain; C has less exposure (1.5) than a 2-unit cut; D is excluded; E has no exposure left to cut.
    private static readonly IReadOnlyList<ExposureTerritory> Five =
    [
        new("A", 50, 12, true),
        new("B", 28, 9, true),
        new("C", 0.24, 1.5, true),
        new("D", 69, 14, false),
        new("E", 15, 0, true),
    ];

    [Fact]
    public void avoided_cases_are_mu_times_one_minus_exp_minus_beta_delta_per_territory_and_summed()
    {
        // Cut of 2 µg/m³:
        //   A: Δ = 2,   50 × (1 − e^−0.02)    = 50 × 0.0198013267 = 0.9900663347
        //   B: Δ = 2,   28 × (1 − e^−0.02)    = 28 × 0.0198013267 = 0.5544371474
        //   C: Δ = 1.5 (capped at x), 0.24 × (1 − e^−0.015) = 0.24 × 0.0148880604 = 0.0035731345
        //   D: excluded, Δ = 0 → 0
        //   E: x = 0, Δ = 0 → 0
        //   total 1.5480766166
        var result = ExposureScenario.Run(Five, ExposureReduction.Absolute(2), Association);

        Assert.Equal(["A", "B", "C", "D", "E"], result.Territories.Select(t => t.Code));
        Assert.Equal([2, 2, 1.5, 0, 0], result.Territories.Select(t => t.Reduction));
        Assert.Equal(0.9900663347, result.Territories[0].Avoided, 9);
        Assert.Equal(0.5544371474, result.Territories[1].Avoided, 9);
        Assert.Equal(0.0035731345, result.Territories[2].Avoided, 9);
        Assert.Equal(0, result.Territories[3].Avoided);
        Assert.Equal(0, result.Territories[4].Avoided);
        Assert.Equal(1.5480766166, result.Total, 9);
    }

    [Fact]
    public void a_percentage_cut_takes_that_share_of_each_territorys_own_exposure()
    {
        // 10%: A Δ = 1.2 → 50 × (1 − e^−0.012) = 0.5964143569; B Δ = 0.9 → 28 × (1 − e^−0.009) = 0.2508693944;
        // C Δ = 0.15 → 0.24 × (1 − e^−0.0015) = 0.0003597301; D excluded; E 10% of 0 = 0. Total 0.8476434814.
        var result = ExposureScenario.Run(Five, ExposureReduction.Percentage(10), Association);

        Assert.Equal([1.2, 0.9, 0.15, 0, 0], result.Territories.Select(t => t.Reduction), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.5964143569, result.Territories[0].Avoided, 9);
        Assert.Equal(0.2508693944, result.Territories[1].Avoided, 9);
        Assert.Equal(0.0003597301, result.Territories[2].Avoided, 9);
        Assert.Equal(0.8476434814, result.Total, 9);
    }

    [Fact]
    public void a_cut_larger_than_the_exposure_stops_at_zero_concentration()
    {
        // 100 units off 12: Δ = 12, the whole exposure, never more.
        var result = ExposureScenario.Run([new("A", 50, 12, true)], ExposureReduction.Absolute(100), Association);

        Assert.Equal(12, result.Territories[0].Reduction);
        Assert.Equal(50 * (1 - Math.Exp(-0.12)), result.Total, 12);
    }

    [Fact]
    public void excluded_territories_contribute_nothing_whatever_their_exposure()
    {
        var withD = ExposureScenario.Run(Five, ExposureReduction.Absolute(2), Association);
        var withoutD = ExposureScenario.Run(Five.Where(t => t.Code != "D"), ExposureReduction.Absolute(2), Association);

        Assert.Equal(withoutD.Total, withD.Total, 12);
        Assert.Equal((0.0, 0.0, 0.0), (withD.Territories[3].Avoided, withD.Territories[3].Low, withD.Territories[3].High));
    }

    [Fact]
    public void the_interval_is_the_avoided_cases_at_beta_minus_and_plus_z_standard_errors()
    {
        // β − 1.959964 × 0.004 = 0.0021601441, β + … = 0.0178398559.
        //   A: 50 × (1 − e^(−2 × 0.0021601441)) = 0.2155484552;  50 × (1 − e^(−2 × 0.0178398559)) = 1.7525347102
        //   total (A + B + C): 0.3370319835 to 2.7402913271
        // Checked within 1e-8: the code's z comes from StandardNormal's approximation (relative error ~1e-9).
        var result = ExposureScenario.Run(Five, ExposureReduction.Absolute(2), Association);

        Assert.Equal(0.2155484552, result.Territories[0].Low, tolerance: 1e-8);
        Assert.Equal(1.7525347102, result.Territories[0].High, tolerance: 1e-8);
        Assert.Equal(0.3370319835, result.TotalLow, tolerance: 1e-8);
        Assert.Equal(2.7402913271, result.TotalHigh, tolerance: 1e-8);
        Assert.Equal(0.95, result.Level);
        Assert.All(result.Territories, t => Assert.InRange(t.Avoided, t.Low, t.High));
    }

    [Fact]
    public void the_interval_covers_the_true_total_in_95_percent_of_simulated_estimates()
    {
        // β̂ ~ N(β, se²) drawn N = 4,000 times; the interval from each β̂ must cover the total at the true β in
        // 95% ± 3 √(0.95 × 0.05 / 4000) = 95% ± 1.03% of the draws (about 1 failure in 370 for a right method).
        // Draws from the repository's SeededRandom (Box–Muller) rather than System.Random, whose seeded
        // sequence is a runtime detail.
        const int n = 4_000;
        var truth = ExposureScenario.Run(Five, ExposureReduction.Absolute(2), Association).Total;
        var random = new SeededRandom(20_250_611);
        var covered = 0;
        for (var i = 0; i < n; i++)
        {
            var estimate = new ExposureAssociation(random.NextGaussian(Association.Beta, Association.StandardError), Association.StandardError);
            var result = ExposureScenario.Run(Five, ExposureReduction.Absolute(2), estimate);
            if (result.TotalLow <= truth && truth <= result.TotalHigh)
                covered++;
        }

        var margin = 3 * Math.Sqrt(0.95 * 0.05 / n);
        Assert.InRange(covered / (double)n, 0.95 - margin, 0.95 + margin);
    }

    [Fact]
    public void a_literature_relative_risk_gives_beta_per_unit_and_a_standard_error_from_its_interval()
    {
        // RR 1.15 (1.05–1.25) per 10 µg/m³:
        //   β  = ln(1.15) / 10 = 0.1397619424 / 10 = 0.01397619424
        //   se = (ln 1.25 − ln 1.05) / (2 × 1.959964 × 10) = (0.2231435513 − 0.0487901642) / 39.19928 = 0.004447872219
        var association = new ConcentrationResponse(1.15, 1.05, 1.25, 10).Association;

        Assert.Equal(0.01397619424, association.Beta, 11);
        Assert.Equal(0.004447872219, association.StandardError, 12);
    }

    [Fact]
    public void the_scenario_runs_on_a_literature_relative_risk_and_a_cut_of_one_increment_avoids_one_minus_one_over_rr()
    {
        // Δ = 10 = the increment: e^(−βΔ) = 1/1.15, so 100 × (1 − 1/1.15) = 13.0434783 cases avoided.
        // Limits: e^((β ± z·se)·10) = 1.15 × (1.25/1.05)^(±1/2) = 1.2547529, 1.0539924 →
        // 100 × (1 − 1/1.2547529) = 20.3030314, 100 × (1 − 1/1.0539924) = 5.1226564.
        var association = new ConcentrationResponse(1.15, 1.05, 1.25, 10).Association;

        var result = ExposureScenario.Run([new("A", 100, 25, true)], ExposureReduction.Absolute(10), association);

        Assert.Equal(13.0434783, result.Total, 7);
        Assert.Equal(5.1226564, result.TotalLow, 7);
        Assert.Equal(20.3030314, result.TotalHigh, 7);
    }

    [Fact]
    public void the_same_territories_in_another_order_give_identical_results()
    {
        string Render(IEnumerable<ExposureTerritory> ts)
        {
            var r = ExposureScenario.Run(ts, ExposureReduction.Percentage(25), Association);
            return string.Join(";", r.Territories.Select(t => $"{t.Code}:{FiveCommunes.R(t.Reduction)}:{FiveCommunes.R(t.Avoided)}:{FiveCommunes.R(t.Low)}:{FiveCommunes.R(t.High)}"))
                + $"|{FiveCommunes.R(r.Total)}:{FiveCommunes.R(r.TotalLow)}:{FiveCommunes.R(r.TotalHigh)}";
        }

        Assert.Equal(Render(Five), Render(FiveCommunes.Shuffled(Five)));
    }
}
