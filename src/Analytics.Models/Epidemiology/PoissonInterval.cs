using MathNet.Numerics.Distributions;

namespace Analytics.Models.Epidemiology;

/// <summary>Exact confidence limits for the mean of a Poisson count.</summary>
public static class PoissonInterval
{
    /// <summary>
    /// Garwood's (1936) exact central interval for the mean of a Poisson count
    /// <paramref name="count"/>: lower = ½χ²(α/2; 2x), upper = ½χ²(1−α/2; 2x+2), written here with the
    /// equivalent gamma quantiles Γ⁻¹(α/2; x, 1) and Γ⁻¹(1−α/2; x+1, 1). A count of 0 has lower limit 0.
    /// </summary>
    /// <remarks>
    /// "Exact" means the interval inverts the Poisson test, so its coverage is at least the nominal
    /// level for every true mean (conservative, never liberal), which is what small areas need.
    /// </remarks>
    public static ConfidenceInterval Exact(long count, double level = 0.95)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "a count cannot be negative");
        CheckLevel(level);
        var alpha = 1 - level;
        var lower = count == 0 ? 0.0 : Gamma.InvCDF(count, 1.0, alpha / 2);
        var upper = Gamma.InvCDF(count + 1, 1.0, 1 - alpha / 2);
        return new ConfidenceInterval(lower, upper, level);
    }

    internal static void CheckLevel(double level)
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "the confidence level must lie strictly between 0 and 1");
    }
}
