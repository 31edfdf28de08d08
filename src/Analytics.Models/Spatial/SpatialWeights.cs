namespace Analytics.Models.Spatial;

/// <summary>
/// Spatial weights built from neighbour lists (for each area, the indices of its neighbours), stored
/// compactly (one offset per area, then all neighbour indices and weights end to end) so that a
/// spatial lag costs O(links).
/// </summary>
/// <remarks>
/// <para><b>Islands.</b> An area with no neighbour is an island. No spatial relationship can be
/// measured for it, so by default every statistic in <see cref="Spatial"/> leaves islands out entirely —
/// they count neither in the mean nor the variance nor n — and lists them in its result; spdep's
/// zero-policy conventions are available too (<see cref="IslandConvention"/>), and each result names the
/// one it used. An island must not be anyone else's neighbour either (true of any symmetric contiguity or
/// distance rule; k-nearest-neighbour lists have no islands), so its spatial lag is 0 and it enters no
/// other area's lag.</para>
/// <para>Neighbour lists may be asymmetric (k nearest neighbours); they may not name the area itself,
/// repeat a neighbour, or point outside the list.</para>
/// </remarks>
public sealed class SpatialWeights
{
    private readonly int[] _offsets;
    private readonly int[] _neighbours;
    private readonly double[] _weights;
    private readonly bool[] _isIsland;

    private SpatialWeights(int[] offsets, int[] neighbours, double[] weights, bool[] isIsland, int[] islands, WeightStyle style)
    {
        _offsets = offsets;
        _neighbours = neighbours;
        _weights = weights;
        _isIsland = isIsland;
        Islands = islands;
        Style = style;
        (S0, S1, S2) = Sums();
    }

    /// <summary>Builds weights of the given style from one neighbour list per area.</summary>
    /// <exception cref="ArgumentException">A neighbour index out of range, the area itself, a repeat, or an island named as a neighbour.</exception>
    public static SpatialWeights FromNeighbours(IReadOnlyList<IReadOnlyList<int>> neighbours, WeightStyle style)
    {
        var n = neighbours.Count;
        var offsets = new int[n + 1];
        for (var i = 0; i < n; i++)
            offsets[i + 1] = offsets[i] + neighbours[i].Count;
        var links = new int[offsets[n]];
        var weights = new double[offsets[n]];
        var isIsland = new bool[n];
        var seen = new HashSet<int>();
        for (var i = 0; i < n; i++)
        {
            var list = neighbours[i];
            isIsland[i] = list.Count == 0;
            seen.Clear();
            var w = style == WeightStyle.Binary ? 1.0 : 1.0 / list.Count;
            for (var k = 0; k < list.Count; k++)
            {
                var j = list[k];
                if (j < 0 || j >= n)
                    throw new ArgumentException($"area {i} names neighbour {j}, outside 0..{n - 1}");
                if (j == i)
                    throw new ArgumentException($"area {i} names itself as a neighbour");
                if (!seen.Add(j))
                    throw new ArgumentException($"area {i} names neighbour {j} twice");
                links[offsets[i] + k] = j;
                weights[offsets[i] + k] = w;
            }
        }
        foreach (var j in links)
            if (isIsland[j])
                throw new ArgumentException($"area {j} has no neighbour but is named as someone's neighbour: islands must be isolated both ways");
        var islands = Enumerable.Range(0, n).Where(i => isIsland[i]).ToArray();
        return new SpatialWeights(offsets, links, weights, isIsland, islands, style);
    }

    /// <summary>Number of areas, islands included.</summary>
    public int Count => _isIsland.Length;

    public WeightStyle Style { get; }

    /// <summary>Indices of the areas with no neighbour, ascending.</summary>
    public IReadOnlyList<int> Islands { get; }

    /// <summary>Number of areas that have at least one neighbour: the n of every statistic unless islands are kept (<see cref="IslandConvention.ZeroPolicy"/>).</summary>
    public int ConnectedCount => Count - Islands.Count;

    /// <summary>S0 = ΣᵢΣⱼ wᵢⱼ.</summary>
    public double S0 { get; }

    /// <summary>S1 = ½ ΣᵢΣⱼ (wᵢⱼ + wⱼᵢ)².</summary>
    public double S1 { get; }

    /// <summary>S2 = Σᵢ (wᵢ. + w.ᵢ)², row sum plus column sum, squared.</summary>
    public double S2 { get; }

    public bool IsIsland(int area) => _isIsland[area];

    /// <summary>The neighbours of <paramref name="area"/>, in the order given.</summary>
    public ReadOnlySpan<int> Neighbours(int area) => _neighbours.AsSpan(_offsets[area], _offsets[area + 1] - _offsets[area]);

    /// <summary>The weights of <paramref name="area"/>'s neighbours, aligned with <see cref="Neighbours"/>.</summary>
    public ReadOnlySpan<double> Weights(int area) => _weights.AsSpan(_offsets[area], _offsets[area + 1] - _offsets[area]);

    /// <summary>The spatial lag Σⱼ wᵢⱼ xⱼ of every area (0 for islands).</summary>
    public double[] Lag(ReadOnlySpan<double> values)
    {
        if (values.Length != Count)
            throw new ArgumentException($"{values.Length} values for {Count} areas");
        var lag = new double[Count];
        for (var i = 0; i < Count; i++)
            lag[i] = Lag(i, values);
        return lag;
    }

    internal double Lag(int area, ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        for (var k = _offsets[area]; k < _offsets[area + 1]; k++)
            sum += _weights[k] * values[_neighbours[k]];
        return sum;
    }

    private (double S0, double S1, double S2) Sums()
    {
        var n = Count;
        var rowSums = new double[n];
        var columnSums = new double[n];
        var s0 = 0.0;
        // S1 needs wⱼᵢ for each link i→j: look it up in j's list, sorted once so each look-up is a binary search.
        var sortedLinks = new (int Neighbour, double Weight)[_neighbours.Length];
        for (var i = 0; i < n; i++)
        {
            for (var k = _offsets[i]; k < _offsets[i + 1]; k++)
            {
                s0 += _weights[k];
                rowSums[i] += _weights[k];
                columnSums[_neighbours[k]] += _weights[k];
                sortedLinks[k] = (_neighbours[k], _weights[k]);
            }
            Array.Sort(sortedLinks, _offsets[i], _offsets[i + 1] - _offsets[i], Comparer<(int Neighbour, double Weight)>.Create((a, b) => a.Neighbour.CompareTo(b.Neighbour)));
        }
        var s1 = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var k = _offsets[i]; k < _offsets[i + 1]; k++)
            {
                var j = _neighbours[k];
                var back = ReverseWeight(sortedLinks, j, i);
                // Each unordered pair is met twice when the link goes both ways, once when it does not.
                s1 += back == 0 ? Math.Pow(_weights[k], 2) : 0.5 * Math.Pow(_weights[k] + back, 2);
            }
        }
        var s2 = 0.0;
        for (var i = 0; i < n; i++)
            s2 += Math.Pow(rowSums[i] + columnSums[i], 2);
        return (s0, s1, s2);
    }

    private double ReverseWeight((int Neighbour, double Weight)[] sortedLinks, int from, int to)
    {
        int lo = _offsets[from], hi = _offsets[from + 1] - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = sortedLinks[mid].Neighbour.CompareTo(to);
            if (c == 0)
                return sortedLinks[mid].Weight;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return 0;
    }
}
