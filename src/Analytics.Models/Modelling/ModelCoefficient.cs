namespace Analytics.Models.Modelling;

/// <summary>One coefficient of the Poisson risk model: a log rate ratio per unit of its feature.</summary>
/// <param name="Name">Feature name, or "(intercept)" for the log rate (or log SIR) at every feature = 0.</param>
/// <param name="Estimate">Maximum-likelihood estimate β.</param>
/// <param name="StandardError">√[(XᵀWX)⁻¹]ⱼⱼ: model-based (Poisson) standard error from the Fisher information.</param>
public sealed record ModelCoefficient(string Name, double Estimate, double StandardError)
{
    public const string InterceptName = "(intercept)";

    /// <summary>The coefficient named <paramref name="name"/> (a feature, or <see cref="InterceptName"/>).</summary>
    public static ModelCoefficient Find(IReadOnlyList<ModelCoefficient> coefficients, string name) =>
        coefficients.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"no coefficient named '{name}' in the model ({string.Join(", ", coefficients.Select(c => c.Name))})");

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
