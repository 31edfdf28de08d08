namespace Analytics.Models.Modelling.Bym2;

/// <summary>
/// The non-zero pattern of a symmetric matrix, in a fill-reducing order, with one value slot per
/// stored entry: callers look the slots up once (<see cref="Slot"/>) and then write values by slot for
/// every factorisation of the same pattern (<see cref="SparseCholesky"/>).
/// </summary>
/// <remarks>
/// <para>Storage: the upper triangle of the permuted matrix, column by column, rows ascending, the
/// diagonal last in its column (what the up-looking Cholesky of Davis 2006, <i>Direct Methods for Sparse
/// Linear Systems</i> §4.7, reads).</para>
/// <para>Order: minimum degree on the elimination graph (Tinney–Walker / George &amp; Liu), ties broken
/// by the lower index so the order is deterministic; the nodes named <c>last</c> (a few dense rows, such
/// as a model's fixed effects, linked to everything) are eliminated last, in the order given, where they
/// cause no fill before the end.</para>
/// </remarks>
public sealed class SparsePattern
{
    private readonly Dictionary<long, int> _slots;

    private SparsePattern(int size, int[] order, int[] position, int[] columnStart, int[] rows, Dictionary<long, int> slots)
    {
        Size = size;
        Order = order;
        Position = position;
        ColumnStart = columnStart;
        Rows = rows;
        _slots = slots;
    }

    public int Size { get; }

    /// <summary>Order[k]: the original index eliminated k-th.</summary>
    internal int[] Order { get; }

    /// <summary>Position[i]: where original index i is eliminated (the inverse of <see cref="Order"/>).</summary>
    internal int[] Position { get; }

    internal int[] ColumnStart { get; }

    internal int[] Rows { get; }

    /// <summary>Number of value slots: stored entries of the upper triangle, diagonal included.</summary>
    public int SlotCount => Rows.Length;

    /// <summary>The value slot of entry (i, j) = (j, i), original indices.</summary>
    /// <exception cref="KeyNotFoundException">The entry is not in the pattern.</exception>
    public int Slot(int i, int j)
    {
        var (a, b) = (Position[i], Position[j]);
        if (a > b)
            (a, b) = (b, a);
        return _slots.TryGetValue(Key(b, a), out var slot)
            ? slot
            : throw new KeyNotFoundException($"entry ({i}, {j}) is not in the pattern");
    }

    // Column × size + row: distinct hash codes for distinct entries (a shifted pair would hash every diagonal entry alike).
    private long Key(int column, int row) => Key(column, row, Size);

    private static long Key(int column, int row, int size) => (long)column * size + row;

    /// <summary>For every slot, its entry (row, column) in original indices.</summary>
    public (int[] Row, int[] Column) Entries()
    {
        var row = new int[SlotCount];
        var column = new int[SlotCount];
        for (var k = 0; k < Size; k++)
            for (var p = ColumnStart[k]; p < ColumnStart[k + 1]; p++)
                (row[p], column[p]) = (Order[Rows[p]], Order[k]);
        return (row, column);
    }

    /// <summary>The pattern of <paramref name="size"/> × <paramref name="size"/> with its diagonal and the given off-diagonal links (either direction, repeats ignored).</summary>
    /// <param name="size">Matrix order.</param>
    /// <param name="links">Off-diagonal non-zeros (i, j), i ≠ j.</param>
    /// <param name="last">Nodes to eliminate last, in this order (dense rows).</param>
    public static SparsePattern Create(int size, IEnumerable<(int I, int J)> links, IReadOnlyList<int> last)
    {
        var neighbours = new HashSet<int>[size];
        for (var i = 0; i < size; i++)
            neighbours[i] = [];
        foreach (var (i, j) in links)
        {
            if (i == j || i < 0 || j < 0 || i >= size || j >= size)
                throw new ArgumentException($"link ({i}, {j}) is not an off-diagonal entry of a {size} × {size} matrix");
            neighbours[i].Add(j);
            neighbours[j].Add(i);
        }

        var order = MinimumDegree(neighbours, last);
        var position = new int[size];
        for (var k = 0; k < size; k++)
            position[order[k]] = k;

        // Upper triangle of the permuted matrix: column k holds rows i ≤ k.
        var columns = new List<int>[size];
        for (var k = 0; k < size; k++)
            columns[k] = [k];
        for (var i = 0; i < size; i++)
            foreach (var j in neighbours[i])
                if (position[i] < position[j])
                    columns[position[j]].Add(position[i]);
        var columnStart = new int[size + 1];
        for (var k = 0; k < size; k++)
            columnStart[k + 1] = columnStart[k] + columns[k].Count;
        var rows = new int[columnStart[size]];
        var slots = new Dictionary<long, int>(rows.Length);
        for (var k = 0; k < size; k++)
        {
            columns[k].Sort();
            columns[k].CopyTo(rows, columnStart[k]);
            for (var p = columnStart[k]; p < columnStart[k + 1]; p++)
                slots[Key(k, rows[p], size)] = p;
        }
        return new SparsePattern(size, order, position, columnStart, rows, slots);
    }

    // Minimum degree on the explicit elimination graph: eliminating v joins all its neighbours. The
    // cost is Σ deg², small for the near-planar graphs of territories; the dense 'last' nodes are left
    // out of the graph so that they neither inflate degrees nor get eliminated early.
    private static int[] MinimumDegree(HashSet<int>[] neighbours, IReadOnlyList<int> last)
    {
        var size = neighbours.Length;
        var isLast = new bool[size];
        foreach (var v in last)
        {
            if (v < 0 || v >= size || isLast[v])
                throw new ArgumentException($"node {v} named last is out of range or named twice");
            isLast[v] = true;
        }
        var graph = new HashSet<int>[size];
        var queue = new PriorityQueue<int, (int Degree, int Node)>();
        for (var v = 0; v < size; v++)
        {
            if (isLast[v])
                continue;
            graph[v] = [.. neighbours[v].Where(u => !isLast[u])];
            queue.Enqueue(v, (graph[v].Count, v));
        }

        var order = new List<int>(size);
        var eliminated = new bool[size];
        while (queue.TryDequeue(out var v, out var key))
        {
            // Entries are not removed when a degree changes: a stale one is skipped here.
            if (eliminated[v] || key.Degree != graph[v].Count)
                continue;
            eliminated[v] = true;
            order.Add(v);
            var around = graph[v].ToArray();
            foreach (var a in around)
                graph[a].Remove(v);
            for (var x = 0; x < around.Length; x++)
                for (var y = x + 1; y < around.Length; y++)
                    if (graph[around[x]].Add(around[y]))
                        graph[around[y]].Add(around[x]);
            foreach (var a in around)
                queue.Enqueue(a, (graph[a].Count, a));
            graph[v] = null!;
        }
        order.AddRange(last);
        return [.. order];
    }
}
