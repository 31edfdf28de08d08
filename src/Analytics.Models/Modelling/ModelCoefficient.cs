namespace Analytics.Models.Modelling;

/// <summary>One coefficient of a log-linear risk model: a log rate ratio per unit of its feature.</summary>
/// <param name="Name">Feature name, or "(intercept)" for the log rate (or log SIR) at every feature = 0.</param>
/// <param name="Estimate">The estimate β: maximum likelihood (<see cref="PoissonRiskModel"/>) or posterior mean (<see cref="Bym2RiskModel"/>).</param>
/// <param name="StandardError">
/// Its standard error, as the model's <c>Coefficients</c> say: from the Fisher information √[(XᵀWX)⁻¹]ⱼⱼ for the Poisson
/// model; for BYM2, the larger of the posterior and block-robust ones.
/// </param>
public sealed record ModelCoefficient(string Name, double Estimate, double StandardError)
{
    public const string InterceptName = "(intercept)";

    /// <summary>The coefficient named <paramref name="name"/> (a feature, or <see cref="InterceptName"/>).</summary>
    public static ModelCoefficient Find(IReadOnlyList<ModelCoefficient> coefficients, string name) =>
        coefficients.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"no coefficient named '{name}' in the model ({string.Join(", ", coefficients.Select(c => c.Name))})");

    /// <summary>
    /// The coefficients in the features' own units from those fitted on standardised features zⱼ = (xⱼ − meanⱼ)/scaleⱼ,
    /// intercept first: β = A b with βⱼ = bⱼ/scaleⱼ and β₀ = b₀ − Σ bⱼ meanⱼ/scaleⱼ; Cov(β) = A Cov(b) Aᵀ.
    /// </summary>
    /// <param name="featureNames">The features, in the order of b after the intercept.</param>
    /// <param name="means">Each feature's mean used in the standardisation.</param>
    /// <param name="scales">Each feature's scale used in the standardisation.</param>
    /// <param name="b">The intercept then the features' coefficients on the standardised scale.</param>
    /// <param name="covariance">Cov(b)[s, t], indices as <paramref name="b"/>'s.</param>
    public static ModelCoefficient[] FromStandardised(IReadOnlyList<string> featureNames, IReadOnlyList<double> means, IReadOnlyList<double> scales,
        IReadOnlyList<double> b, Func<int, int, double> covariance)
    {
        var k = featureNames.Count + 1;
        var a = new double[k, k];
        a[0, 0] = 1;
        for (var j = 1; j < k; j++)
        {
            a[0, j] = -means[j - 1] / scales[j - 1];
            a[j, j] = 1 / scales[j - 1];
        }
        var coefficients = new ModelCoefficient[k];
        for (var r = 0; r < k; r++)
        {
            double estimate = 0, variance = 0;
            for (var s = 0; s < k; s++)
            {
                estimate += a[r, s] * b[s];
                for (var t = 0; t < k; t++)
                    variance += a[r, s] * covariance(s, t) * a[r, t];
            }
            coefficients[r] = new ModelCoefficient(r == 0 ? InterceptName : featureNames[r - 1], estimate, Math.Sqrt(variance));
        }
        return coefficients;
    }

    /// <summary>exp(β): the factor by which the rate is multiplied per unit of the feature.</summary>
    public double RateRatio => Math.Exp(Estimate);

    /// <summary>Two-sided Wald interval β ± z·SE on the log scale at <paramref name="level"/>.</summary>
    public (double Lower, double Upper) Interval(double level = 0.95)
    {
        var z = level == 0.95 ? PoissonGlm.Z95 : StandardNormal.Quantile(1 - (1 - level) / 2);
        return (Estimate - z * StandardError, Estimate + z * StandardError);
    }

    /// <summary>The Wald interval of the rate ratio: exp of <see cref="Interval"/>.</summary>
    public (double Lower, double Upper) RateRatioInterval(double level = 0.95)
    {
        var (lower, upper) = Interval(level);
        return (Math.Exp(lower), Math.Exp(upper));
    }
}
