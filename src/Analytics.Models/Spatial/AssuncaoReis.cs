namespace Analytics.Models.Spatial;

/// <summary>The rate standardisation behind the empirical Bayes Moran index (Assunção &amp; Reis 1999).</summary>
public static class AssuncaoReis
{
    /// <summary>
    /// zᵢ = (pᵢ − b)/√vᵢ with pᵢ = xᵢ/nᵢ, b = Σx/Σn, vᵢ = a + b/nᵢ and a = s² − b/n̄
    /// (s² = Σnᵢ(pᵢ − b)²/Σn, n̄ the mean population): each rate's deviation measured in units of its
    /// own expected spread. Where vᵢ &lt; 0 it is replaced by b/nᵢ, as in spdep and PySAL.
    /// </summary>
    public static double[] Standardise(IReadOnlyList<long> cases, IReadOnlyList<double> population)
    {
        var n = cases.Count;
        if (population.Count != n || n == 0)
            throw new ArgumentException("cases and population need one entry per area, and at least one area");
        double caseTotal = 0, populationTotal = 0;
        for (var i = 0; i < n; i++)
        {
            if (cases[i] < 0 || !(population[i] > 0))
                throw new ArgumentException($"area {i}: cases must be non-negative and population positive");
            caseTotal += cases[i];
            populationTotal += population[i];
        }
        if (caseTotal == 0)
            throw new ArgumentException("no case anywhere: every rate is 0 and the standardisation is undefined");
        var b = caseTotal / populationTotal;
        var s2 = 0.0;
        for (var i = 0; i < n; i++)
            s2 += population[i] * Math.Pow(cases[i] / population[i] - b, 2);
        s2 /= populationTotal;
        var a = s2 - b / (populationTotal / n);
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = a + b / population[i];
            if (v < 0)
                v = b / population[i];
            z[i] = (cases[i] / population[i] - b) / Math.Sqrt(v);
        }
        return z;
    }
}
