using Analytics.Models.Randomness;

namespace Analytics.Jobs.Demo;

/// <summary>Spatially autocorrelated values over communes, and the ranks taken on them.</summary>
internal static class CommuneFields
{
    /// <summary>
    /// A smooth Gaussian field: independent normals averaged with their neighbours
    /// <paramref name="rounds"/> times (each round, half own value, half the neighbours' mean),
    /// then standardised to mean 0, sd 1. More rounds give longer-range correlation.
    /// </summary>
    public static double[] Smooth(IReadOnlyList<DemoCommune> communes, SeededRandom random, int rounds)
    {
        var value = communes.Select(_ => random.NextGaussian()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            var next = new double[value.Length];
            for (var i = 0; i < value.Length; i++)
            {
                var neighbours = communes[i].Neighbours;
                next[i] = neighbours.Length == 0 ? value[i] : 0.5 * value[i] + 0.5 * neighbours.Average(n => value[n]);
            }
            value = next;
        }
        return Standardise(value);
    }

    public static double[] Standardise(double[] value)
    {
        var mean = value.Average();
        var sd = Math.Sqrt(value.Sum(v => (v - mean) * (v - mean)) / value.Length);
        return [.. value.Select(v => (v - mean) / sd)];
    }

    /// <summary>Class 1..k by cut-offs at the given cumulative shares (ties broken by position).</summary>
    public static int[] Classes(double[] value, IReadOnlyList<double> cumulativeShares)
    {
        var order = Enumerable.Range(0, value.Length).OrderBy(i => value[i]).ThenBy(i => i).ToArray();
        var classes = new int[value.Length];
        for (var rank = 0; rank < order.Length; rank++)
        {
            var share = (rank + 0.5) / order.Length;
            var c = 1;
            while (c <= cumulativeShares.Count && share > cumulativeShares[c - 1])
                c++;
            classes[order[rank]] = c;
        }
        return classes;
    }
}
