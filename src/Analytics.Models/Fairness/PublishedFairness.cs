using Analytics.Models.Secrecy;

namespace Analytics.Models.Fairness;

/// <summary>
/// What analysts and planners may read of a fairness audit: no territory-level data at all, and group sums only
/// where neither they nor anything computed from them can give back a recorded count.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> Every group sum is a sum of recorded counts. A group holding one commune publishes that
/// commune's count; a group left out is the difference between its margin and the groups shown; and a residual per
/// territory with the predicted count from the territory route gives the count back (O = E + r√E). So the view
/// carries no residual, no map and no per-territory figure, and group sums go through the product's one secrecy
/// path (<see cref="SecondarySuppression"/>).</para>
/// <para><b>The system protected.</b> Cells: each territory's recorded count (never published, protected like a
/// primary cell: <see cref="SuppressionCell.Withheld"/>), each group's ΣO and the total. Equations: each group and the
/// total = Σ its territories, and the group-level margins they imply (each dimension's groups add up to the total when
/// they cover every territory, an intersection's cells add up to each of its two margins), which bounds propagation
/// needs to see. Primary: groups below <see cref="FairnessPolicy.MinimumTerritories"/> territories or
/// <see cref="FairnessPolicy.MinimumObservedCases"/> cases, and counts of 1 to threshold − 1. Secondary: whatever
/// the suppression adds until no territory and no withheld group can be computed or bounded more narrowly than the
/// threshold.</para>
/// <para><b>Shown for a withheld group:</b> label, number of territories (membership is public: deprivation
/// quintile, density class, overseas) and verdicts. <b>Not shown:</b> its sums, metric values, intervals and ratios,
/// and, in its dimension, anything relative to a withheld reference group. The mean absolute error's value is never
/// shown: Σ|O − E| adds up over territories like a count, so differencing it would bound a withheld group's count;
/// the metric is not judged by default and its verdict stays.</para>
/// <para>Both reports of a run (as trained and reweighted) share the recorded counts, so one pattern serves both.</para>
/// </remarks>
public sealed class PublishedFairness
{
    private readonly Dictionary<(string Dimension, string Label), (Withholding Why, long Observed)> _groups;
    private readonly Dictionary<string, string> _references;

    private PublishedFairness(Dictionary<(string, string), (Withholding, long)> groups, Dictionary<string, string> references, bool totalWithheld, SuppressionOutcome outcome)
    {
        _groups = groups;
        _references = references;
        TotalWithheld = totalWithheld;
        Outcome = outcome;
    }

    /// <summary>The suppression's result over territories, groups and total (for audits and tests).</summary>
    public SuppressionOutcome Outcome { get; }

    /// <summary>True when even the total of recorded cases is withheld.</summary>
    public bool TotalWithheld { get; }

    /// <summary>Why the group's figures are withheld, or <see cref="Withholding.None"/>.</summary>
    public Withholding Of(string dimension, string label) => _groups[(dimension, label)].Why;

    /// <summary>Decides what of <paramref name="report"/> may be shown.</summary>
    /// <param name="report">The audit of <paramref name="territories"/>.</param>
    /// <param name="territories">The territories audited, as given to <see cref="FairnessAudit.Run"/>.</param>
    /// <param name="rule">The secrecy rule of every published count.</param>
    public static PublishedFairness Protect(FairnessReport report, IReadOnlyList<TerritoryOutcome> territories, SecrecyRule rule)
    {
        var policy = report.Policy;
        var cells = new List<SuppressionCell>();
        var relations = new List<LinearRelation>();
        foreach (var t in territories)
            cells.Add(new SuppressionCell($"territory {t.Code}", t.Observed, Withheld: true));
        var total = cells.Count;
        cells.Add(new SuppressionCell("all territories", report.ObservedCases, LeafCount: territories.Count));
        relations.Add(LinearRelation.Sum("all territories = Σ territories", total, Enumerable.Range(0, territories.Count)));

        var cellOf = new Dictionary<(string, string), int>();
        foreach (var dimension in report.Dimensions)
        {
            var labels = FairnessAudit.LabelsIn(territories, dimension.Dimension, policy);
            foreach (var group in dimension.Groups)
            {
                var sums = group.Sums;
                var small = sums.Territories < policy.MinimumTerritories || sums.Observed < policy.MinimumObservedCases;
                cellOf[(dimension.Dimension, group.Label)] = cells.Count;
                relations.Add(LinearRelation.Sum($"{dimension.Dimension} = {group.Label}: Σ territories", cells.Count,
                    Enumerable.Range(0, territories.Count).Where(i => labels[i] == group.Label)));
                cells.Add(new SuppressionCell($"{dimension.Dimension} = {group.Label}", sums.Observed, LeafCount: sums.Territories, Withheld: small));
            }
            if (dimension.Groups.Sum(g => g.Sums.Territories) == territories.Count)
                relations.Add(LinearRelation.Sum($"all territories = Σ {dimension.Dimension}", total, dimension.Groups.Select(g => cellOf[(dimension.Dimension, g.Label)])));
        }
        foreach (var intersection in policy.Intersections)
            relations.AddRange(Margins(report, intersection, cellOf));

        var outcome = SecondarySuppression.Protect(cells, relations, rule);
        // A pattern the suppression could not close withholds everything: nothing is better than a leak.
        var everything = !outcome.IsProtected;
        var groups = new Dictionary<(string, string), (Withholding, long)>();
        foreach (var dimension in report.Dimensions)
            foreach (var group in dimension.Groups)
            {
                var cell = cellOf[(dimension.Dimension, group.Label)];
                var why = group.Sums.Territories < policy.MinimumTerritories ? Withholding.TooFewTerritories
                    : outcome.Status[cell] is CellStatus.Primary or CellStatus.PrimaryComplement ? Withholding.TooFewCases
                    : outcome.Status[cell] == CellStatus.Secondary || everything ? Withholding.Complementary
                    : Withholding.None;
                groups[(dimension.Dimension, group.Label)] = (why, group.Sums.Observed);
            }
        return new PublishedFairness(groups, report.Dimensions.ToDictionary(d => d.Dimension, d => d.ReferenceGroup), everything || outcome.Status[total].IsSuppressed(), outcome);
    }

    /// <summary>
    /// The analyst-facing view of <paramref name="report"/>: the audited report or the reweighted one of the same
    /// territories (same groups, same recorded counts).
    /// </summary>
    /// <exception cref="ArgumentException">The report's groups or recorded counts differ from the protected one's.</exception>
    public FairnessView View(FairnessReport report)
    {
        var dimensions = new List<DimensionView>();
        foreach (var dimension in report.Dimensions)
        {
            var referenceShown = ReferenceShown(dimension.Dimension);
            var groups = new List<GroupView>();
            foreach (var group in dimension.Groups)
            {
                if (!_groups.TryGetValue((dimension.Dimension, group.Label), out var known) || known.Observed != group.Sums.Observed)
                    throw new ArgumentException($"group {dimension.Dimension} = {group.Label} is not the one protected (other territories or recorded counts)", nameof(report));
                var shown = known.Why == Withholding.None;
                var metrics = group.Metrics.Select(m => Restrict(m, shown, referenceShown)).ToList();
                groups.Add(new GroupView(group.Label, group.IsReference, group.Sums.Territories, known.Why, shown ? group.Sums : null, metrics, group.Overall));
            }
            dimensions.Add(new DimensionView(dimension.Dimension, dimension.ReferenceGroup, groups,
                groups.All(g => g.Withheld == Withholding.None) ? Restrict(dimension.Spreads) : null));
        }
        return new FairnessView(report.Policy, report.Territories,
            TotalWithheld ? null : report.ObservedCases, TotalWithheld ? null : report.PredictedCases,
            dimensions, report.Overall, report.ResidualAutocorrelation, Restricted: true);
    }

    /// <summary>The before / after comparison with the ratios of withheld groups (and of groups whose reference is withheld) removed.</summary>
    public FairnessComparison View(FairnessComparison comparison) => comparison with
    {
        Changes = comparison.Changes.Select(c =>
            c.Metric != FairnessMetric.MeanAbsoluteError && Shown(c.Dimension, c.Group) && ReferenceShown(c.Dimension)
                ? c
                : c with { RatioBefore = null, RatioAfter = null, DisparityChange = null }).ToList(),
    };

    private bool Shown(string dimension, string label) => _groups.TryGetValue((dimension, label), out var g) && g.Why == Withholding.None;

    private bool ReferenceShown(string dimension) => _references.TryGetValue(dimension, out var label) && Shown(dimension, label);

    private static MetricResult Restrict(MetricResult m, bool shown, bool referenceShown)
    {
        if (m.Metric == FairnessMetric.MeanAbsoluteError || !shown)
            return m with { Value = null, ValueInterval = null, ReferenceValue = null, Ratio = null, RatioInterval = null };
        return referenceShown ? m : m with { ReferenceValue = null, Ratio = null, RatioInterval = null };
    }

    /// <summary>The spreads as the published view shows them: without the mean absolute error's, as its values.</summary>
    private static DimensionSpreads Restrict(DimensionSpreads spreads) => new(spreads.Metrics
        .Select(m => m.Metric == FairnessMetric.MeanAbsoluteError ? m with { BetweenGroups = default, ToOverall = default } : m)
        .ToList());

    /// <summary>An intersection's cells add up to each of its margins: cell (a × b) summed over b is group a of the first dimension, and so on.</summary>
    private static IEnumerable<LinearRelation> Margins(FairnessReport report, GroupIntersection intersection, Dictionary<(string, string), int> cellOf)
    {
        var cells = report.Dimensions.SingleOrDefault(d => d.Dimension == intersection.Dimension);
        var first = report.Dimensions.SingleOrDefault(d => d.Dimension == intersection.First);
        var second = report.Dimensions.SingleOrDefault(d => d.Dimension == intersection.Second);
        if (cells is null || first is null || second is null)
            yield break;
        foreach (var (margin, other, labelOf) in new (DimensionResult, DimensionResult, Func<string, string, string>)[]
                 {
                     (first, second, (m, o) => $"{m} × {o}"),
                     (second, first, (m, o) => $"{o} × {m}"),
                 })
            foreach (var group in margin.Groups)
            {
                var parts = other.Groups.Select(o => labelOf(group.Label, o.Label))
                    .Where(l => cellOf.ContainsKey((intersection.Dimension, l)))
                    .Select(l => cells.Groups.Single(g => g.Label == l))
                    .ToList();
                // Only a margin the cells really add up to is an equation (a territory without the other label is in the margin only).
                if (parts.Sum(p => p.Sums.Territories) == group.Sums.Territories)
                    yield return LinearRelation.Sum($"{margin.Dimension} = {group.Label}: Σ {intersection.Dimension}",
                        cellOf[(margin.Dimension, group.Label)], parts.Select(p => cellOf[(intersection.Dimension, p.Label)]));
            }
    }
}
