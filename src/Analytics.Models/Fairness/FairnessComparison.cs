namespace Analytics.Models.Fairness;

/// <summary>
/// Two audits side by side — before and after mitigation — per group and metric: the ratios, the verdicts and
/// whether the disparity shrank.
/// </summary>
/// <param name="OverallBefore">Overall verdict of the first report.</param>
/// <param name="OverallAfter">Overall verdict of the second report.</param>
/// <param name="Changes">One row per (dimension, group, metric) found in either report, in the first report's order.</param>
public sealed record FairnessComparison(Verdict OverallBefore, Verdict OverallAfter, IReadOnlyList<MetricChange> Changes)
{
    /// <summary>Pairs every group and metric of <paramref name="before"/> and <paramref name="after"/>; a group in only one report gets nulls on the other side.</summary>
    public static FairnessComparison Between(FairnessReport before, FairnessReport after)
    {
        var afterIndex = new Dictionary<(string, string, FairnessMetric), MetricResult>(Pairs(after));
        var changes = new List<MetricChange>();
        var seen = new HashSet<(string, string, FairnessMetric)>();
        foreach (var (key, result) in Pairs(before))
        {
            seen.Add(key);
            changes.Add(Change(key, result, afterIndex.GetValueOrDefault(key)));
        }
        foreach (var (key, result) in Pairs(after))
            if (!seen.Contains(key))
                changes.Add(Change(key, null, result));
        return new FairnessComparison(before.Overall, after.Overall, changes);
    }

    private static MetricChange Change((string Dimension, string Group, FairnessMetric Metric) key, MetricResult? before, MetricResult? after) =>
        new(key.Dimension, key.Group, key.Metric,
            before?.Ratio, after?.Ratio,
            before?.Verdict, after?.Verdict,
            before?.Ratio is { } b && after?.Ratio is { } a ? Math.Abs(1 - a) - Math.Abs(1 - b) : null);

    private static List<KeyValuePair<(string, string, FairnessMetric), MetricResult>> Pairs(FairnessReport report) =>
        report.Dimensions
            .SelectMany(d => d.Groups.SelectMany(g => g.Metrics.Select(m =>
                new KeyValuePair<(string, string, FairnessMetric), MetricResult>((d.Dimension, g.Label, m.Metric), m))))
            .ToList();
}

/// <summary>One group and metric before and after.</summary>
/// <param name="Dimension">Dimension name.</param>
/// <param name="Group">Group label.</param>
/// <param name="Metric">Which metric.</param>
/// <param name="RatioBefore">Ratio to the reference group in the first report.</param>
/// <param name="RatioAfter">Ratio to the reference group in the second report.</param>
/// <param name="VerdictBefore">Verdict in the first report (null: group absent there).</param>
/// <param name="VerdictAfter">Verdict in the second report (null: group absent there).</param>
/// <param name="DisparityChange">
/// |1 − ratio after| − |1 − ratio before|: negative when the group moved closer to its reference; null when either
/// ratio is undefined.
/// </param>
public sealed record MetricChange(
    string Dimension,
    string Group,
    FairnessMetric Metric,
    double? RatioBefore,
    double? RatioAfter,
    Verdict? VerdictBefore,
    Verdict? VerdictAfter,
    double? DisparityChange);
