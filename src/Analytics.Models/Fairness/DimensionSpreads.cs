namespace Analytics.Models.Fairness;

/// <summary>
/// Every metric's spread over one dimension's groups both ways (<see cref="SpreadMethod"/>), with Fairlearn's two
/// named summaries of them: demographic parity and equalised odds.
/// </summary>
/// <param name="Metrics">One entry per <see cref="FairnessMetric"/>, in declaration order.</param>
public sealed record DimensionSpreads(IReadOnlyList<MetricSpread> Metrics)
{
    /// <summary>The spreads of every metric over <paramref name="groups"/>, the sums of a dimension's groups.</summary>
    public static DimensionSpreads Of(IReadOnlyList<GroupSums> groups) => new(Enum.GetValues<FairnessMetric>()
        .Select(m => new MetricSpread(m, GroupSpread.Of(groups, m, SpreadMethod.BetweenGroups), GroupSpread.Of(groups, m, SpreadMethod.ToOverall)))
        .ToList());

    public MetricSpread Metric(FairnessMetric metric) => Metrics.Single(m => m.Metric == metric);

    /// <summary>
    /// Fairlearn's <c>demographic_parity_difference</c> and <c>demographic_parity_ratio</c>: the spread of the selection
    /// rate.
    /// </summary>
    public GroupSpread DemographicParity(SpreadMethod method = SpreadMethod.BetweenGroups) =>
        Metric(FairnessMetric.SelectionRate).By(method);

    /// <summary>
    /// Fairlearn's <c>equalized_odds_difference</c> and <c>equalized_odds_ratio</c>: the worse of the true and false
    /// positive rates' spreads.
    /// </summary>
    public GroupSpread EqualisedOdds(SpreadMethod method = SpreadMethod.BetweenGroups) =>
        GroupSpread.Worst(Metric(FairnessMetric.TruePositiveRate).By(method), Metric(FairnessMetric.FalsePositiveRate).By(method));
}

/// <summary>One metric's spread over a dimension's groups, each way.</summary>
public sealed record MetricSpread(FairnessMetric Metric, GroupSpread BetweenGroups, GroupSpread ToOverall)
{
    public GroupSpread By(SpreadMethod method) => method == SpreadMethod.BetweenGroups ? BetweenGroups : ToOverall;
}
