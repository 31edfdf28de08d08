namespace Analytics.Models.Spatial;

/// <summary>
/// A static 2-d tree over planar points, for k-nearest-neighbour queries in O(k log n) on average.
/// Ties in distance are broken by index so that every query is deterministic.
/// </summary>
internal sealed class PointIndex
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly int[] _tree; // point indices; the node of a range is its middle, split on x at even depth, y at odd

    public PointIndex(double[] x, double[] y)
    {
        _x = x;
        _y = y;
        _tree = Enumerable.Range(0, x.Length).ToArray();
        Build(0, _tree.Length, 0);
    }

    /// <summary>The <paramref name="k"/> points nearest to (<paramref name="qx"/>, <paramref name="qy"/>), ordered by (squared distance, index).</summary>
    public (int Index, double Distance2)[] Nearest(double qx, double qy, int k)
    {
        k = Math.Min(k, _tree.Length);
        var heap = new PriorityQueue<int, (double Distance2, int Index)>(k + 1, FarthestFirst);
        Search(0, _tree.Length, 0, qx, qy, k, heap);
        var result = new (int Index, double Distance2)[heap.Count];
        for (var r = result.Length - 1; r >= 0; r--)
        {
            heap.TryDequeue(out var index, out var key);
            result[r] = (index, key.Distance2);
        }
        return result;
    }

    private static readonly Comparer<(double Distance2, int Index)> FarthestFirst =
        Comparer<(double Distance2, int Index)>.Create((a, b) => b.CompareTo(a));

    private void Build(int lo, int hi, int depth)
    {
        if (hi - lo <= 1)
            return;
        var coordinate = depth % 2 == 0 ? _x : _y;
        Array.Sort(_tree, lo, hi - lo, Comparer<int>.Create((a, b) => coordinate[a] != coordinate[b] ? coordinate[a].CompareTo(coordinate[b]) : a.CompareTo(b)));
        var mid = (lo + hi) >>> 1;
        Build(lo, mid, depth + 1);
        Build(mid + 1, hi, depth + 1);
    }

    private void Search(int lo, int hi, int depth, double qx, double qy, int k, PriorityQueue<int, (double Distance2, int Index)> heap)
    {
        if (hi <= lo)
            return;
        var mid = (lo + hi) >>> 1;
        var point = _tree[mid];
        var dx = _x[point] - qx;
        var dy = _y[point] - qy;
        var key = (dx * dx + dy * dy, point);
        if (heap.Count < k)
            heap.Enqueue(point, key);
        else if (heap.TryPeek(out _, out var worst) && key.CompareTo(worst) < 0)
            heap.EnqueueDequeue(point, key);

        var diff = depth % 2 == 0 ? qx - _x[point] : qy - _y[point];
        var (nearLo, nearHi, farLo, farHi) = diff < 0 ? (lo, mid, mid + 1, hi) : (mid + 1, hi, lo, mid);
        Search(nearLo, nearHi, depth + 1, qx, qy, k, heap);
        // Visit the far side while it can still hold a point as near as the current k-th (ties included).
        if (heap.Count < k || (heap.TryPeek(out _, out var kth) && diff * diff <= kth.Distance2))
            Search(farLo, farHi, depth + 1, qx, qy, k, heap);
    }
}
