using Analytics.Models.Randomness;

namespace Analytics.Jobs.Demo;

/// <summary>
/// Splits a set of nodes of a planar adjacency graph into k contiguous groups: a graph Voronoi
/// (multi-source Dijkstra along edges weighted by distance) whose sources are moved a few times to
/// the middle of their group, like Lloyd's algorithm. Groups grown along edges are connected by
/// construction; nodes no edge reaches (islands) join the group of the nearest source.
/// </summary>
internal static class GraphPartition
{
    public static int[] Partition(IReadOnlyList<int> nodes, double[] xs, double[] ys, int[][] neighbours, int k, SeededRandom random)
    {
        var n = nodes.Count;
        if (k >= n)
            return [.. Enumerable.Range(0, n)];
        if (k <= 1)
            return new int[n];

        var position = new Dictionary<int, int>(n);
        for (var i = 0; i < n; i++)
            position[nodes[i]] = i;

        var sources = InitialSources(nodes, xs, ys, k, random);
        var groups = Grow(nodes, xs, ys, neighbours, position, sources);
        for (var round = 0; round < 8; round++)
        {
            var moved = Recentre(nodes, xs, ys, groups, k);
            if (moved.SequenceEqual(sources))
                break;
            sources = moved;
            groups = Grow(nodes, xs, ys, neighbours, position, sources);
        }
        return groups;
    }

    // k-means++ seeding: spread sources out, deterministically for a given random stream.
    private static int[] InitialSources(IReadOnlyList<int> nodes, double[] xs, double[] ys, int k, SeededRandom random)
    {
        var n = nodes.Count;
        var sources = new List<int> { random.NextInt(n) };
        var d2 = new double[n];
        for (var i = 0; i < n; i++)
            d2[i] = Distance2(nodes[i], nodes[sources[0]], xs, ys);
        while (sources.Count < k)
        {
            var total = d2.Sum();
            var target = random.NextDouble() * total;
            var chosen = n - 1;
            for (var i = 0; i < n; i++)
            {
                target -= d2[i];
                if (target < 0)
                {
                    chosen = i;
                    break;
                }
            }
            sources.Add(chosen);
            for (var i = 0; i < n; i++)
                d2[i] = Math.Min(d2[i], Distance2(nodes[i], nodes[chosen], xs, ys));
        }
        return [.. sources];
    }

    private static int[] Grow(IReadOnlyList<int> nodes, double[] xs, double[] ys, int[][] neighbours, Dictionary<int, int> position, int[] sources)
    {
        var n = nodes.Count;
        var group = Enumerable.Repeat(-1, n).ToArray();
        var distance = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var queue = new PriorityQueue<int, (double, int)>();
        for (var g = 0; g < sources.Length; g++)
        {
            distance[sources[g]] = 0;
            group[sources[g]] = g;
            queue.Enqueue(sources[g], (0, sources[g]));
        }
        var done = new bool[n];
        while (queue.TryDequeue(out var i, out var priority))
        {
            if (done[i] || priority.Item1 > distance[i])
                continue;
            done[i] = true;
            foreach (var neighbour in neighbours[nodes[i]])
            {
                if (!position.TryGetValue(neighbour, out var j) || done[j])
                    continue;
                var candidate = distance[i] + Math.Sqrt(Distance2(nodes[i], neighbour, xs, ys));
                if (candidate < distance[j])
                {
                    distance[j] = candidate;
                    group[j] = group[i];
                    // Ties broken by node position so the result never depends on queue internals.
                    queue.Enqueue(j, (candidate, j));
                }
            }
        }
        for (var i = 0; i < n; i++)
        {
            if (group[i] >= 0)
                continue;
            var best = 0;
            for (var g = 1; g < sources.Length; g++)
                if (Distance2(nodes[i], nodes[sources[g]], xs, ys) < Distance2(nodes[i], nodes[sources[best]], xs, ys))
                    best = g;
            group[i] = best;
        }
        return group;
    }

    private static int[] Recentre(IReadOnlyList<int> nodes, double[] xs, double[] ys, int[] groups, int k)
    {
        var sx = new double[k];
        var sy = new double[k];
        var count = new int[k];
        for (var i = 0; i < nodes.Count; i++)
        {
            sx[groups[i]] += xs[nodes[i]];
            sy[groups[i]] += ys[nodes[i]];
            count[groups[i]]++;
        }
        var best = Enumerable.Repeat(-1, k).ToArray();
        var bestDistance = Enumerable.Repeat(double.PositiveInfinity, k).ToArray();
        for (var i = 0; i < nodes.Count; i++)
        {
            var g = groups[i];
            var dx = xs[nodes[i]] - sx[g] / count[g];
            var dy = ys[nodes[i]] - sy[g] / count[g];
            var d = dx * dx + dy * dy;
            if (d < bestDistance[g])
            {
                bestDistance[g] = d;
                best[g] = i;
            }
        }
        return best;
    }

    private static double Distance2(int a, int b, double[] xs, double[] ys)
    {
        var dx = xs[a] - xs[b];
        var dy = ys[a] - ys[b];
        return dx * dx + dy * dy;
    }
}
