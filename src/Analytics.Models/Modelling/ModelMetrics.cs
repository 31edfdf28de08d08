namespace Analytics.Models.Modelling;

/// <summary>How well expected cases μ match observed cases, on held-out rows (or any rows).</summary>
/// <param name="Rows">Rows scored.</param>
/// <param name="MeanPoissonDeviance">
/// Mean unit deviance (1/n) Σ 2[y log(y/μ) − (y − μ)] (y log y = 0 at y = 0): the Poisson
/// log-likelihood loss, comparable between folds of different sizes. Lower is better.
/// </param>
/// <param name="MaeRatePer100000">Mean over rows of |y − μ| / population × 100,000: every territory counts once, whatever its size.</param>
/// <param name="CalibrationSlope">b in the Poisson regression log E[y] = a + b log μ (1 is perfect; below 1: predictions too spread out).</param>
/// <param name="CalibrationIntercept">a in the same regression (0 is perfect, with b = 1).</param>
/// <param name="ObservedOverExpected">Σ y / Σ μ: calibration in the large (1 is perfect).</param>
/// <param name="SpearmanRank">Spearman rank correlation of predicted and observed rates (μ / population, y / population), ties given average ranks.</param>
/// <remarks>
/// Calibration regression: Cox (1958), "Two further applications of a model for binary regression",
/// Biometrika 45:562–565, regresses the outcome on the model's linear predictor (see also Van Calster
/// et al. 2016, "A calibration hierarchy for risk models", J Clin Epidemiol 74:167–176); for counts the
/// same regression uses the log link, i.e. observed counts regressed on log μ in a Poisson GLM. Slope
/// and intercept are NaN when every prediction is the same (no slope to fit).
/// </remarks>
public sealed record ModelMetrics(
    int Rows,
    double MeanPoissonDeviance,
    double MaeRatePer100000,
    double CalibrationSlope,
    double CalibrationIntercept,
    double ObservedOverExpected,
    double SpearmanRank)
{
    /// <summary>All metrics of <paramref name="expected"/> against the observed cases of <paramref name="data"/>.</summary>
    public static ModelMetrics Compute(ModelDataset data, IReadOnlyList<double> expected)
    {
        if (expected.Count != data.Count)
            throw new ArgumentException($"{expected.Count} predictions for {data.Count} rows");
        var observed = data.Rows.Select(r => r.Cases).ToArray();
        var population = data.Rows.Select(r => r.Population).ToArray();
        var (slope, intercept) = Calibration(observed, expected);
        return new ModelMetrics(
            data.Count,
            MeanDeviance(observed, expected),
            RateMae(observed, expected, population),
            slope,
            intercept,
            observed.Sum() / expected.Sum(),
            Spearman(
                observed.Select((y, i) => y / population[i]).ToArray(),
                expected.Select((mu, i) => mu / population[i]).ToArray()));
    }

    /// <summary>(1/n) Σ 2[y log(y/μ) − (y − μ)].</summary>
    public static double MeanDeviance(IReadOnlyList<double> observed, IReadOnlyList<double> expected)
    {
        var sum = 0.0;
        for (var i = 0; i < observed.Count; i++)
            sum += UnitDeviance(observed[i], expected[i]);
        return sum / observed.Count;
    }

    /// <summary>(1/n) Σ |y − μ| / population × 100,000.</summary>
    public static double RateMae(IReadOnlyList<double> observed, IReadOnlyList<double> expected, IReadOnlyList<double> population)
    {
        var sum = 0.0;
        for (var i = 0; i < observed.Count; i++)
            sum += Math.Abs(observed[i] - expected[i]) / population[i] * 100_000;
        return sum / observed.Count;
    }

    /// <summary>(slope b, intercept a) of the Poisson regression log E[y] = a + b log μ, fitted by <see cref="PoissonGlm"/>.</summary>
    public static (double Slope, double Intercept) Calibration(IReadOnlyList<double> observed, IReadOnlyList<double> expected)
    {
        var logExpected = expected.Select(mu => mu > 0 ? Math.Log(mu) : throw new ArgumentException($"prediction {mu} is not positive: no calibration on the log scale")).ToArray();
        if (logExpected.All(v => v == logExpected[0]))
            return (double.NaN, double.NaN);
        var fit = PoissonGlm.Fit(["intercept", "log_expected"], logExpected.Select(v => new[] { 1, v }).ToArray(), observed);
        return (fit.Coefficients[1], fit.Coefficients[0]);
    }

    /// <summary>Spearman's ρ: the Pearson correlation of the ranks (ties share their average rank).</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(Ranks(x), Ranks(y));

    /// <summary>Poisson unit deviance 2[y log(y/μ) − (y − μ)], with y log y = 0 at y = 0.</summary>
    internal static double UnitDeviance(double y, double mu) =>
        2 * ((y > 0 ? y * Math.Log(y / mu) : 0) - (y - mu));

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
                end++;
            var average = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
