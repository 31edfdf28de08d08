using System.Numerics;
using Analytics.Models.Randomness;

namespace Analytics.Models.Spatial;

/// <summary>An area in a scan: its centroid (metres, projected), its observed and expected cases, and its population at risk.</summary>
public sealed record ScanArea(double X, double Y, long Cases, double Expected, double Population);

/// <summary>Options of Kulldorff's Poisson spatial scan.</summary>
/// <param name="MaxPopulationShare">A window may hold at most this share of the total population (SaTScan's default 50%).</param>
/// <param name="MaxAreasPerWindow">A window may hold at most this many areas. Needed for large maps: memory and time grow with n × this.</param>
/// <param name="MaxRadiusMetres">A window's radius may not exceed this.</param>
/// <param name="Replicas">Monte Carlo replicas of the map under the null (999 gives p-values down to 0.001).</param>
/// <param name="Seed">Seed of the replicas: same seed, same p-values.</param>
/// <param name="MaxSecondaryClusters">How many non-overlapping secondary clusters to report at most.</param>
public sealed record ScanOptions(
    double MaxPopulationShare = 0.5,
    int MaxAreasPerWindow = int.MaxValue,
    double MaxRadiusMetres = double.PositiveInfinity,
    int Replicas = 999,
    ulong Seed = 1,
    int MaxSecondaryClusters = 10);

/// <summary>A circular window reported as a cluster.</summary>
/// <param name="Centre">The area whose centroid is the circle's centre.</param>
/// <param name="RadiusMetres">Distance from the centre to the farthest centroid inside.</param>
/// <param name="Areas">The areas inside, nearest first.</param>
/// <param name="Cases">Observed cases inside.</param>
/// <param name="Expected">Expected cases inside, after scaling all expected counts so that they sum to the observed total.</param>
/// <param name="RelativeRisk">(c/E) / ((C − c)/(C − E)): the risk inside relative to the risk outside.</param>
/// <param name="LogLikelihoodRatio">c ln(c/E) + (C − c) ln((C − c)/(C − E)).</param>
/// <param name="PValue">(1 + replicas whose largest log-likelihood ratio is ≥ this one's) / (R + 1).</param>
public sealed record ScanCluster(
    int Centre,
    double RadiusMetres,
    IReadOnlyList<int> Areas,
    long Cases,
    double Expected,
    double RelativeRisk,
    double LogLikelihoodRatio,
    double PValue)
{
    public double ObservedOverExpected => Cases / Expected;
}

/// <summary>The outcome of a scan: the most likely cluster (null when no window has more cases than expected) and the secondary clusters, none overlapping another.</summary>
public sealed record ScanResult(ScanCluster? MostLikely, IReadOnlyList<ScanCluster> Secondary, long TotalCases, long WindowCount, int Replicas);

/// <summary>
/// Kulldorff's spatial scan statistic for Poisson counts (Kulldorff 1997, Commun Stat Theory Methods
/// 26:1481–1496; Kulldorff &amp; Nagarwalla 1995), searching for areas of high rates.
/// </summary>
/// <remarks>
/// <para><b>Windows.</b> Circles centred on each area's centroid grow by adding the next nearest
/// centroids; areas at exactly the same distance enter together, since a circle cannot hold one
/// without the other. A window stops growing at the first of: <see cref="ScanOptions.MaxPopulationShare"/>,
/// <see cref="ScanOptions.MaxAreasPerWindow"/>, <see cref="ScanOptions.MaxRadiusMetres"/>. A centre whose own population exceeds the
/// population cap has no window.</para>
/// <para><b>Inference.</b> Conditioned on the total C, replicas distribute C cases over the areas in
/// proportion to their expected counts (multinomial, drawn by Walker's alias method); the p-value of a
/// window ranks its log-likelihood ratio among the replicas' maxima. Secondary clusters are the best
/// windows sharing no area with any better reported cluster, ranked against the same maxima (as
/// SaTScan does; conservative for them).</para>
/// <para><b>Cost.</b> With K the largest window (in areas), finding windows takes O(n·K log n) with
/// a 2-d tree and O(n·K) memory, and each replica O(C + n·K) — the logarithms of the expected counts
/// are computed once per window, so a replica only adds counts and looks up c ln c — for a total of
/// O(R·(C + n·K)), never O(n³). For 35,000 communes set <see cref="ScanOptions.MaxAreasPerWindow"/>
/// (a few hundred) or the run is refused rather than exhausting memory: with K = 100 (3.5 million
/// windows) one replica takes about 11 ms and 999 replicas well under a minute on two shared cores
/// (Release build). Replicas run in parallel, each from its own seeded stream, so the result depends
/// on the seed alone; they go through the windows in blocks of <see cref="System.Numerics.Vector{T}.Count"/>, their
/// counts side by side, so a window's areas and terms are read once per block rather than once per replica.</para>
/// </remarks>
public static class ScanStatistic
{
    /// <summary>Refuse runs whose windows would need more than this many stored area indices (≈ 0.4 GB of indices plus 24 bytes per window for the expected counts and their logarithms).</summary>
    public const long MaxStoredWindowAreas = 100_000_000;

    public static ScanResult Run(IReadOnlyList<ScanArea> areas, ScanOptions? options = null)
    {
        options ??= new ScanOptions();
        var n = areas.Count;
        Validate(areas, options);
        var totalCases = areas.Sum(a => a.Cases);
        if (totalCases == 0)
            return new ScanResult(null, [], 0, 0, options.Replicas);
        if (totalCases > int.MaxValue)
            throw new ArgumentException($"{totalCases:N0} cases: the scan counts cases per area in 32 bits");
        var expectedTotal = areas.Sum(a => a.Expected);
        var scale = totalCases / expectedTotal;
        var expected = areas.Select(a => a.Expected * scale).ToArray();
        var windows = Windows(areas, options);
        var xLogX = new XLogX(totalCases);

        // Observed log-likelihood ratios of every window with more cases than expected.
        var candidates = new List<(double Llr, int Centre, int Size)>();
        var cases = areas.Select(a => a.Cases).ToArray();
        for (var centre = 0; centre < n; centre++)
        {
            long c = 0;
            var e = 0.0;
            var order = windows.Order[centre];
            var size = 0;
            foreach (var end in windows.Ends[centre])
            {
                for (; size < end; size++)
                {
                    c += cases[order[size]];
                    e += expected[order[size]];
                }
                if (c > e)
                    candidates.Add((LogLikelihoodRatio(c, e, totalCases, xLogX), centre, end));
            }
        }
        var windowCount = windows.Ends.Sum(e => (long)e.Length);
        if (candidates.Count == 0)
            return new ScanResult(null, [], totalCases, windowCount, options.Replicas);

        var maxima = ReplicaMaxima(expected, totalCases, windows, xLogX, options);
        candidates.Sort((a, b) => a.Llr != b.Llr ? b.Llr.CompareTo(a.Llr) : a.Centre != b.Centre ? a.Centre.CompareTo(b.Centre) : a.Size.CompareTo(b.Size));

        var clusters = new List<ScanCluster>();
        var covered = new bool[n];
        foreach (var (llr, centre, size) in candidates)
        {
            var inside = windows.Order[centre].AsSpan(0, size);
            var overlaps = false;
            foreach (var a in inside)
                overlaps |= covered[a];
            if (overlaps)
                continue;
            foreach (var a in inside)
                covered[a] = true;
            clusters.Add(Describe(areas, expected, totalCases, centre, inside.ToArray(), llr, maxima));
            if (clusters.Count > options.MaxSecondaryClusters)
                break;
        }
        return new ScanResult(clusters[0], clusters.Skip(1).ToArray(), totalCases, windowCount, options.Replicas);
    }

    /// <summary>The Poisson log-likelihood ratio of a window with <paramref name="cases"/> observed and <paramref name="expected"/> expected out of <paramref name="totalCases"/>; 0 unless cases exceed expected.</summary>
    public static double LogLikelihoodRatio(long cases, double expected, long totalCases) =>
        cases > expected ? LogLikelihoodRatio(cases, expected, totalCases, new XLogX(0)) : 0;

    private static double LogLikelihoodRatio(long c, double e, long total, XLogX xLogX)
    {
        var rest = total - c;
        var llr = xLogX[c] - c * Math.Log(e);
        if (rest > 0)
            llr += xLogX[rest] - rest * Math.Log(total - e);
        return llr;
    }

    private static ScanCluster Describe(IReadOnlyList<ScanArea> areas, double[] expected, long totalCases, int centre, int[] inside, double llr, double[] maxima)
    {
        long c = 0;
        double e = 0, radius2 = 0;
        foreach (var a in inside)
        {
            c += areas[a].Cases;
            e += expected[a];
            var dx = areas[a].X - areas[centre].X;
            var dy = areas[a].Y - areas[centre].Y;
            radius2 = Math.Max(radius2, dx * dx + dy * dy);
        }
        var outside = (totalCases - c) / (totalCases - e);
        var relativeRisk = outside > 0 ? c / e / outside : double.PositiveInfinity;
        var exceeded = maxima.Count(m => m >= llr);
        return new ScanCluster(centre, Math.Sqrt(radius2), inside, c, e, relativeRisk, llr, (exceeded + 1.0) / (maxima.Length + 1));
    }

    private static double[] ReplicaMaxima(double[] expected, long totalCases, WindowSet windows, XLogX xLogX, ScanOptions options)
    {
        var n = expected.Length;
        var terms = WindowTerms.For(windows, expected, totalCases);
        var alias = new AliasTable(expected);
        var maxima = new double[options.Replicas];
        // Replicas go through the windows a block at a time, their counts side by side (area-major): each window's areas
        // and terms are read once per block instead of once per replica, and one vector addition counts a window's area
        // in every replica of the block. Each replica's maximum is the same as alone, to the last bit.
        var block = Vector<int>.Count;
        Parallel.For(0, (options.Replicas + block - 1) / block, () => new int[n * block], (b, _, counts) =>
        {
            Array.Clear(counts);
            var first = b * block;
            var replicas = Math.Min(block, options.Replicas - first);
            for (var r = 0; r < replicas; r++)
            {
                var random = SeededRandom.Derive(options.Seed, $"scan replica {first + r}");
                for (long k = 0; k < totalCases; k++)
                    counts[alias.Draw(random) * block + r]++;
            }
            Span<double> best = stackalloc double[block];
            best.Clear();
            Span<int> c = stackalloc int[block];
            for (var centre = 0; centre < n; centre++)
            {
                var order = windows.Order[centre];
                var ends = windows.Ends[centre];
                var windowExpected = terms.Expected[centre];
                var sum = Vector<int>.Zero;
                var size = 0;
                for (var w = 0; w < ends.Length; w++)
                {
                    for (; size < ends[w]; size++)
                        sum += new Vector<int>(counts, order[size] * block);
                    sum.CopyTo(c);
                    var e = windowExpected[w];
                    for (var r = 0; r < replicas; r++)
                        if (c[r] > e)
                        {
                            // The expected-count logarithms are fixed across replicas: only table look-ups here.
                            long cases = c[r];
                            var rest = totalCases - cases;
                            var llr = xLogX[cases] - cases * terms.LogExpected[centre][w] + xLogX[rest] - rest * terms.LogRest[centre][w];
                            if (llr > best[r])
                                best[r] = llr;
                        }
                }
            }
            for (var r = 0; r < replicas; r++)
                maxima[first + r] = best[r];
            return counts;
        }, _ => { });
        return maxima;
    }

    /// <summary>Per window, aligned with <see cref="WindowSet.Ends"/>: E, ln E and ln(C − E), which no replica changes.</summary>
    private sealed record WindowTerms(double[][] Expected, double[][] LogExpected, double[][] LogRest)
    {
        public static WindowTerms For(WindowSet windows, double[] expected, long totalCases)
        {
            var n = expected.Length;
            var e = new double[n][];
            var logE = new double[n][];
            var logRest = new double[n][];
            for (var centre = 0; centre < n; centre++)
            {
                var ends = windows.Ends[centre];
                e[centre] = new double[ends.Length];
                logE[centre] = new double[ends.Length];
                logRest[centre] = new double[ends.Length];
                var sum = 0.0;
                var size = 0;
                for (var w = 0; w < ends.Length; w++)
                {
                    for (; size < ends[w]; size++)
                        sum += expected[windows.Order[centre][size]];
                    e[centre][w] = sum;
                    logE[centre][w] = Math.Log(sum);
                    logRest[centre][w] = totalCases > sum ? Math.Log(totalCases - sum) : 0; // unused when E ≥ C: no c exceeds E then
                }
            }
            return new WindowTerms(e, logE, logRest);
        }
    }

    /// <summary>For each centre, the areas in order of distance and the sizes at which a window is complete.</summary>
    private sealed record WindowSet(int[][] Order, int[][] Ends);

    private static WindowSet Windows(IReadOnlyList<ScanArea> areas, ScanOptions options)
    {
        var n = areas.Count;
        var x = areas.Select(a => a.X).ToArray();
        var y = areas.Select(a => a.Y).ToArray();
        var population = areas.Select(a => a.Population).ToArray();
        var cap = options.MaxPopulationShare * population.Sum();
        var k = Math.Min(n, options.MaxAreasPerWindow);
        if ((long)n * k > MaxStoredWindowAreas)
            throw new ArgumentException(
                $"{n} areas with windows of up to {k} areas would need {(long)n * k:N0} stored indices: set ScanOptions.MaxAreasPerWindow so that areas × it stays below {MaxStoredWindowAreas:N0}");
        var index = new PointIndex(x, y);
        var maxRadius2 = options.MaxRadiusMetres * options.MaxRadiusMetres;
        var order = new int[n][];
        var ends = new int[n][];
        Parallel.For(0, n, centre =>
        {
            // One more than K so that a tie group cut at the K-th area is seen to be incomplete.
            var nearest = index.Nearest(x[centre], y[centre], k < n ? k + 1 : n);
            var windowEnds = new List<int>();
            var cumulative = 0.0;
            var start = 0;
            while (start < nearest.Length)
            {
                var stop = start + 1;
                while (stop < nearest.Length && nearest[stop].Distance2 == nearest[start].Distance2)
                    stop++;
                if (stop > k || nearest[start].Distance2 > maxRadius2)
                    break;
                var groupPopulation = 0.0;
                for (var t = start; t < stop; t++)
                    groupPopulation += population[nearest[t].Index];
                if (cumulative + groupPopulation > cap)
                    break;
                cumulative += groupPopulation;
                windowEnds.Add(stop);
                start = stop;
            }
            var length = windowEnds.Count == 0 ? 0 : windowEnds[^1];
            order[centre] = nearest.Take(length).Select(p => p.Index).ToArray();
            ends[centre] = windowEnds.ToArray();
        });
        return new WindowSet(order, ends);
    }

    private static void Validate(IReadOnlyList<ScanArea> areas, ScanOptions options)
    {
        if (areas.Count < 2)
            throw new ArgumentException("a scan needs at least two areas");
        if (!(options.MaxPopulationShare > 0 && options.MaxPopulationShare <= 0.5))
            throw new ArgumentException($"MaxPopulationShare is {options.MaxPopulationShare}: it must be in (0, 0.5], a window holding more than half the population is no longer a cluster");
        if (options.MaxAreasPerWindow < 1 || !(options.MaxRadiusMetres > 0) || options.Replicas < 1 || options.MaxSecondaryClusters < 0)
            throw new ArgumentException("MaxAreasPerWindow, MaxRadiusMetres and Replicas must be positive, MaxSecondaryClusters non-negative");
        for (var i = 0; i < areas.Count; i++)
        {
            var a = areas[i];
            if (!double.IsFinite(a.X) || !double.IsFinite(a.Y))
                throw new ArgumentException($"area {i} has no finite centroid");
            if (a.Cases < 0 || !(a.Expected > 0) || !(a.Population >= 0))
                throw new ArgumentException($"area {i}: cases must be non-negative, expected positive and population non-negative");
        }
    }

    /// <summary>x ln x for whole x (0 at 0), tabulated up to the total count when that is small enough.</summary>
    private sealed class XLogX
    {
        private const long MaxTabulated = 1 << 24;
        private readonly double[] _table;

        public XLogX(long total)
        {
            _table = new double[total <= MaxTabulated ? total + 1 : 0];
            for (var x = 1; x < _table.Length; x++)
                _table[x] = x * Math.Log(x);
        }

        public double this[long x] => x < _table.Length ? _table[x] : x == 0 ? 0 : x * Math.Log(x);
    }

    /// <summary>Walker's alias method (Vose's construction): O(1) draws from a fixed discrete distribution.</summary>
    private sealed class AliasTable
    {
        private readonly double[] _probability;
        private readonly int[] _alias;

        public AliasTable(double[] weights)
        {
            var n = weights.Length;
            var total = weights.Sum();
            var scaled = weights.Select(w => w * n / total).ToArray();
            _probability = new double[n];
            _alias = new int[n];
            var small = new Stack<int>();
            var large = new Stack<int>();
            for (var i = n - 1; i >= 0; i--)
                (scaled[i] < 1 ? small : large).Push(i);
            while (small.Count > 0 && large.Count > 0)
            {
                var s = small.Pop();
                var l = large.Pop();
                _probability[s] = scaled[s];
                _alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                (scaled[l] < 1 ? small : large).Push(l);
            }
            // What is left is 1 up to rounding.
            while (large.Count > 0)
                _probability[large.Pop()] = 1;
            while (small.Count > 0)
                _probability[small.Pop()] = 1;
        }

        public int Draw(SeededRandom random)
        {
            var i = random.NextInt(_probability.Length);
            return random.NextDouble() < _probability[i] ? i : _alias[i];
        }
    }
}
