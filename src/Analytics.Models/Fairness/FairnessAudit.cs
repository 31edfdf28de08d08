using Analytics.Models.Epidemiology;
using Analytics.Models.Spatial;

namespace Analytics.Models.Fairness;

/// <summary>
/// The territorial fairness audit (DESIGN §6): per group of territories — deprivation quintile, density
/// class, overseas or mainland, their intersections and any configured dimension — error, bias, calibration,
/// under-prediction and the priority list's selection rate, true and false positive rates and precision, each
/// as a ratio to a reference group with a stratified bootstrap interval, and a verdict against the policy's
/// tolerance.
/// </summary>
/// <remarks>
/// <para><b>Bootstrap.</b> Stratified by group: for each of <see cref="FairnessPolicy.BootstrapResamples"/>
/// resamples, each group's territories are drawn with replacement, as many as it has, and its sums added up
/// (<see cref="GroupSums"/>); a ratio's resample divides the group's resampled value by the reference group's.
/// Intervals are percentile intervals (Efron &amp; Tibshirani 1993, §13.3; quantiles interpolated as R's type 7).
/// Each group draws from its own named stream of <see cref="Randomness.SeededRandom"/>, so a report is
/// identical for a seed whatever the thread scheduling, and adding a group does not move the others.
/// Cost: O(resamples × Σ group sizes) additions — each territory once per dimension.</para>
/// <para><b>Verdict</b> of a ratio interval [lo, hi] against the tolerance [a, b]: pass when a ≤ lo and hi ≤ b,
/// fail when hi &lt; a or lo &gt; b, warn otherwise; insufficient evidence first when the group or its reference
/// falls below a minimum of the policy (<see cref="EvidenceShortfall"/>). The interval measures sampling noise
/// only: it cannot see a bias shared by every group, such as one in the recorded counts themselves.</para>
/// </remarks>
public static class FairnessAudit
{
    /// <summary>Audits <paramref name="territories"/> under <paramref name="policy"/>.</summary>
    /// <param name="territories">One entry per territory; codes unique.</param>
    /// <param name="policy">Tolerance, minimums, bootstrap, references, intersections.</param>
    /// <param name="neighbours">
    /// Spatial weights over the same territories in the same order; when given, the report carries Moran's I of the
    /// Pearson residuals (999 permutations, seeded with <see cref="FairnessPolicy.Seed"/>).
    /// </param>
    /// <exception cref="ArgumentException">An invalid territory (named by its code), policy value or reference group.</exception>
    public static FairnessReport Run(IReadOnlyList<TerritoryOutcome> territories, FairnessPolicy policy, SpatialWeights? neighbours = null)
    {
        policy.Validate();
        Validate(territories);
        if (neighbours is not null && neighbours.Count != territories.Count)
            throw new ArgumentException($"the neighbours cover {neighbours.Count} areas but {territories.Count} territories are audited", nameof(neighbours));

        var rows = territories.Select(t => new Row(t)).ToArray();
        var partitions = Partition(territories, policy);
        var groups = partitions.SelectMany(p => p.Members).ToArray();
        var names = partitions.SelectMany(p => p.Labels.Select(l => $"{p.Dimension}\u001f{l}")).ToArray();
        var resamples = new GroupSums[groups.Length][];
        Parallel.For(0, groups.Length, g =>
            resamples[g] = Resample(rows, groups[g], policy.BootstrapResamples, Randomness.SeededRandom.Derive(policy.Seed, names[g])));

        var dimensions = new List<DimensionResult>();
        var offset = 0;
        foreach (var partition in partitions)
        {
            var sums = partition.Members.Select(m => Sum(rows, m)).ToArray();
            var reference = ReferenceIndex(partition, policy);
            var results = new List<GroupResult>();
            for (var g = 0; g < partition.Labels.Length; g++)
            {
                var metrics = Enum.GetValues<FairnessMetric>()
                    .Select(m => Evaluate(m, sums[g], resamples[offset + g], sums[reference], resamples[offset + reference], g == reference, policy))
                    .ToArray();
                results.Add(new GroupResult(partition.Labels[g], g == reference, sums[g], metrics, Verdicts.Combine(metrics.Select(m => m.Verdict))));
            }
            dimensions.Add(new DimensionResult(partition.Dimension, partition.Labels[reference], results));
            offset += partition.Labels.Length;
        }

        var moran = neighbours is null
            ? null
            : MoranI.Global(territories.Select(t => t.PearsonResidual).ToArray(), neighbours, permutations: 999, seed: policy.Seed);
        return new FairnessReport(
            policy,
            territories.Count,
            territories.Sum(t => t.Observed),
            territories.Sum(t => t.Predicted),
            dimensions,
            Verdicts.Combine(dimensions.SelectMany(d => d.Groups).Select(g => g.Overall)),
            moran);
    }

    /// <summary>
    /// The labels of each territory in <paramref name="dimension"/> — a raw dimension or one of the policy's
    /// intersections — or null where it has none.
    /// </summary>
    internal static string?[] LabelsIn(IReadOnlyList<TerritoryOutcome> territories, string dimension, FairnessPolicy policy)
    {
        var intersection = policy.Intersections.FirstOrDefault(i => i.Dimension == dimension);
        return territories
            .Select(t => intersection is null ? t.Groups.GetValueOrDefault(dimension) : intersection.LabelOf(t.Groups))
            .ToArray();
    }

    private static MetricResult Evaluate(
        FairnessMetric metric, GroupSums group, GroupSums[] groupResamples, GroupSums reference, GroupSums[] referenceResamples,
        bool isReference, FairnessPolicy policy)
    {
        var value = group.Value(metric);
        var valueInterval = Percentiles(groupResamples.Select(s => s.Value(metric)).OfType<double>().ToList(), policy.ConfidenceLevel);
        var referenceValue = reference.Value(metric);
        var shortfall = Shortfall(group, metric, policy);
        var judged = policy.JudgedMetrics.Contains(metric);
        if (isReference)
        {
            var own = group.Compared(metric) > 0 ? 1.0 : (double?)null;
            return new MetricResult(metric, value, valueInterval, referenceValue, own, null, Verdict.NotJudged, shortfall);
        }

        if (shortfall == EvidenceShortfall.None && Shortfall(reference, metric, policy) != EvidenceShortfall.None)
            shortfall = EvidenceShortfall.ReferenceInsufficient;
        var ratio = Ratio(group, reference, metric);
        if (shortfall == EvidenceShortfall.None && ratio is null)
            shortfall = EvidenceShortfall.RatioUndefined;

        var ratios = new List<double>(groupResamples.Length);
        for (var r = 0; r < groupResamples.Length; r++)
            if (Ratio(groupResamples[r], referenceResamples[r], metric) is { } x)
                ratios.Add(x);
        if (shortfall == EvidenceShortfall.None && ratios.Count < policy.ConfidenceLevel * groupResamples.Length)
            shortfall = EvidenceShortfall.UnstableResamples;
        var ratioInterval = ratio is null ? null : Percentiles(ratios, policy.ConfidenceLevel);

        var verdict = !judged ? Verdict.NotJudged
            : shortfall != EvidenceShortfall.None || ratioInterval is null ? Verdict.InsufficientEvidence
            : Judge(ratioInterval.Value, policy);
        return new MetricResult(metric, value, valueInterval, referenceValue, ratio, ratioInterval, verdict, shortfall);
    }

    private static Verdict Judge(ConfidenceInterval interval, FairnessPolicy policy)
    {
        if (interval.Lower >= policy.LowerTolerance && interval.Upper <= policy.UpperTolerance)
            return Verdict.Pass;
        if (interval.Upper < policy.LowerTolerance || interval.Lower > policy.UpperTolerance)
            return Verdict.Fail;
        return Verdict.Warn;
    }

    private static EvidenceShortfall Shortfall(GroupSums sums, FairnessMetric metric, FairnessPolicy policy)
    {
        if (sums.Territories < policy.MinimumTerritories)
            return EvidenceShortfall.TooFewTerritories;
        if (GroupSums.IsRateMetric(metric) && sums.Observed < policy.MinimumObservedCases)
            return EvidenceShortfall.TooFewObservedCases;
        if (sums.Denominator(metric) is { } d && d < policy.MinimumDenominator)
            return EvidenceShortfall.TooFewInDenominator;
        return EvidenceShortfall.None;
    }

    private static double? Ratio(GroupSums group, GroupSums reference, FairnessMetric metric) =>
        group.Compared(metric) is { } g && reference.Compared(metric) is { } r && r > 0 ? g / r : null;

    /// <summary>Percentile interval (type 7 quantiles) of the defined resampled values; null when there is none.</summary>
    private static ConfidenceInterval? Percentiles(List<double> values, double level)
    {
        if (values.Count == 0)
            return null;
        values.Sort();
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(Quantile(values, alpha), Quantile(values, 1 - alpha), level);
    }

    private static double Quantile(List<double> sorted, double p)
    {
        var h = (sorted.Count - 1) * p;
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>
    /// <paramref name="count"/> stratified resamples of one group. Draws use Lemire's multiply-shift with the
    /// rejection threshold computed once per group (what <see cref="Randomness.SeededRandom.NextInt"/> does per
    /// call, at the cost of a 64-bit division each time: the draws are the bootstrap's whole cost).
    /// </summary>
    private static GroupSums[] Resample(Row[] rows, int[] members, int count, Randomness.SeededRandom random)
    {
        var n = members.Length;
        var bound = (ulong)n;
        var threshold = (0UL - bound) % bound;
        var result = new GroupSums[count];
        for (var r = 0; r < count; r++)
        {
            long observed = 0;
            double predicted = 0, absoluteError = 0, exposure = 0;
            int under = 0, selected = 0, actual = 0, truePositives = 0;
            for (var k = 0; k < n; k++)
            {
                ulong low;
                ulong index;
                do
                    index = Math.BigMul(random.NextUInt64(), bound, out low);
                while (low < threshold);
                ref readonly var row = ref rows[members[index]];
                observed += row.Observed;
                predicted += row.Predicted;
                absoluteError += row.AbsoluteError;
                exposure += row.Exposure;
                under += row.UnderPredicted;
                selected += row.Selected;
                actual += row.ActuallyPriority;
                truePositives += row.Selected & row.ActuallyPriority;
            }
            result[r] = new GroupSums(n, observed, predicted, absoluteError, exposure, under, selected, actual, truePositives);
        }
        return result;
    }

    private static GroupSums Sum(Row[] rows, int[] members)
    {
        long observed = 0;
        double predicted = 0, absoluteError = 0, exposure = 0;
        int under = 0, selected = 0, actual = 0, truePositives = 0;
        foreach (var i in members)
        {
            ref readonly var row = ref rows[i];
            observed += row.Observed;
            predicted += row.Predicted;
            absoluteError += row.AbsoluteError;
            exposure += row.Exposure;
            under += row.UnderPredicted;
            selected += row.Selected;
            actual += row.ActuallyPriority;
            truePositives += row.Selected & row.ActuallyPriority;
        }
        return new GroupSums(members.Length, observed, predicted, absoluteError, exposure, under, selected, actual, truePositives);
    }

    private sealed record DimensionPartition(string Dimension, string[] Labels, int[][] Members);

    private static List<DimensionPartition> Partition(IReadOnlyList<TerritoryOutcome> territories, FairnessPolicy policy)
    {
        var raw = territories.SelectMany(t => t.Groups.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var intersection in policy.Intersections)
            if (raw.Contains(intersection.Dimension))
                throw new ArgumentException($"the intersection '{intersection.Dimension}' has the name of a dimension territories already carry");
        var result = new List<DimensionPartition>();
        foreach (var dimension in raw.Concat(policy.Intersections.Select(i => i.Dimension).Distinct()))
        {
            var labels = LabelsIn(territories, dimension, policy);
            var byLabel = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < labels.Length; i++)
                if (labels[i] is { } label)
                {
                    if (!byLabel.TryGetValue(label, out var members))
                        byLabel[label] = members = [];
                    members.Add(i);
                }
            if (byLabel.Count > 0)
                result.Add(new DimensionPartition(dimension, byLabel.Keys.ToArray(), byLabel.Values.Select(m => m.ToArray()).ToArray()));
        }
        return result;
    }

    private static int ReferenceIndex(DimensionPartition partition, FairnessPolicy policy)
    {
        if (policy.ReferenceGroups.TryGetValue(partition.Dimension, out var configured))
        {
            var index = Array.IndexOf(partition.Labels, configured);
            if (index < 0)
                throw new ArgumentException(
                    $"the reference group '{configured}' of '{partition.Dimension}' has no territory; groups are: {string.Join(", ", partition.Labels)}");
            return index;
        }
        var largest = 0;
        for (var g = 1; g < partition.Members.Length; g++)
            if (partition.Members[g].Length > partition.Members[largest].Length)
                largest = g;
        return largest;
    }

    private static void Validate(IReadOnlyList<TerritoryOutcome> territories)
    {
        if (territories.Count == 0)
            throw new ArgumentException("no territory to audit", nameof(territories));
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in territories)
        {
            if (string.IsNullOrWhiteSpace(t.Code))
                throw new ArgumentException("a territory has no code", nameof(territories));
            if (!codes.Add(t.Code))
                throw new ArgumentException($"territory {t.Code} appears twice", nameof(territories));
            if (t.Observed < 0)
                throw new ArgumentException($"territory {t.Code}: observed cases {t.Observed} is negative", nameof(territories));
            if (!(t.Predicted > 0 && double.IsFinite(t.Predicted)))
                throw new ArgumentException($"territory {t.Code}: predicted cases must be a positive number, not {t.Predicted}", nameof(territories));
            if (!(t.Exposure > 0 && double.IsFinite(t.Exposure)))
                throw new ArgumentException($"territory {t.Code}: exposure must be a positive number, not {t.Exposure}", nameof(territories));
            if (t.PredictionUpper is { } upper && !(upper >= 0 && double.IsFinite(upper)))
                throw new ArgumentException($"territory {t.Code}: the prediction interval's upper bound must be a non-negative number, not {upper}", nameof(territories));
        }
    }

    /// <summary>A territory reduced to what the sums need, flags as 0/1 so that they add without branches.</summary>
    private readonly struct Row(TerritoryOutcome t)
    {
        public readonly long Observed = t.Observed;
        public readonly double Predicted = t.Predicted;
        public readonly double AbsoluteError = Math.Abs(t.Observed - t.Predicted);
        public readonly double Exposure = t.Exposure;
        public readonly int UnderPredicted = t.IsUnderPredicted ? 1 : 0;
        public readonly int Selected = t.Selected ? 1 : 0;
        public readonly int ActuallyPriority = t.ActuallyPriority ? 1 : 0;
    }
}
