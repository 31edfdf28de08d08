using Analytics.Models.Epidemiology;

namespace Analytics.Models.Tests.Epidemiology;

public class RateReliabilityTests
{
    [Theory]
    [InlineData(0, Reliability.TooFewCases)]
    [InlineData(19, Reliability.TooFewCases)] // RSE 1/√19 = 22.9%
    [InlineData(20, Reliability.Reliable)]    // RSE 1/√20 = 22.4%
    [InlineData(500, Reliability.Reliable)]
    public void a_crude_rate_is_unreliable_below_twenty_cases(long cases, Reliability expected)
    {
        Assert.Equal(expected, RateReliability.AssessCrude(cases));
    }

    [Fact]
    public void a_standardised_rate_with_many_cases_but_a_heavy_weight_on_a_tiny_stratum_is_too_imprecise()
    {
        // Hand computation (per person-year): w = ½ in each stratum; DSR = ½·24/100,000 + ½·1/10 ≈ 0.05012,
        // SE = √(¼·24/10¹⁰ + ¼·1/100) ≈ 0.05, so RSE ≈ 100% although there are 25 cases.
        var dsr = DirectStandardisation.Compute([24, 1], [100_000, 10], [1, 1], per: 1);

        Assert.Equal(25, dsr.Cases);
        Assert.Equal(0.05012, dsr.Rate.Value, 1e-10);
        Assert.Equal(Reliability.TooImprecise, RateReliability.Assess(dsr));
    }
}
