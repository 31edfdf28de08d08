namespace Analytics.Models.Modelling;

/// <summary>A fitted Poisson regression: log rate ratios, their covariance and how the fit went.</summary>
/// <param name="Names">Covariate names, in design-column order.</param>
/// <param name="Coefficients">Maximum-likelihood estimates β (log rate ratios per unit of each covariate).</param>
/// <param name="Covariance">(XᵀWX)⁻¹ at the estimate: the asymptotic covariance of β.</param>
/// <param name="Deviance">Residual deviance, 2 Σ w [y log(y/μ) − (y − μ)].</param>
/// <param name="Iterations">IRLS iterations run.</param>
/// <param name="Converged">False when the iteration limit was reached first; estimates are then not to be trusted.</param>
/// <param name="NullDeviance">Deviance of the null model: intercept only with the same offset when the design has a column of ones, else the offset alone (as R's <c>glm</c>).</param>
/// <param name="NullDegreesOfFreedom">Σw − 1 with an intercept, Σw without (n for unit weights).</param>
/// <param name="ResidualDegreesOfFreedom">Σw − p (n − p for unit weights).</param>
/// <param name="PearsonChiSquare">Σ w (y − μ)²/μ at the estimate.</param>
public sealed record PoissonGlmFit(
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Coefficients,
    double[,] Covariance,
    double Deviance,
    int Iterations,
    bool Converged,
    double NullDeviance,
    double NullDegreesOfFreedom,
    double ResidualDegreesOfFreedom,
    double PearsonChiSquare)
{
    /// <summary>
    /// Quasi-Poisson dispersion φ = Pearson χ²/residual df, as R's <c>summary(glm(family = quasipoisson))</c>:
    /// about 1 for Poisson data, above 1 when over-dispersed (multiply the variances, hence the squared standard
    /// errors, by φ). NaN when no degree of freedom is left.
    /// </summary>
    public double Dispersion => ResidualDegreesOfFreedom > 0 ? PearsonChiSquare / ResidualDegreesOfFreedom : double.NaN;

    /// <summary>Position of the named covariate.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (Names[i] == name)
                return i;
        throw new KeyNotFoundException($"no covariate named '{name}' in the model ({string.Join(", ", Names)})");
    }

    /// <summary>The estimate for a named covariate.</summary>
    public double Coefficient(string name) => Coefficients[IndexOf(name)];

    /// <summary>Standard error √[(XᵀWX)⁻¹]ⱼⱼ of a named covariate.</summary>
    public double StandardError(string name)
    {
        var j = IndexOf(name);
        return Math.Sqrt(Covariance[j, j]);
    }

    /// <summary>Two-sided 95% Wald interval β ± 1.96·SE.</summary>
    public (double Lower, double Upper) ConfidenceInterval95(string name) => ConfidenceInterval(name, 0.95);

    /// <summary>Two-sided Wald interval β ± z·SE at the given confidence <paramref name="level"/> (e.g. 0.95).</summary>
    public (double Lower, double Upper) ConfidenceInterval(string name, double level)
    {
        var z = level == 0.95 ? PoissonGlm.Z95 : StandardNormal.Quantile(1 - (1 - level) / 2);
        var b = Coefficient(name);
        var half = z * StandardError(name);
        return (b - half, b + half);
    }
}
