using Analytics.Models.Secrecy;

namespace Analytics.Testing.Secrecy;

/// <summary>
/// Checks published tables with the linear-programming oracle (<see cref="FeasibilityIntervals"/>)
/// against the protection the rule requires (<see cref="ProtectionRequirement"/>), and compares each
/// withheld cell's exact interval with the one the product's <see cref="DisclosureAuditor"/> finds.
/// </summary>
/// <remarks>
/// The auditor reports only intervals narrower than its rule's threshold; asked with a threshold
/// no interval can reach, it reports the interval of every withheld cell it bounds at all, so its
/// whole picture can be compared through its public API. A cell it does not report that way is one
/// it leaves at [0, population] (or unbounded when no population is given).
/// </remarks>
public static class SecrecyOracle
{
    private static readonly SecrecyRule EveryInterval = new(threshold: int.MaxValue);

    /// <param name="published">The cells as the reader receives them.</param>
    /// <param name="relations">Every relation the reader can use.</param>
    /// <param name="truth">True count of each cell (withheld ones included), to tell sensitive cells and check the oracle.</param>
    public static OracleReport Check(IReadOnlyList<DisclosureCell> published, IReadOnlyList<LinearRelation> relations, IReadOnlyList<long> truth, SecrecyRule rule)
    {
        var exact = FeasibilityIntervals.Compute(published, relations);
        var auditor = AuditorIntervals(published, relations);
        var clean = DisclosureAuditor.Audit(published, relations, rule);
        var flagged = clean.Disclosures.Select(d => d.Cell).Concat(clean.NarrowIntervals.Select(n => n.Cell)).ToHashSet();
        var report = new OracleReport(exact.Count);
        foreach (var (cell, lp) in exact.OrderBy(kv => kv.Key))
        {
            var cellLabel = $"{published[cell].Label} (true count {truth[cell]})";
            var propagated = auditor[cell];
            if (!lp.Contains(truth[cell]))
                report.TruthOutside.Add($"{cellLabel}: {lp}");
            if (lp.Lower < propagated.Lower || lp.Upper > propagated.Upper)
                report.AuditorTooNarrow.Add($"{cellLabel}: linear programming {lp}, auditor {propagated}");
            else if (lp != propagated)
                report.NarrowerThanAuditor.Add($"{cellLabel}: linear programming {lp}, auditor {propagated}");
            if (!IsBreach(published[cell], truth[cell], lp, rule))
                continue;
            report.Breaches.Add($"{cellLabel}: {lp}");
            if (!flagged.Contains(cell))
                report.AuditorMisses.Add($"{cellLabel}: linear programming {lp}, auditor {propagated}");
        }
        return report;
    }

    /// <summary>
    /// Only the breaches: the sensitive withheld cells pinned within their protection interval, as
    /// "label (true count v): [L, U]". Solves for the sensitive cells alone, so it suits large
    /// joint systems where <see cref="Check"/> would solve for every withheld cell.
    /// </summary>
    public static IReadOnlyList<string> Breaches(IReadOnlyList<DisclosureCell> published, IReadOnlyList<LinearRelation> relations, IReadOnlyList<long> truth, SecrecyRule rule)
    {
        var sensitive = Enumerable.Range(0, published.Count)
            .Where(c => !published[c].Cases.HasValue && rule.PrimaryStatus(truth[c], published[c].Population).IsSensitive())
            .ToList();
        var intervals = FeasibilityIntervals.Compute(published, relations, sensitive);
        return sensitive.Where(c => IsBreach(published[c], truth[c], intervals[c], rule))
            .Select(c => $"{published[c].Label} (true count {truth[c]}): {intervals[c]}")
            .ToList();
    }

    private static bool IsBreach(DisclosureCell cell, long truth, FeasibleInterval interval, SecrecyRule rule) =>
        rule.PrimaryStatus(truth, cell.Population).IsSensitive() && !ProtectionRequirement.IsMet(interval, cell.Population, rule);

    /// <summary>The interval the auditor gives every withheld cell.</summary>
    private static Dictionary<int, FeasibleInterval> AuditorIntervals(IReadOnlyList<DisclosureCell> published, IReadOnlyList<LinearRelation> relations)
    {
        var audit = DisclosureAuditor.Audit(published, relations, EveryInterval);
        var intervals = Enumerable.Range(0, published.Count).Where(c => !published[c].Cases.HasValue)
            .ToDictionary(c => c, c => new FeasibleInterval(0, published[c].Population ?? double.PositiveInfinity));
        foreach (var n in audit.NarrowIntervals)
            intervals[n.Cell] = new FeasibleInterval(n.Lower, n.Upper);
        foreach (var d in audit.Disclosures)
            intervals[d.Cell] = new FeasibleInterval(d.Value, d.Value);
        return intervals;
    }
}

/// <summary>What the oracle found on one set of published tables; each list holds one line per cell.</summary>
/// <param name="Withheld">Withheld cells whose interval was computed.</param>
public sealed record OracleReport(int Withheld)
{
    /// <summary>Sensitive cells pinned within their protection interval: the publication leaks.</summary>
    public List<string> Breaches { get; } = [];

    /// <summary>Breaches the product's auditor, with the product's rule, does not report.</summary>
    public List<string> AuditorMisses { get; } = [];

    /// <summary>Cells the linear program bounds more tightly than the auditor's propagation (the auditor is not complete): findings, not failures unless they breach.</summary>
    public List<string> NarrowerThanAuditor { get; } = [];

    /// <summary>Cells the auditor bounds more tightly than any table allows: the auditor would be unsound.</summary>
    public List<string> AuditorTooNarrow { get; } = [];

    /// <summary>Cells whose true count lies outside the oracle's interval: the oracle would be wrong.</summary>
    public List<string> TruthOutside { get; } = [];

    public override string ToString() => string.Join(Environment.NewLine,
        new[] { ($"breaches of the protection interval", Breaches), ("of which the auditor does not report", AuditorMisses),
                ("auditor narrower than any table allows", AuditorTooNarrow), ("true count outside the oracle's interval", TruthOutside),
                ("linear programming narrower than the auditor", NarrowerThanAuditor) }
            .Select(p => $"{p.Item1}: {p.Item2.Count} of {Withheld} withheld cells" + string.Concat(p.Item2.Take(20).Select(l => Environment.NewLine + "  " + l))));
}
