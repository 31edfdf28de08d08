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
    public static double[] GiStar(IReadOnlyList<double> values, SpatialWeights weights)
    {
        var data = new ConnectedValues(values, weights);
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
        return z;
    }
}
