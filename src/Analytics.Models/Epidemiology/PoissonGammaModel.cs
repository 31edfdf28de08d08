using MathNet.Numerics;

namespace Analytics.Models.Epidemiology;

/// <summary>
/// The Poisson–gamma model of Clayton &amp; Kaldor (1987, Biometrics 43:671–681): observed counts
/// Oᵢ ~ Poisson(Eᵢ θᵢ) with relative risks θᵢ ~ Gamma(shape α, rate β) (prior mean α/β). The
/// posterior of each θᵢ is Gamma(α + Oᵢ, β + Eᵢ), whose mean (α + Oᵢ)/(β + Eᵢ) shrinks the SMR
/// Oᵢ/Eᵢ towards α/β, the more so the smaller Eᵢ.
/// </summary>
/// <remarks>
/// α and β are maximum-likelihood estimates from the marginal negative binomial likelihood (Clayton
/// &amp; Kaldor §3), the fit R's <c>MASS::glm.nb(O ~ offset(log(E)))</c> makes and
/// <c>SpatialEpi::eBayes</c> uses: θ̂ (glm.nb) = α, exp(intercept) = α/β. For each α the prior mean
/// solving the score equation is unique (the score is decreasing in it), so the fit maximises the
/// profile likelihood over log α by golden-section search. When the counts show no more variation
/// than Poisson (the profile keeps rising with α), α stops at <see cref="MaximumShape"/>: the prior
/// is then a near point mass and every area gets the overall ratio.
/// </remarks>
public sealed record PoissonGammaModel(double Shape, double Rate)
{
    /// <summary>Upper bound of the shape search: beyond it the prior's coefficient of variation is below 1e-4.</summary>
    public const double MaximumShape = 1e8;

    /// <summary>Prior mean relative risk α/β.</summary>
    public double PriorMean => Shape / Rate;

    /// <summary>Fits α and β to observed and expected counts.</summary>
    public static PoissonGammaModel Fit(IReadOnlyList<long> observed, IReadOnlyList<double> expected)
    {
        if (observed.Count != expected.Count || observed.Count == 0)
            throw new ArgumentException("observed and expected need one entry per area, and at least one area");
        double totalObserved = 0, totalExpected = 0;
        for (var i = 0; i < observed.Count; i++)
        {
            if (observed[i] < 0)
                throw new ArgumentException($"area {i} has {observed[i]} observed cases: counts cannot be negative");
            if (!(expected[i] > 0))
                throw new ArgumentException($"area {i} has {expected[i]} expected cases: it must be positive");
            totalObserved += observed[i];
            totalExpected += expected[i];
        }
        if (totalObserved == 0)
            throw new ArgumentException("no case was observed anywhere: the prior mean would be 0");

        // Golden-section search for the maximum of the profile log-likelihood over log α.
        double lo = Math.Log(1e-6), hi = Math.Log(MaximumShape);
        var golden = (Math.Sqrt(5) - 1) / 2;
        double x1 = hi - golden * (hi - lo), x2 = lo + golden * (hi - lo);
        double f1 = Profile(observed, expected, Math.Exp(x1)).LogLikelihood, f2 = Profile(observed, expected, Math.Exp(x2)).LogLikelihood;
        while (hi - lo > 1e-10)
        {
            if (f1 < f2)
            {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + golden * (hi - lo);
                f2 = Profile(observed, expected, Math.Exp(x2)).LogLikelihood;
            }
            else
            {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - golden * (hi - lo);
                f1 = Profile(observed, expected, Math.Exp(x1)).LogLikelihood;
            }
        }
        var shape = Math.Exp((lo + hi) / 2);
        var mean = Profile(observed, expected, shape).Mean;
        return new PoissonGammaModel(shape, shape / mean);
    }

    /// <summary>The posterior of an area's relative risk given its observed and expected counts.</summary>
    public GammaPosterior Posterior(long observed, double expected) => new(Shape + observed, Rate + expected);

    /// <summary>Marginal negative binomial log-likelihood at shape α and prior mean μ, with the μ that maximises it for that α.</summary>
    private static (double LogLikelihood, double Mean) Profile(IReadOnlyList<long> observed, IReadOnlyList<double> expected, double shape)
    {
        var mean = SolveMean(observed, expected, shape);
        var logLikelihood = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            double y = observed[i], m = mean * expected[i];
            // The terms that depend on α or μ; ln Γ(y + 1) is constant and left out.
            logLikelihood += SpecialFunctions.GammaLn(shape + y) - SpecialFunctions.GammaLn(shape)
                + shape * Math.Log(shape / (shape + m)) + (y == 0 ? 0 : y * Math.Log(m / (shape + m)));
        }
        return (logLikelihood, mean);
    }

    // Root of Σ (yᵢ − μEᵢ)/(α + μEᵢ) = 0 in μ: decreasing, so bisection on log μ after bracketing.
    private static double SolveMean(IReadOnlyList<long> observed, IReadOnlyList<double> expected, double shape)
    {
        double Score(double mu)
        {
            var s = 0.0;
            for (var i = 0; i < observed.Count; i++)
                s += (observed[i] - mu * expected[i]) / (shape + mu * expected[i]);
            return s;
        }
        double lo = 1e-3, hi = 1e3;
        while (Score(lo) < 0) lo /= 10;
        while (Score(hi) > 0) hi *= 10;
        for (var k = 0; k < 200 && hi / lo > 1 + 1e-14; k++)
        {
            var mid = Math.Sqrt(lo * hi);
            if (Score(mid) > 0)
                lo = mid;
            else
                hi = mid;
        }
        return Math.Sqrt(lo * hi);
    }
}
