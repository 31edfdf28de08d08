using Analytics.Models.Epidemiology;
using Analytics.Models.Spatial;

namespace Analytics.Models.Fairness;

/// <summary>
/// The whole audit: every group of every dimension with its metrics, ratios, intervals and verdicts,
/// the policy applied, and the overall verdict. Holds no territory-level data, so it can be stored and
/// published with a release as it is.
/// </summary>
/// <param name="Policy">The policy the verdicts were reached under.</param>
/// <param name="Territories">Territories audited.</param>
/// <param name="ObservedCases">Σ recorded cases over all territories.</param>
/// <param name="PredictedCases">Σ predicted cases over all territories.</param>
/// <param name="Dimensions">One entry per dimension: the raw dimensions in ordinal order, then the intersections in policy order.</param>
/// <param name="Overall">Combination (<see cref="Verdicts.Combine"/>) of every non-reference group's verdict.</param>
/// <param name="ResidualAutocorrelation">
/// Moran's I of the Pearson residuals when neighbours were given: clustered residuals mean the model misses
/// something spatial, which group metrics alone cannot show.
/// </param>
public sealed record FairnessReport(
    FairnessPolicy Policy,
    int Territories,
    long ObservedCases,
    double PredictedCases,
    IReadOnlyList<DimensionResult> Dimensions,
    Verdict Overall,
    MoranResult? ResidualAutocorrelation)
{
    /// <summary>The group's result; throws when the audit has no such group.</summary>
    public GroupResult Group(string dimension, string label) =>
        Dimensions.Single(d => d.Dimension == dimension).Groups.Single(g => g.Label == label);
}

/// <summary>One dimension (e.g. deprivation quintile, or density class × deprivation quintile) and its groups.</summary>
/// <param name="Dimension">Dimension name.</param>
/// <param name="ReferenceGroup">Label of the group every ratio in this dimension is taken against.</param>
/// <param name="Groups">Groups in ordinal order of their labels.</param>
public sealed record DimensionResult(string Dimension, string ReferenceGroup, IReadOnlyList<GroupResult> Groups)
{
    /// <summary>How far apart the groups are on each metric, as Fairlearn summarises it (written in the report's JSON).</summary>
    public DimensionSpreads Spreads => DimensionSpreads.Of(Groups.Select(g => g.Sums).ToList());

    /// <summary>
    /// The group's share of the dimension's selected territories, Aequitas' ppr (predicted positives of the group ÷
    /// predicted positives of all groups); null when nothing is selected. Throws when the dimension has no such group.
    /// </summary>
    public double? ListShare(string label)
    {
        var selected = Groups.Sum(g => g.Sums.Selected);
        return selected > 0 ? (double)Group(label).Sums.Selected / selected : null;
    }

    /// <summary>
    /// <see cref="ListShare"/> of the group ÷ that of the reference group, Aequitas' ppr_disparity: the ratio of their
    /// selected counts; null when the reference has none selected.
    /// </summary>
    public double? ListShareRatio(string label)
    {
        var reference = Group(ReferenceGroup).Sums.Selected;
        return reference > 0 ? (double)Group(label).Sums.Selected / reference : null;
    }

    private GroupResult Group(string label) => Groups.Single(g => g.Label == label);
}

/// <summary>One group's sums, metrics and overall verdict.</summary>
/// <param name="Label">Group label ("5", "rural", "rural × 5").</param>
/// <param name="IsReference">The dimension's reference group: its metrics are the baseline and are <see cref="Verdict.NotJudged"/>.</param>
/// <param name="Sums">The sums the metrics come from.</param>
/// <param name="Metrics">One result per <see cref="FairnessMetric"/>, in declaration order.</param>
/// <param name="Overall">Combination of the group's metric verdicts.</param>
public sealed record GroupResult(string Label, bool IsReference, GroupSums Sums, IReadOnlyList<MetricResult> Metrics, Verdict Overall)
{
    public MetricResult Metric(FairnessMetric metric) => Metrics.Single(m => m.Metric == metric);
}

/// <summary>One metric of one group, compared with the reference group.</summary>
/// <param name="Metric">Which metric.</param>
/// <param name="Value">The group's value (null when its denominator is 0).</param>
/// <param name="ValueInterval">Bootstrap percentile interval of the value.</param>
/// <param name="ReferenceValue">The reference group's value.</param>
/// <param name="Ratio">
/// Group ÷ reference of the compared quantity (<see cref="GroupSums.Compared"/>: the metric itself, mean predicted /
/// mean observed for bias); null when undefined.
/// </param>
/// <param name="RatioInterval">Bootstrap percentile interval of the ratio (null for the reference group or when undefined).</param>
/// <param name="Verdict">Pass / warn / fail against the tolerance, or why it could not be judged.</param>
/// <param name="Shortfall">Why the evidence was insufficient, when it was.</param>
public sealed record MetricResult(
    FairnessMetric Metric,
    double? Value,
    ConfidenceInterval? ValueInterval,
    double? ReferenceValue,
    double? Ratio,
    ConfidenceInterval? RatioInterval,
    Verdict Verdict,
    EvidenceShortfall Shortfall);
