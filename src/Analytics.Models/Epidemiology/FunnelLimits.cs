using MathNet.Numerics.Distributions;

namespace Analytics.Models.Epidemiology;

/// <summary>
/// Control limits of a funnel plot of standardised incidence ratios against expected cases
/// (Spiegelhalter 2005, "Funnel plots for comparing institutional performance", Stat Med 24:1185,
/// appendix A.1.1): under the target ratio θ₀ the observed count is Poisson(θ₀E); the limit at
/// probability p is that Poisson's p-quantile rₚ, smoothed between integers with
/// α = (F(rₚ) − p) / (F(rₚ) − F(rₚ − 1)), and divided by E: (rₚ − α) / E.
/// </summary>
public static class FunnelLimits
{
    /// <summary>The two-sided limits for <paramref name="expected"/> cases at <paramref name="coverage"/> (0.95 or 0.998 by custom).</summary>
    public static (double Lower, double Upper) For(double expected, double coverage, double target = 1)
    {
        if (!(expected > 0) || !double.IsFinite(expected))
            throw new ArgumentOutOfRangeException(nameof(expected), expected, "expected cases must be positive");
        PoissonInterval.CheckLevel(coverage);
        var tail = (1 - coverage) / 2;
        return (Limit(expected, target, tail), Limit(expected, target, 1 - tail));
    }

    private static double Limit(double expected, double target, double p)
    {
        var mean = target * expected;
        var r = Quantile(mean, p);
        var atR = Poisson.CDF(mean, r);
        var belowR = r == 0 ? 0 : Poisson.CDF(mean, r - 1);
        var alpha = (atR - p) / (atR - belowR);
        return Math.Max(0, r - alpha) / expected;
    }

    /// <summary>The smallest r with F(r) ≥ p, searched from the normal approximation.</summary>
    private static int Quantile(double mean, double p)
    {
        var r = Math.Max(0, (int)Math.Floor(mean + Normal.InvCDF(0, 1, p) * Math.Sqrt(mean)));
        while (r > 0 && Poisson.CDF(mean, r - 1) >= p)
            r--;
        while (Poisson.CDF(mean, r) < p)
            r++;
        return r;
    }
}
