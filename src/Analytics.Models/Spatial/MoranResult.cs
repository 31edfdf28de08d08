namespace Analytics.Models.Spatial;

/// <summary>
/// Global Moran's I with its moments under the two classic null hypotheses (Cliff &amp; Ord 1981,
/// <i>Spatial Processes</i>, §2.3): normality (values drawn from a normal distribution) and
/// randomisation (the observed values randomly reassigned to the areas).
/// </summary>
/// <param name="I">Moran's I = (n/S0) Σᵢⱼ wᵢⱼ zᵢ zⱼ / Σ zᵢ², with z the values centred on their mean.</param>
/// <param name="Expected">E[I] = −1/(n − 1) under both hypotheses.</param>
/// <param name="VarianceNormality">Var[I] under normality.</param>
/// <param name="VarianceRandomisation">Var[I] under randomisation (uses the kurtosis of the values).</param>
/// <param name="Permutation">The permutation test, when permutations were asked for.</param>
/// <param name="AreaCount">n of the statistic and its moments: the connected areas, or every area under <see cref="IslandConvention.ZeroPolicy"/>.</param>
/// <param name="Islands">Areas without neighbours.</param>
/// <param name="IslandConvention">What was done with the islands: left out, or kept with a spatial lag of 0 (and n reduced or not).</param>
public sealed record MoranResult(
    double I,
    double Expected,
    double VarianceNormality,
    double VarianceRandomisation,
    PermutationTest? Permutation,
    int AreaCount,
    IReadOnlyList<int> Islands,
    IslandConvention IslandConvention)
{
    public double ZNormality => (I - Expected) / Math.Sqrt(VarianceNormality);

    public double ZRandomisation => (I - Expected) / Math.Sqrt(VarianceRandomisation);

    /// <summary>Two-sided p-value of <see cref="ZNormality"/>.</summary>
    public double PValueNormality => TwoSided(ZNormality);

    /// <summary>Two-sided p-value of <see cref="ZRandomisation"/>.</summary>
    public double PValueRandomisation => TwoSided(ZRandomisation);

    private static double TwoSided(double z) => 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(z));
}
