namespace Analytics.Models.Spatial;

/// <summary>
/// The values a statistic works on, centred on their mean: the connected areas' under
/// <see cref="IslandConvention.Exclude"/>, every area's when islands are kept (zero policy). Areas left
/// out hold 0.
/// </summary>
internal sealed class CentredValues
{
    public CentredValues(IReadOnlyList<double> values, SpatialWeights weights, IslandConvention convention)
    {
        if (values.Count != weights.Count)
            throw new ArgumentException($"{values.Count} values for {weights.Count} areas");
        if (!Enum.IsDefined(convention))
            throw new ArgumentOutOfRangeException(nameof(convention), convention, "unknown island convention");
        var connected = new List<int>(weights.ConnectedCount);
        var used = new List<int>(weights.Count);
        for (var i = 0; i < weights.Count; i++)
        {
            var isIsland = weights.IsIsland(i);
            if (isIsland && convention == IslandConvention.Exclude)
                continue;
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"area {i} has value {values[i]}: values must be finite");
            used.Add(i);
            if (!isIsland)
                connected.Add(i);
        }
        if (connected.Count < 4)
            throw new ArgumentException($"only {connected.Count} areas have neighbours: spatial statistics need at least 4");
        Connected = connected.ToArray();
        Used = used.ToArray();
        Mean = Used.Sum(i => values[i]) / Used.Length;
        Centred = new double[weights.Count];
        foreach (var i in Used)
        {
            Centred[i] = values[i] - Mean;
            SumOfSquares += Centred[i] * Centred[i];
            SumOfFourthPowers += Math.Pow(Centred[i], 4);
        }
        if (SumOfSquares == 0)
            throw new ArgumentException("the values do not vary over the areas used: the statistic is undefined");
    }

    /// <summary>Indices of the areas with at least one neighbour, ascending: those a local statistic is computed for.</summary>
    public int[] Connected { get; }

    /// <summary>Indices of the areas in the mean, the variance and the permutations, ascending.</summary>
    public int[] Used { get; }

    /// <summary>Number of areas used.</summary>
    public int Count => Used.Length;

    public double Mean { get; }

    /// <summary>One entry per area: value − mean for the areas used, 0 for the others.</summary>
    public double[] Centred { get; }

    public double SumOfSquares { get; }

    public double SumOfFourthPowers { get; }
}
