namespace Analytics.Models.Epidemiology;

/// <summary>
/// Indirect standardisation: reference stratum rates applied to a study population give the cases
/// expected there; observed over expected is the standardised incidence (or mortality) ratio.
/// </summary>
public static class IndirectStandardisation
{
    /// <summary>Stratum rates of the reference population, cases / person-time (per person-year, unscaled).</summary>
    public static double[] ReferenceRates(IReadOnlyList<long> referenceCases, IReadOnlyList<double> referencePersonYears)
    {
        if (referenceCases.Count != referencePersonYears.Count)
            throw new ArgumentException("reference cases and person-time need one entry per stratum");
        var rates = new double[referenceCases.Count];
        for (var i = 0; i < rates.Length; i++)
        {
            if (!(referencePersonYears[i] > 0))
                throw new ArgumentException($"reference stratum {i} has person-time {referencePersonYears[i]}: its rate is undefined");
            rates[i] = referenceCases[i] / referencePersonYears[i];
        }
        return rates;
    }

    /// <summary>E = Σ nᵢ λᵢ: the cases the study population would have at the reference rates λᵢ.</summary>
    public static double ExpectedCases(IReadOnlyList<double> personYears, IReadOnlyList<double> referenceRates)
    {
        if (personYears.Count != referenceRates.Count)
            throw new ArgumentException("person-time and reference rates need one entry per stratum");
        var expected = 0.0;
        for (var i = 0; i < personYears.Count; i++)
        {
            if (!(personYears[i] >= 0) || !(referenceRates[i] >= 0))
                throw new ArgumentException($"stratum {i}: person-time and reference rate must be non-negative");
            expected += personYears[i] * referenceRates[i];
        }
        return expected;
    }

    /// <summary>
    /// SIR = O/E with the exact Poisson limits of O divided by E (E treated as fixed, as it comes
    /// from a much larger reference). O = 0 gives SIR 0 with interval (0, Γ⁻¹(1−α/2; 1)/E), which is
    /// (0, 3.689/E) at 95%.
    /// </summary>
    public static RateEstimate Ratio(long observed, double expected, double level = 0.95)
    {
        if (!(expected > 0))
            throw new ArgumentOutOfRangeException(nameof(expected), expected, "expected cases must be positive");
        var count = PoissonInterval.Exact(observed, level);
        return new RateEstimate(observed / expected, count with { Lower = count.Lower / expected, Upper = count.Upper / expected });
    }
}
