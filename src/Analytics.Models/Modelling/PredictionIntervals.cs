using MathNet.Numerics;

namespace Analytics.Models.Modelling;

/// <summary>
/// Prediction intervals for a territory's count: the distribution of a new count Y given the
/// model, with the model's own uncertainty folded in.
/// </summary>
/// <remarks>
/// <para>Variance of Y: V = φ̃μ + μ²·Var(η̂), with φ̃ = max(φ, 1) the dispersion (Pearson χ²/df; a
/// value below 1 is treated as Poisson, not as under-dispersion) and Var(η̂) the delta-method variance
/// of the linear predictor, xᵀ Cov(β̂) x (Var(μ̂) ≈ μ² Var(η̂); zero for trees, whose out-of-fold
/// dispersion carries their error instead).</para>
/// <para>Distribution: a negative binomial with mean μ and variance V (size r = μ²/(V − μ)) when V &gt; μ,
/// else Poisson(μ). Limits are the (1 − level)/2 and (1 + level)/2 quantiles (smallest k with
/// P(Y ≤ k) ≥ q), so that P(lower ≤ Y ≤ upper) ≥ level for the discrete distribution. CDFs from
/// MathNet: Poisson P(Y ≤ k) = Q(k + 1, μ), negative binomial P(Y ≤ k) = I_p(r, k + 1) with p = r/(r + μ).</para>
/// </remarks>
public static class PredictionIntervals
{
    /// <summary>Two-sided prediction interval of a count with mean <paramref name="mean"/> and variance <paramref name="variance"/> (≥ mean).</summary>
    public static (long Lower, long Upper) Count(double mean, double variance, double level = 0.90)
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "must lie strictly between 0 and 1");
        if (!(mean >= 0) || double.IsInfinity(mean))
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "must be a non-negative number");
        if (mean == 0)
            return (0, 0);
        var tail = (1 - level) / 2;
        return (Quantile(mean, variance, tail), Quantile(mean, variance, 1 - tail));
    }

    internal static IReadOnlyList<TerritoryPrediction> Build(
        ModelDataset data, double[] expected, double[]? linearPredictorVariance, double modelDispersion, PredictionSettings? settings)
    {
        settings ??= new PredictionSettings();
        var dispersion = Math.Max(settings.Dispersion ?? modelDispersion, 1);
        var referenceRate = settings.ReferenceRate ?? data.Rows.Sum(r => r.Cases) / data.Rows.Sum(r => r.Population);
        if (!data.HasExpectedCases && !(referenceRate > 0))
            throw new ArgumentException("the SIR needs a positive reference rate: the data scored have no cases and no reference rate was given");
        var predictions = new TerritoryPrediction[data.Count];
        for (var i = 0; i < predictions.Length; i++)
        {
            var row = data.Rows[i];
            var mu = expected[i];
            var variance = dispersion * mu + mu * mu * (linearPredictorVariance?[i] ?? 0);
            var (lower, upper) = Count(mu, variance, settings.Level);
            var sir = mu / (row.ExpectedCases ?? row.Population * referenceRate);
            predictions[i] = new TerritoryPrediction(row.Territory, row.Period, row.Cases, mu, mu / row.Population * 100_000, sir, lower, upper);
        }
        return predictions;
    }

    private static long Quantile(double mean, double variance, double q)
    {
        // Relative slack: a variance equal to the mean up to rounding is Poisson.
        var size = variance > mean * (1 + 1e-12) ? mean * mean / (variance - mean) : double.PositiveInfinity;
        double Cdf(long k) => double.IsPositiveInfinity(size)
            ? SpecialFunctions.GammaUpperRegularized(k + 1, mean)
            : SpecialFunctions.BetaRegularized(size, k + 1, size / (size + mean));

        // Start from the normal approximation, then walk to the exact quantile (a few steps at most).
        var k = Math.Max(0, (long)Math.Floor(mean + StandardNormal.Quantile(q) * Math.Sqrt(Math.Max(variance, mean))));
        while (k > 0 && Cdf(k - 1) >= q)
            k--;
        while (Cdf(k) < q)
            k++;
        return k;
    }
}
