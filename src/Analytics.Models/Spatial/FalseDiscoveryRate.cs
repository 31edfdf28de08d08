namespace Analytics.Models.Spatial;

/// <summary>Multiple-testing adjustment for the many local tests of a map.</summary>
public static class FalseDiscoveryRate
{
    /// <summary>
    /// Benjamini–Hochberg (1995) adjusted p-values: p₍ₖ₎ × m / k for the k-th smallest of m, made
    /// monotone from the largest down and capped at 1 (R's <c>p.adjust(p, "BH")</c>). Declaring
    /// significant every test whose adjusted p is ≤ q keeps the expected share of false discoveries ≤ q.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = order[rank - 1];
            running = Math.Min(running, pValues[i] * m / rank);
            adjusted[i] = running;
        }
        return adjusted;
    }
}
