using Analytics.Models.Randomness;

namespace Analytics.Models.Spatial;

/// <summary>Options of a local Moran (LISA) analysis.</summary>
/// <param name="Permutations">Conditional permutations per area (999 gives p-values down to 0.001).</param>
/// <param name="Seed">Seed of the permutations: same seed, same p-values.</param>
/// <param name="Significance">An area is mapped in a cluster category when its (adjusted) p-value is ≤ this.</param>
/// <param name="AdjustForFalseDiscoveryRate">Apply Benjamini–Hochberg over all tested areas before comparing with <paramref name="Significance"/>.</param>
/// <param name="IslandConvention">
/// Whether islands' values count in the mean, m₂ and the permutation pool (<see cref="IslandConvention.ZeroPolicy"/>,
/// as <c>spdep::localmoran</c> with <c>zero.policy = TRUE</c>) or not (<see cref="IslandConvention.Exclude"/>, the default).
/// <see cref="IslandConvention.ZeroPolicyAdjustN"/> is refused: it concerns the n of global moments only.
/// </param>
public sealed record LocalMoranOptions(
    int Permutations = 999,
    ulong Seed = 1,
    double Significance = 0.05,
    bool AdjustForFalseDiscoveryRate = false,
    IslandConvention IslandConvention = IslandConvention.Exclude);

/// <summary>One area's local Moran statistic.</summary>
/// <param name="Index">The area.</param>
/// <param name="I">Iᵢ = (zᵢ/m₂) Σⱼ wᵢⱼ zⱼ with z centred values and m₂ = Σz²/n; for an island NaN when islands are excluded, 0 under the zero policy.</param>
/// <param name="Lag">Σⱼ wᵢⱼ zⱼ, the (centred) spatial lag that decides the quadrant (0 for an island).</param>
/// <param name="PseudoPValue">Folded conditional permutation p-value: (1 + the smaller of the counts of permuted Iᵢ ≥ and ≤ the observed, ties counting in both) / (R + 1).</param>
/// <param name="AdjustedPValue">Benjamini–Hochberg adjusted p-value when asked for, else the pseudo p-value.</param>
/// <param name="Category">Quadrant if significant, <see cref="LisaCategory.NotSignificant"/> otherwise, <see cref="LisaCategory.Island"/> without neighbours.</param>
public sealed record LocalMoranArea(int Index, double I, double Lag, double PseudoPValue, double AdjustedPValue, LisaCategory Category);

/// <summary>A LISA analysis: one entry per area (islands included, as <see cref="LisaCategory.Island"/>); the options say which island convention was used.</summary>
public sealed record LocalMoranResult(IReadOnlyList<LocalMoranArea> Areas, IReadOnlyList<int> Islands, LocalMoranOptions Options);

/// <summary>Local Moran's I (Anselin 1995, Geographical Analysis 27:93–115).</summary>
public static class LocalMoran
{
    /// <summary>
    /// Iᵢ for every connected area as in <c>spdep::localmoran</c> (m₂ = Σz²/n), with conditional
    /// permutation inference: zᵢ stays in place while kᵢ values drawn without replacement from the
    /// other n − 1 areas take its neighbours' places (Anselin 1995 §4; GeoDa, PySAL). Quadrants follow
    /// the signs of zᵢ and its lag, a value equal to the mean counting as low (as spdep does). Islands are
    /// never tested; whether their values count is <see cref="LocalMoranOptions.IslandConvention"/>.
    /// </summary>
    /// <remarks>
    /// O(R · links). Each area draws from its own stream derived from the seed and its index, so the
    /// areas can run in parallel and the result still depends on the seed alone.
    /// </remarks>
    public static LocalMoranResult Compute(IReadOnlyList<double> values, SpatialWeights weights, LocalMoranOptions? options = null)
    {
        options ??= new LocalMoranOptions();
        if (options.Permutations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Permutations, "local Moran needs at least one permutation");
        if (options.IslandConvention == IslandConvention.ZeroPolicyAdjustN)
            throw new ArgumentException("adjust.n changes the n of global moments only; local Moran takes Exclude or ZeroPolicy", nameof(options));
        var data = new CentredValues(values, weights, options.IslandConvention);
        var z = data.Centred;
        var m2 = data.SumOfSquares / data.Count;
        var connected = data.Connected;

        var local = new double[weights.Count];
        var lag = new double[weights.Count];
        var pseudo = new double[weights.Count];
        Parallel.For(0, connected.Length, k =>
        {
            var i = connected[k];
            lag[i] = weights.Lag(i, z);
            local[i] = z[i] / m2 * lag[i];
            pseudo[i] = ConditionalPValue(i, local[i], z, m2, data.Used, weights, options);
        });

        var tested = connected.Select(i => pseudo[i]).ToArray();
        var adjusted = options.AdjustForFalseDiscoveryRate ? FalseDiscoveryRate.BenjaminiHochberg(tested) : tested;
        var areas = new LocalMoranArea[weights.Count];
        // Under the zero policy an island's lag is 0, so its Iᵢ is 0, as spdep reports it; it is still not tested.
        var islandI = options.IslandConvention == IslandConvention.Exclude ? double.NaN : 0;
        for (var i = 0; i < weights.Count; i++)
            areas[i] = new LocalMoranArea(i, islandI, 0, double.NaN, double.NaN, LisaCategory.Island);
        for (var k = 0; k < connected.Length; k++)
        {
            var i = connected[k];
            var category = adjusted[k] > options.Significance
                ? LisaCategory.NotSignificant
                : (z[i] > 0, lag[i] > 0) switch
                {
                    (true, true) => LisaCategory.HighHigh,
                    (false, false) => LisaCategory.LowLow,
                    (true, false) => LisaCategory.HighLow,
                    (false, true) => LisaCategory.LowHigh,
                };
            areas[i] = new LocalMoranArea(i, local[i], lag[i], pseudo[i], adjusted[k], category);
        }
        return new LocalMoranResult(areas, weights.Islands, options);
    }

    /// <summary>The neighbours' places are filled from <paramref name="pool"/>, the areas used by the statistic.</summary>
    private static double ConditionalPValue(int i, double observed, double[] z, double m2, int[] pool, SpatialWeights weights, LocalMoranOptions options)
    {
        var random = SeededRandom.Derive(options.Seed, $"local moran area {i}");
        var neighbourWeights = weights.Weights(i);
        var k = neighbourWeights.Length;
        var drawn = new int[k];
        var factor = z[i] / m2;
        int atLeast = 0, atMost = 0;
        for (var r = 0; r < options.Permutations; r++)
        {
            var sum = 0.0;
            for (var t = 0; t < k; t++)
            {
                int j;
                do
                    j = pool[random.NextInt(pool.Length)];
                while (j == i || Array.IndexOf(drawn, j, 0, t) >= 0);
                drawn[t] = j;
                sum += neighbourWeights[t] * z[j];
            }
            var simulated = factor * sum;
            if (simulated >= observed)
                atLeast++;
            if (simulated <= observed)
                atMost++;
        }
        // Ties count in both tails, so an area whose every permutation equals its own Iᵢ (zᵢ = 0) gets p = 1.
        var folded = Math.Min(atLeast, atMost);
        return (folded + 1.0) / (options.Permutations + 1);
    }
}
