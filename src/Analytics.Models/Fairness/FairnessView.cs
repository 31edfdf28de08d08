using Analytics.Models.Spatial;

namespace Analytics.Models.Fairness;

/// <summary>
/// A fairness report as one audience reads it: the same dimensions, groups and verdicts as the
/// <see cref="FairnessReport"/>, with each group's figures shown or withheld. The analyst-facing view
/// (<see cref="PublishedFairness.View(FairnessReport)"/>) withholds the groups too small to report on and their complements;
/// the reviewer's view (<see cref="Unrestricted"/>) withholds nothing. Neither holds territory-level data.
/// </summary>
/// <param name="Policy">The policy the verdicts were reached under.</param>
/// <param name="Territories">Territories audited.</param>
/// <param name="ObservedCases">Σ recorded cases over all territories; null when withheld.</param>
/// <param name="PredictedCases">Σ predicted cases over all territories; null when the recorded total is withheld.</param>
/// <param name="Dimensions">The report's dimensions in its order.</param>
/// <param name="Overall">The report's overall verdict.</param>
/// <param name="ResidualAutocorrelation">Moran's I of the Pearson residuals: one number over all territories.</param>
/// <param name="Restricted">True for the analyst-facing view (territory-level results are for reviewers and auditors only).</param>
public sealed record FairnessView(
    FairnessPolicy Policy,
    int Territories,
    long? ObservedCases,
    double? PredictedCases,
    IReadOnlyList<DimensionView> Dimensions,
    Verdict Overall,
    MoranResult? ResidualAutocorrelation,
    bool Restricted)
{
    /// <summary>The whole report, nothing withheld: for reviewers and auditors.</summary>
    public static FairnessView Unrestricted(FairnessReport report) => new(
        report.Policy, report.Territories, report.ObservedCases, report.PredictedCases,
        report.Dimensions.Select(d => new DimensionView(d.Dimension, d.ReferenceGroup,
            d.Groups.Select(g => new GroupView(g.Label, g.IsReference, g.Sums.Territories, Withholding.None, g.Sums, g.Metrics, g.Overall)).ToList(),
            d.Spreads)).ToList(),
        report.Overall, report.ResidualAutocorrelation, Restricted: false);

    /// <summary>The group; throws when the view has no such group.</summary>
    public GroupView Group(string dimension, string label) =>
        Dimensions.Single(d => d.Dimension == dimension).Groups.Single(g => g.Label == label);
}

/// <summary>One dimension and its groups, as in <see cref="DimensionResult"/>.</summary>
/// <param name="Dimension">Dimension name.</param>
/// <param name="ReferenceGroup">Label of the group every ratio in this dimension is taken against.</param>
/// <param name="Groups">Groups in ordinal order of their labels.</param>
/// <param name="Spreads">
/// How far apart the groups are on each metric (<see cref="DimensionResult.Spreads"/>); null when a group's figures are
/// withheld, since a spread over all groups would give a withheld value away.
/// </param>
public sealed record DimensionView(string Dimension, string ReferenceGroup, IReadOnlyList<GroupView> Groups, DimensionSpreads? Spreads);

/// <summary>One group as the audience reads it.</summary>
/// <param name="Label">Group label.</param>
/// <param name="IsReference">The dimension's reference group.</param>
/// <param name="Territories">Territories in the group (shown even when the rest is withheld: group membership is public).</param>
/// <param name="Withheld">Why the group's figures are withheld, or <see cref="Withholding.None"/>.</param>
/// <param name="Sums">The group's sums; null when withheld.</param>
/// <param name="Metrics">
/// One result per metric; verdicts and shortfalls always, values, ratios and intervals only where the group (and,
/// for what is relative to it, the reference group) is shown.
/// </param>
/// <param name="Overall">The group's overall verdict.</param>
public sealed record GroupView(
    string Label,
    bool IsReference,
    int Territories,
    Withholding Withheld,
    GroupSums? Sums,
    IReadOnlyList<MetricResult> Metrics,
    Verdict Overall)
{
    public MetricResult Metric(FairnessMetric metric) => Metrics.Single(m => m.Metric == metric);
}
