namespace Analytics.Models.Modelling;

/// <summary>
/// Poisson regression with a log link, fitted by iteratively reweighted least squares (IRLS):
/// <c>log E[y] = offset + Xβ</c>. The offset is usually log(population) or log(expected
/// cases), so the coefficients are log rate ratios.
/// </summary>
/// <remarks>
/// Standard errors come from the inverse Fisher information (XᵀWX)⁻¹ with W = w·μ at the
/// maximum (McCullagh &amp; Nelder, <i>Generalized Linear Models</i>, 2nd ed., §2.5 and §6.2),
/// as R's <c>glm(family = poisson)</c> reports them. Prior weights act as frequency weights: a
/// row with weight 2 counts as two identical rows (degrees of freedom count Σw, as statsmodels'
/// <c>freq_weights</c>; R's <c>glm</c> counts rows). The standard errors assume Poisson variance;
/// the fit reports the quasi-Poisson dispersion (Pearson χ²/residual df) so the caller can see when
/// over-dispersed data make them too small, and the null deviance to judge what the covariates explain.
/// </remarks>
public static class PoissonGlm
{
    /// <summary>z quantile for two-sided 95% Wald intervals.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Fits the model. Rows of <paramref name="design"/> are observations, columns the named covariates.</summary>
    /// <param name="names">One name per column of the design (include an intercept column yourself).</param>
    /// <param name="design">n rows of p covariate values.</param>
    /// <param name="counts">n observed counts (non-negative).</param>
    /// <param name="offsets">n offsets added to the linear predictor (e.g. log population); zero when null.</param>
    /// <param name="weights">n prior (frequency) weights; one when null.</param>
    /// <param name="maxIterations">IRLS stops here even if the deviance still moves.</param>
    /// <param name="tolerance">Convergence when the relative change in deviance falls below this.</param>
    /// <exception cref="ArgumentException">Inconsistent lengths, negative counts, or a design whose columns are collinear.</exception>
    public static PoissonGlmFit Fit(
        IReadOnlyList<string> names,
        IReadOnlyList<double[]> design,
        IReadOnlyList<double> counts,
        IReadOnlyList<double>? offsets = null,
        IReadOnlyList<double>? weights = null,
        int maxIterations = 50,
        double tolerance = 1e-10)
    {
        var n = design.Count;
        var p = names.Count;
        if (counts.Count != n || (offsets is not null && offsets.Count != n) || (weights is not null && weights.Count != n))
            throw new ArgumentException("design, counts, offsets and weights must have one entry per observation");
        if (n == 0 || p == 0)
            throw new ArgumentException("the model needs at least one observation and one covariate");
        for (var i = 0; i < n; i++)
        {
            if (design[i].Length != p)
                throw new ArgumentException($"design row {i} has {design[i].Length} values for {p} named covariates");
            if (counts[i] < 0 || double.IsNaN(counts[i]))
                throw new ArgumentException($"count {i} is {counts[i]}: counts must be non-negative");
        }

        double Offset(int i) => offsets is null ? 0 : offsets[i];
        double Weight(int i) => weights is null ? 1 : weights[i];

        // Start from the saturated-ish fit μ = y + ½ (keeps log finite for zero counts), as glm does.
        var eta = new double[n];
        for (var i = 0; i < n; i++)
            eta[i] = Math.Log(counts[i] + 0.5);

        var beta = new double[p];
        var information = new double[p, p];
        var deviance = double.PositiveInfinity;
        var iterations = 0;
        var converged = false;
        while (iterations < maxIterations)
        {
            iterations++;
            Array.Clear(information);
            var score = new double[p];
            for (var i = 0; i < n; i++)
            {
                var mu = Math.Exp(eta[i]);
                var w = Weight(i) * mu;
                var z = eta[i] - Offset(i) + (counts[i] - mu) / mu; // working response without the offset
                var row = design[i];
                for (var a = 0; a < p; a++)
                {
                    var wa = w * row[a];
                    score[a] += wa * z;
                    for (var b = 0; b <= a; b++)
                        information[a, b] += wa * row[b];
                }
            }
            Symmetrise(information);
            beta = Cholesky.Solve(information, score, names);

            var newDeviance = 0.0;
            for (var i = 0; i < n; i++)
            {
                eta[i] = Offset(i) + Dot(design[i], beta);
                newDeviance += Weight(i) * ModelMetrics.UnitDeviance(counts[i], Math.Exp(eta[i]));
            }
            var change = Math.Abs(newDeviance - deviance) / (Math.Abs(newDeviance) + 0.1); // glm.fit's criterion
            deviance = newDeviance;
            if (change < tolerance)
            {
                converged = true;
                break;
            }
        }

        // Fisher information at the final estimate (the loop's matrix belongs to the previous step).
        Array.Clear(information);
        for (var i = 0; i < n; i++)
        {
            var w = Weight(i) * Math.Exp(eta[i]);
            var row = design[i];
            for (var a = 0; a < p; a++)
                for (var b = 0; b <= a; b++)
                    information[a, b] += w * row[a] * row[b];
        }
        Symmetrise(information);
        var covariance = Cholesky.Inverse(information, names);

        double weightSum = 0, pearson = 0;
        for (var i = 0; i < n; i++)
        {
            var mu = Math.Exp(eta[i]);
            weightSum += Weight(i);
            pearson += Weight(i) * (counts[i] - mu) * (counts[i] - mu) / mu;
        }
        var hasIntercept = Enumerable.Range(0, p).Any(j => design.All(row => row[j] == 1));
        var nullDeviance = NullDeviance(counts, Offset, Weight, hasIntercept);
        return new PoissonGlmFit([.. names], beta, covariance, deviance, iterations, converged,
            nullDeviance, hasIntercept ? weightSum - 1 : weightSum, weightSum - p, pearson);
    }

    /// <summary>
    /// Deviance of the null model, as R's <c>glm</c> defines it: with an intercept, the intercept-only model with
    /// the same offset, whose estimate has a closed form, μᵢ = e^oᵢ Σwy / Σw e^o (the fitted total equals the
    /// observed one); without one, the offset alone, μᵢ = e^oᵢ.
    /// </summary>
    private static double NullDeviance(IReadOnlyList<double> counts, Func<int, double> offset, Func<int, double> weight, bool hasIntercept)
    {
        var scale = 1.0;
        if (hasIntercept)
        {
            double observed = 0, baseline = 0;
            for (var i = 0; i < counts.Count; i++)
            {
                observed += weight(i) * counts[i];
                baseline += weight(i) * Math.Exp(offset(i));
            }
            scale = observed / baseline;
        }
        var deviance = 0.0;
        for (var i = 0; i < counts.Count; i++)
            deviance += weight(i) * ModelMetrics.UnitDeviance(counts[i], scale * Math.Exp(offset(i)));
        return deviance;
    }

    private static double Dot(double[] row, double[] beta)
    {
        var sum = 0.0;
        for (var j = 0; j < row.Length; j++)
            sum += row[j] * beta[j];
        return sum;
    }

    private static void Symmetrise(double[,] m)
    {
        for (var a = 0; a < m.GetLength(0); a++)
            for (var b = 0; b < a; b++)
                m[b, a] = m[a, b];
    }
}
