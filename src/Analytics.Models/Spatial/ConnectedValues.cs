namespace Analytics.Models.Spatial;

/// <summary>Values of the connected areas (islands excluded) centred on their mean; islands hold 0.</summary>
internal sealed class ConnectedValues
{
    public ConnectedValues(IReadOnlyList<double> values, SpatialWeights weights)
    {
        if (values.Count != weights.Count)
            throw new ArgumentException($"{values.Count} values for {weights.Count} areas");
        var connected = new List<int>(weights.ConnectedCount);
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights.IsIsland(i))
                continue;
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"area {i} has value {values[i]}: values must be finite");
            connected.Add(i);
        }
        if (connected.Count < 4)
            throw new ArgumentException($"only {connected.Count} areas have neighbours: spatial statistics need at least 4");
        Connected = connected.ToArray();
        Mean = Connected.Sum(i => values[i]) / Connected.Length;
        Centred = new double[weights.Count];
        foreach (var i in Connected)
        {
            Centred[i] = values[i] - Mean;
            SumOfSquares += Centred[i] * Centred[i];
            SumOfFourthPowers += Math.Pow(Centred[i], 4);
        }
        if (SumOfSquares == 0)
            throw new ArgumentException("the values do not vary over the connected areas: the statistic is undefined");
    }

    /// <summary>Indices of the areas with at least one neighbour, ascending.</summary>
    public int[] Connected { get; }

    public int Count => Connected.Length;

    public double Mean { get; }

    /// <summary>One entry per area: value − mean for connected areas, 0 for islands.</summary>
    public double[] Centred { get; }

    public double SumOfSquares { get; }

    public double SumOfFourthPowers { get; }
}
