namespace Analytics.Models.Modelling.Bym2;

/// <summary>
/// The areas of a map and which touch which (symmetric neighbour lists), split into connected
/// components: what the intrinsic CAR and BYM2 priors are built on.
/// </summary>
/// <remarks>
/// Islands and disconnected parts follow Freni-Sterrantino, Ventrucci &amp; Rue (2018, <i>Spatial and
/// Spatio-temporal Epidemiology</i> 26:25–34): every component of two areas or more gets its own ICAR
/// field, scaled on its own (<see cref="ScalingFactors"/>) and centred on its own (a sum-to-zero
/// constraint per component); an area without neighbours (a singleton) has no structured part.
/// </remarks>
public sealed class AreaGraph
{
    private readonly Dictionary<string, int> _index;

    private AreaGraph(IReadOnlyList<string> codes, int[][] neighbours)
    {
        Codes = codes;
        Neighbours = neighbours;
        _index = codes.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        Component = new int[codes.Count];
        Array.Fill(Component, -1);
        var sizes = new List<int>();
        var stack = new Stack<int>();
        for (var start = 0; start < codes.Count; start++)
        {
            if (Component[start] >= 0)
                continue;
            var c = sizes.Count;
            var size = 0;
            Component[start] = c;
            stack.Push(start);
            while (stack.TryPop(out var v))
            {
                size++;
                foreach (var w in neighbours[v])
                    if (Component[w] < 0)
                    {
                        Component[w] = c;
                        stack.Push(w);
                    }
            }
            sizes.Add(size);
        }
        ComponentSizes = sizes;
    }

    /// <summary>Area codes, in the graph's order.</summary>
    public IReadOnlyList<string> Codes { get; }

    /// <summary>Neighbours[i]: indices of the areas touching area i.</summary>
    public IReadOnlyList<int[]> Neighbours { get; }

    /// <summary>Component[i]: the connected component of area i (numbered by first area).</summary>
    public int[] Component { get; }

    public IReadOnlyList<int> ComponentSizes { get; }

    public int Count => Codes.Count;

    /// <summary>Areas without neighbours.</summary>
    public IEnumerable<int> Singletons => Enumerable.Range(0, Count).Where(i => Neighbours[i].Length == 0);

    public bool TryIndexOf(string code, out int index) => _index.TryGetValue(code, out index);

    /// <summary>A graph from codes and neighbour lists (indices into <paramref name="codes"/>).</summary>
    /// <exception cref="ArgumentException">A duplicate code, a link out of range, to itself, repeated, or one-way.</exception>
    public static AreaGraph Create(IReadOnlyList<string> codes, IReadOnlyList<IReadOnlyList<int>> neighbours)
    {
        if (codes.Count != neighbours.Count)
            throw new ArgumentException($"{codes.Count} codes but {neighbours.Count} neighbour lists");
        if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
            throw new ArgumentException("an area code appears twice");
        var lists = new int[codes.Count][];
        var links = new HashSet<(int, int)>();
        for (var i = 0; i < codes.Count; i++)
        {
            lists[i] = [.. neighbours[i]];
            foreach (var j in lists[i])
            {
                if (j < 0 || j >= codes.Count || j == i)
                    throw new ArgumentException($"area {codes[i]} names neighbour {j}, not another area of the map");
                if (!links.Add((i, j)))
                    throw new ArgumentException($"area {codes[i]} names neighbour {codes[j]} twice");
            }
        }
        foreach (var (i, j) in links)
            if (!links.Contains((j, i)))
                throw new ArgumentException($"area {codes[i]} names {codes[j]} as a neighbour but not the other way round");
        return new AreaGraph(codes, lists);
    }

    /// <summary>
    /// For every area of a component of two areas or more, the geometric mean of the marginal
    /// variances of that component's ICAR field under its sum-to-zero constraint (Sørbye &amp; Rue 2014,
    /// the <c>scale.model</c> of R-INLA): the structure matrix multiplied by it gives a field whose
    /// typical (geometric mean) marginal variance is 1. Singletons get NaN.
    /// </summary>
    /// <remarks>
    /// The constrained covariance of a connected component is R⁺, the Moore–Penrose inverse of its
    /// structure matrix R (degrees on the diagonal, −1 per link). It is computed exactly, without the
    /// small diagonal R-INLA adds: ground one area (drop its row and column; what is left is positive
    /// definite), G = that inverse padded with zeros; G is a generalised inverse of R and
    /// R⁺ = P G P with P = I − 11ᵀ/m, so diag(R⁺)ᵢ = Gᵢᵢ − 2 (G1)ᵢ/m + 1ᵀG1/m².
    /// </remarks>
    public double[] ScalingFactors()
    {
        var grounded = new int[ComponentSizes.Count];
        Array.Fill(grounded, -1);
        for (var i = 0; i < Count; i++)
            if (grounded[Component[i]] < 0)
                grounded[Component[i]] = i;
        var pattern = SparsePattern.Create(Count,
            Enumerable.Range(0, Count).SelectMany(i => Neighbours[i].Where(j => j > i).Select(j => (i, j))), []);
        var values = new double[pattern.SlotCount];
        for (var i = 0; i < Count; i++)
        {
            var isGrounded = grounded[Component[i]] == i;
            // A grounded area keeps only a unit diagonal: its row and column are out of the system.
            values[pattern.Slot(i, i)] = isGrounded ? 1 : Neighbours[i].Length;
            foreach (var j in Neighbours[i])
                if (j > i && !isGrounded && grounded[Component[j]] != j)
                    values[pattern.Slot(i, j)] = -1;
        }
        var factor = new SparseCholesky(pattern).Factorize(values);
        var ones = new double[Count];
        for (var i = 0; i < Count; i++)
            ones[i] = grounded[Component[i]] == i ? 0 : 1;
        var g1 = factor.Solve(ones);
        var total = new double[ComponentSizes.Count];
        for (var i = 0; i < Count; i++)
            if (grounded[Component[i]] != i)
                total[Component[i]] += g1[i];
        var logSum = new double[ComponentSizes.Count];
        for (var i = 0; i < Count; i++)
        {
            var c = Component[i];
            var m = ComponentSizes[c];
            if (m < 2)
                continue;
            var isGrounded = grounded[c] == i;
            var gii = isGrounded ? 0 : factor.Inverse(i, i);
            var gi1 = isGrounded ? 0 : g1[i];
            logSum[c] += Math.Log(gii - 2 * gi1 / m + total[c] / ((double)m * m));
        }
        var scaling = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            var c = Component[i];
            scaling[i] = ComponentSizes[c] < 2 ? double.NaN : Math.Exp(logSum[c] / ComponentSizes[c]);
        }
        return scaling;
    }
}
