using Analytics.Models.Spatial;

namespace Analytics.Models.Epidemiology;

/// <summary>
/// Marshall's (1991, Appl Statist 40:283–294) method-of-moments empirical Bayes rates, global and
/// local. Results agree with R's <c>spdep::EBest</c> (global) and <c>spdep::EBlocal(..., geoda = TRUE)</c>
/// (local; spdep's default measures each neighbour's spread around that neighbour's own local mean,
/// not around the neighbourhood's, which is not Marshall's estimator).
/// </summary>
public static class EmpiricalBayesRates
{
    /// <summary>
    /// Global smoothing towards the overall rate m = Σx/Σn. The between-area variance is
    /// a = s² − m/n̄ with s² = Σnᵢ(rᵢ − m)²/Σn and n̄ the mean population; a negative a (less
    /// variation than Poisson noise alone) is set to 0, which shrinks every area fully to m.
    /// </summary>
    public static SmoothedRates Global(IReadOnlyList<long> cases, IReadOnlyList<double> population)
    {
        var raw = RawRates(cases, population);
        var n = raw.Length;
        double caseTotal = 0, populationTotal = 0;
        for (var i = 0; i < n; i++)
        {
            caseTotal += cases[i];
            populationTotal += population[i];
        }
        var m = caseTotal / populationTotal;
        var s2 = 0.0;
        for (var i = 0; i < n; i++)
            s2 += population[i] * (raw[i] - m) * (raw[i] - m);
        s2 /= populationTotal;
        var a = Math.Max(0, s2 - m / (populationTotal / n));
        var smoothed = new double[n];
        for (var i = 0; i < n; i++)
            smoothed[i] = Shrink(raw[i], m, a, population[i]);
        return new SmoothedRates(raw, smoothed, Enumerable.Repeat(m, n).ToArray(), Enumerable.Repeat(a, n).ToArray(), []);
    }

    /// <summary>
    /// Local smoothing: each area is shrunk towards the rate of its neighbourhood (itself and its
    /// neighbours), with the moments of <see cref="Global"/> computed over that neighbourhood only.
    /// An island has no neighbourhood to borrow from; rather than keep its raw, noisy rate (what
    /// spdep does) it gets the global estimate, and is listed in <see cref="SmoothedRates.Islands"/>.
    /// </summary>
    public static SmoothedRates Local(IReadOnlyList<long> cases, IReadOnlyList<double> population, SpatialWeights neighbours)
    {
        var raw = RawRates(cases, population);
        var n = raw.Length;
        if (neighbours.Count != n)
            throw new ArgumentException($"{neighbours.Count} neighbour lists for {n} areas");
        var global = Global(cases, population);
        var smoothed = new double[n];
        var priorMean = new double[n];
        var priorVariance = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (neighbours.IsIsland(i))
            {
                smoothed[i] = global.Smoothed[i];
                priorMean[i] = global.PriorMean[i];
                priorVariance[i] = global.PriorVariance[i];
                continue;
            }
            var around = neighbours.Neighbours(i);
            double x = cases[i], p = population[i];
            foreach (var j in around)
            {
                x += cases[j];
                p += population[j];
            }
            var m = x / p;
            var spread = population[i] * (raw[i] - m) * (raw[i] - m);
            foreach (var j in around)
                spread += population[j] * (raw[j] - m) * (raw[j] - m);
            var meanPopulation = p / (around.Length + 1);
            var a = Math.Max(0, spread / p - m / meanPopulation);
            smoothed[i] = Shrink(raw[i], m, a, population[i]);
            priorMean[i] = m;
            priorVariance[i] = a;
        }
        return new SmoothedRates(raw, smoothed, priorMean, priorVariance, neighbours.Islands);
    }

    // With a = 0 and m = 0 (no case anywhere) the estimate is m: guard the 0/0.
    private static double Shrink(double r, double m, double a, double population) =>
        a == 0 ? m : m + (r - m) * a / (a + m / population);

    private static double[] RawRates(IReadOnlyList<long> cases, IReadOnlyList<double> population)
    {
        if (cases.Count != population.Count || cases.Count == 0)
            throw new ArgumentException("cases and population need one entry per area, and at least one area");
        var raw = new double[cases.Count];
        for (var i = 0; i < raw.Length; i++)
        {
            if (cases[i] < 0)
                throw new ArgumentException($"area {i} has {cases[i]} cases: counts cannot be negative");
            if (!(population[i] > 0))
                throw new ArgumentException($"area {i} has population {population[i]}: it must be positive");
            raw[i] = cases[i] / population[i];
        }
        return raw;
    }
}
