using Analytics.Models.Epidemiology;
using Analytics.Models.Spatial;
using Analytics.Models.Tests.Spatial;

namespace Analytics.Models.Tests.Epidemiology;

public class EmpiricalBayesRatesTests
{
    [Fact]
    public void two_areas_shrink_by_the_hand_computed_factor()
    {
        // Hand computation (Marshall 1991): m = 10/200 = 0.05; rates 0.02 and 0.08; s² = Σnᵢ(rᵢ − m)²/Σn
        // = 0.0009; n̄ = 100; a = 0.0009 − 0.05/100 = 0.0004; C = a/(a + m/n) = 0.0004/0.0009 = 4/9;
        // estimates 0.05 ∓ (4/9)·0.03.
        var smoothed = EmpiricalBayesRates.Global([2, 8], [100, 100]);

        Assert.Equal(0.05 - 4.0 / 9 * 0.03, smoothed.Smoothed[0], 14);
        Assert.Equal(0.05 + 4.0 / 9 * 0.03, smoothed.Smoothed[1], 14);
        Assert.Equal(0.0004, smoothed.PriorVariance[0], 14);
        Assert.Equal(0.05, smoothed.PriorMean[1], 14);
    }

    [Fact]
    public void less_variation_than_poisson_noise_shrinks_every_area_to_the_overall_rate()
    {
        // Rates 0.05 and 0.06 on 100 people: s² = 0.000025 < m/n̄ = 0.00055, so a = 0.
        var smoothed = EmpiricalBayesRates.Global([5, 6], [100, 100]);

        Assert.All(smoothed.Smoothed, r => Assert.Equal(0.055, r, 14));
    }

    [Fact]
    public void global_estimates_match_spdep_ebest_on_north_carolina_sids()
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("ebest_estmm").Doubles();
        var parameters = NorthCarolinaSids.Spdep.GetProperty("ebest_a_b").Doubles();

        var smoothed = EmpiricalBayesRates.Global(NorthCarolinaSids.Deaths74, NorthCarolinaSids.Births74);

        Assert.Equal(parameters[0], smoothed.PriorVariance[0], 1e-18);
        Assert.Equal(parameters[1], smoothed.PriorMean[0], 1e-15);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], smoothed.Smoothed[i], 1e-14);
    }

    [Fact]
    public void local_estimates_match_spdep_eblocal_in_its_geoda_form_on_north_carolina_sids()
    {
        var expected = NorthCarolinaSids.Spdep.GetProperty("eblocal_geoda_est").Doubles();

        var smoothed = EmpiricalBayesRates.Local(NorthCarolinaSids.Deaths74, NorthCarolinaSids.Births74, NorthCarolinaSids.Queen(WeightStyle.Binary));

        Assert.Empty(smoothed.Islands);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], smoothed.Smoothed[i], 1e-14);
    }

    [Fact]
    public void scottish_islands_fall_back_to_the_global_estimate_and_are_reported()
    {
        var cases = ScotlandLipCancer.Observed;
        var population = ScotlandLipCancer.Population;

        var local = EmpiricalBayesRates.Local(cases, population, ScotlandLipCancer.Weights(WeightStyle.Binary));
        var global = EmpiricalBayesRates.Global(cases, population);

        Assert.Equal([5, 7, 10], local.Islands); // Orkney, Shetland, Western Isles (0-based)
        foreach (var island in local.Islands)
            Assert.Equal(global.Smoothed[island], local.Smoothed[island]);
        Assert.NotEqual(global.Smoothed[0], local.Smoothed[0]);
    }
}
