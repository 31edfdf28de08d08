namespace Analytics.Models.Spatial;

/// <summary>Getis–Ord local statistics.</summary>
public static class GetisOrd
{
    /// <summary>
    /// Gi* z-scores (Ord &amp; Getis 1995, Geographical Analysis 27:286–306): each area's neighbourhood
    /// is itself plus its neighbours with binary weights, and
    /// z = (Σⱼ wᵢⱼxⱼ − x̄Wᵢ) / (s √((n Σⱼwᵢⱼ² − Wᵢ²)/(n − 1))) with x̄ and s² = Σ(x − x̄)²/n over the
    /// connected areas. Positive z: a hot spot, negative: a cold spot. Equals
    /// <c>spdep::localG(x, nb2listw(include.self(nb)))</c>; the z is the same for binary or
    /// row-standardised weights (a row's common scale cancels), so the style of
    /// <paramref name="weights"/> does not matter. Islands get NaN.
    /// </summary>
    /// <remarks>
    /// The island convention says whether islands' values count in x̄, s and n (<see cref="IslandConvention.ZeroPolicy"/>)
    /// or not (<see cref="IslandConvention.Exclude"/>). Under the zero policy every connected area's z equals spdep's;
    /// spdep would also give an island the z of a neighbourhood of itself alone, (xᵢ − x̄)/s, which says
    /// nothing about clustering and is not given here. <see cref="IslandConvention.ZeroPolicyAdjustN"/> is
    /// refused: it concerns the n of global moments only.
    /// </remarks>
    public static GiStarResult GiStar(IReadOnlyList<double> values, SpatialWeights weights, IslandConvention islands = IslandConvention.Exclude)
    {
        if (islands == IslandConvention.ZeroPolicyAdjustN)
            throw new ArgumentException("adjust.n changes the n of global moments only; Gi* takes Exclude or ZeroPolicy", nameof(islands));
        var data = new CentredValues(values, weights, islands);
        var n = (double)data.Count;
        var s = Math.Sqrt(data.SumOfSquares / n);
        var z = new double[weights.Count];
        Array.Fill(z, double.NaN);
        foreach (var i in data.Connected)
        {
            var neighbours = weights.Neighbours(i);
            var sum = values[i];
            foreach (var j in neighbours)
                sum += values[j];
            var w = neighbours.Length + 1.0; // binary weights, self included: Wᵢ = Σwᵢⱼ² = kᵢ + 1
            z[i] = (sum - data.Mean * w) / (s * Math.Sqrt((n * w - w * w) / (n - 1)));
        }
        return new GiStarResult(z, weights.Islands, islands);
    }

    /// <summary>
    /// Two-sided p-value of a Gi* z-score under the normal approximation (as <c>spdep::localG</c>
    /// reports it) and its category at <paramref name="alpha"/>, without correction for the many
    /// local tests (as for LISA maps; a false-discovery rate can be applied to the p-values).
    /// </summary>
    public static (HotSpotCategory Category, double PValue) Classify(double z, double alpha = 0.05)
    {
        if (double.IsNaN(z))
            return (HotSpotCategory.Island, double.NaN);
        var p = 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -Math.Abs(z));
        return (p >= alpha ? HotSpotCategory.NotSignificant : z > 0 ? HotSpotCategory.HotSpot : HotSpotCategory.ColdSpot, p);
    }
}

/// <summary>Gi* z-scores of every area.</summary>
/// <param name="Z">One z-score per area, NaN for islands.</param>
/// <param name="Islands">Areas without neighbours.</param>
/// <param name="IslandConvention">Whether the islands' values counted in x̄, s and n.</param>
public sealed record GiStarResult(IReadOnlyList<double> Z, IReadOnlyList<int> Islands, IslandConvention IslandConvention);

/// <summary>The category of an area in a Getis-Ord Gi* map.</summary>
public enum HotSpotCategory
{
    NotSignificant,

    /// <summary>The area and its neighbours together hold high values.</summary>
    HotSpot,

    /// <summary>The area and its neighbours together hold low values.</summary>
    ColdSpot,

    /// <summary>No neighbour: not tested.</summary>
    Island,
}
