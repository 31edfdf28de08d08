namespace Analytics.Models.Epidemiology;

/// <summary>Crude rates: cases over person-time, with Garwood's exact Poisson interval.</summary>
public static class CrudeRate
{
    /// <summary>
    /// <paramref name="cases"/> / <paramref name="personYears"/> × <paramref name="per"/>, with the exact
    /// Poisson limits of the count divided by the same person-time (the denominator is treated as fixed).
    /// </summary>
    public static RateEstimate Compute(long cases, double personYears, double per = 100_000, double level = 0.95)
    {
        if (!(personYears > 0))
            throw new ArgumentOutOfRangeException(nameof(personYears), personYears, "person-time must be positive");
        var count = PoissonInterval.Exact(cases, level);
        var scale = per / personYears;
        return new RateEstimate(cases * scale, count with { Lower = count.Lower * scale, Upper = count.Upper * scale });
    }

    /// <summary>Relative standard error of a crude rate, 1/√cases (infinite for no case).</summary>
    public static double RelativeStandardError(long cases) => cases > 0 ? 1 / Math.Sqrt(cases) : double.PositiveInfinity;
}
