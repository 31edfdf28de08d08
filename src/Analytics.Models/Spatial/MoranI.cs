using Analytics.Models.Randomness;

namespace Analytics.Models.Spatial;

/// <summary>Global Moran's I, for values and for rates (the empirical Bayes index of Assunção &amp; Reis).</summary>
public static class MoranI
{
    /// <summary>
    /// Moran's I of <paramref name="values"/> with analytic moments and, when
    /// <paramref name="permutations"/> &gt; 0, a seeded permutation test, islands treated by
    /// <paramref name="islands"/>. Matches <c>spdep::moran.test</c> / <c>moran.mc</c> (with the
    /// <c>zero.policy</c> and <c>adjust.n</c> of the convention) and PySAL <c>esda.Moran</c> on data without islands.
    /// </summary>
    /// <remarks>
    /// O(links) per permutation. Under <see cref="IslandConvention.ZeroPolicyAdjustN"/> the kurtosis keeps
    /// every area while n does not, as in spdep; with islands far from the mean this can make the variance
    /// under randomisation negative (spdep then warns), which is the convention's, not a bug.
    /// </remarks>
    public static MoranResult Global(IReadOnlyList<double> values, SpatialWeights weights, int permutations = 999, ulong seed = 1,
        IslandConvention islands = IslandConvention.Exclude)
    {
        if (permutations < 0)
            throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "cannot be negative");
        var data = new CentredValues(values, weights, islands);
        var n = (double)(islands == IslandConvention.ZeroPolicy ? data.Count : weights.ConnectedCount);
        var s0 = weights.S0;
        var i = n / s0 * CrossProduct(data.Centred, data.Connected, weights) / data.SumOfSquares;

        var expected = -1 / (n - 1);
        var s02 = s0 * s0;
        var varianceNormality = (n * n * weights.S1 - n * weights.S2 + 3 * s02) / ((n * n - 1) * s02) - expected * expected;
        var kurtosis = data.Count * data.SumOfFourthPowers / (data.SumOfSquares * data.SumOfSquares);
        var varianceRandomisation =
            (n * ((n * n - 3 * n + 3) * weights.S1 - n * weights.S2 + 3 * s02)
             - kurtosis * ((n * n - n) * weights.S1 - 2 * n * weights.S2 + 6 * s02))
            / ((n - 1) * (n - 2) * (n - 3) * s02)
            - expected * expected;

        PermutationTest? test = null;
        if (permutations > 0)
        {
            var random = new SeededRandom(seed);
            var shuffled = (double[])data.Centred.Clone();
            var pool = data.Used.Select(a => data.Centred[a]).ToArray();
            var simulated = new double[permutations];
            for (var r = 0; r < permutations; r++)
            {
                random.Shuffle(pool);
                for (var k = 0; k < pool.Length; k++)
                    shuffled[data.Used[k]] = pool[k];
                simulated[r] = n / s0 * CrossProduct(shuffled, data.Connected, weights) / data.SumOfSquares;
            }
            test = Summarise(i, expected, simulated);
        }
        return new MoranResult(i, expected, varianceNormality, varianceRandomisation, test, (int)n, weights.Islands, islands);
    }

    /// <summary>
    /// The empirical Bayes index for rates (Assunção &amp; Reis 1999, Stat Med 18:2147–2162): Moran's I
    /// of the standardised rates zᵢ = (pᵢ − b)/√vᵢ from <see cref="AssuncaoReis.Standardise"/>, centred
    /// before the cross-product (spdep's <c>EBImoran.mc</c> default since 2016, and PySAL's
    /// <c>esda.Moran_Rate</c>). Small populations no longer dominate the statistic through their noisy rates.
    /// The rates are standardised over the same areas as the statistic: the connected ones under
    /// <see cref="IslandConvention.Exclude"/>, all of them otherwise (<c>EBImoran.mc</c> with
    /// <c>zero.policy = TRUE</c> is <see cref="IslandConvention.ZeroPolicy"/>: it has no <c>adjust.n</c>).
    /// </summary>
    public static MoranResult EmpiricalBayes(IReadOnlyList<long> cases, IReadOnlyList<double> population, SpatialWeights weights, int permutations = 999, ulong seed = 1,
        IslandConvention islands = IslandConvention.Exclude)
    {
        if (cases.Count != weights.Count || population.Count != weights.Count)
            throw new ArgumentException($"cases and population need one entry per area ({weights.Count})");
        var used = Enumerable.Range(0, weights.Count).Where(a => islands != IslandConvention.Exclude || !weights.IsIsland(a)).ToArray();
        var z = AssuncaoReis.Standardise(used.Select(a => cases[a]).ToArray(), used.Select(a => population[a]).ToArray());
        var values = new double[weights.Count];
        for (var k = 0; k < used.Length; k++)
            values[used[k]] = z[k];
        return Global(values, weights, permutations, seed, islands);
    }

    internal static PermutationTest Summarise(double observed, double expected, double[] simulated)
    {
        var atLeastAsExtreme = observed >= expected
            ? simulated.Count(s => s >= observed)
            : simulated.Count(s => s <= observed);
        var mean = simulated.Average();
        var sd = Math.Sqrt(simulated.Sum(s => (s - mean) * (s - mean)) / simulated.Length);
        return new PermutationTest(simulated.Length, (atLeastAsExtreme + 1.0) / (simulated.Length + 1), mean, sd);
    }

    private static double CrossProduct(double[] centred, int[] connected, SpatialWeights weights)
    {
        var sum = 0.0;
        foreach (var a in connected)
            sum += centred[a] * weights.Lag(a, centred);
        return sum;
    }
}
