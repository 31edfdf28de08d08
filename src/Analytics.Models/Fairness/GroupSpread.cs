namespace Analytics.Models.Fairness;

/// <summary>
/// How far apart a dimension's groups are on one metric, as Fairlearn's <c>MetricFrame.difference()</c> and
/// <c>ratio()</c> say it (<see cref="SpreadMethod"/>): 0 and 1 mean every group alike.
/// </summary>
/// <remarks>
/// A group whose value is undefined (denominator 0) is skipped, as pandas' <c>min()</c> and <c>max()</c> skip NaN in
/// Fairlearn's <c>group_min()</c> and <c>group_max()</c>. Unlike the per-group ratios of the audit, these are point
/// values without an interval or a verdict: Fairlearn's summaries, to be read beside the references.
/// </remarks>
/// <param name="Difference">Largest − smallest (or largest distance to overall); null when no group has a value.</param>
/// <param name="Ratio">
/// Smallest ÷ largest (or smallest ratio to overall, each taken ≤ 1); null when no group has a value, when the divisor
/// is 0 or when a value is negative (a mean bias): a ratio of signed values says nothing.
/// </param>
public readonly record struct GroupSpread(double? Difference, double? Ratio)
{
    /// <summary>The spread of <paramref name="metric"/> over <paramref name="groups"/>, the sums of a dimension's groups.</summary>
    public static GroupSpread Of(IReadOnlyList<GroupSums> groups, FairnessMetric metric, SpreadMethod method)
    {
        var values = groups.Select(g => g.Value(metric)).OfType<double>().ToList();
        if (values.Count == 0)
            return new GroupSpread(null, null);
        var signed = values.Any(v => v < 0);
        if (method == SpreadMethod.BetweenGroups)
        {
            var (min, max) = (values.Min(), values.Max());
            return new GroupSpread(max - min, signed || max == 0 ? null : min / max);
        }
        if (GroupSums.Total(groups).Value(metric) is not { } overall)
            return new GroupSpread(null, null);
        var difference = values.Max(v => Math.Abs(v - overall));
        return new GroupSpread(difference, signed || overall <= 0 ? null : values.Min(v => v > overall ? overall / v : v / overall));
    }

    /// <summary>
    /// The worse of two spreads: the larger difference and the smaller ratio, as Fairlearn's
    /// <c>equalized_odds_difference</c> and <c>equalized_odds_ratio</c> (<c>agg='worst_case'</c>) combine the true and
    /// false positive rates'; null when either side is.
    /// </summary>
    public static GroupSpread Worst(GroupSpread a, GroupSpread b) => new(
        a.Difference is { } da && b.Difference is { } db ? Math.Max(da, db) : null,
        a.Ratio is { } ra && b.Ratio is { } rb ? Math.Min(ra, rb) : null);
}
