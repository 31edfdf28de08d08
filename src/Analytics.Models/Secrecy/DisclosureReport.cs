namespace Analytics.Models.Secrecy;

/// <summary>What a reader of the published tables could learn about suppressed cells.</summary>
/// <param name="Disclosures">Suppressed cells whose exact value follows from the published equations.</param>
/// <param name="NarrowIntervals">
/// Suppressed cells not pinned down, but bounded (given that no count is negative and, when the
/// population is published, none exceeds it) to an interval narrower than the secrecy threshold
/// and narrower than what the cell's own population already says.
/// </param>
public sealed record DisclosureReport(IReadOnlyList<Disclosure> Disclosures, IReadOnlyList<NarrowInterval> NarrowIntervals)
{
    public bool IsClean => Disclosures.Count == 0 && NarrowIntervals.Count == 0;

    public override string ToString() =>
        IsClean
            ? "nothing derivable"
            : string.Join(Environment.NewLine, Disclosures.Select(d => d.ToString()).Concat(NarrowIntervals.Select(n => n.ToString())));
}

/// <summary>One published equation used by an attack, and the multiplier the reader applies to it.</summary>
public sealed record AttackStep(LinearRelation Relation, double Multiplier);

/// <summary>A suppressed cell a reader can compute exactly, and how: Σ multiplier × equation isolates it.</summary>
public sealed record Disclosure(int Cell, string Label, long Value, IReadOnlyList<AttackStep> Steps)
{
    public override string ToString() =>
        $"{Label} = {Value}, from {string.Join("; ", Steps.Select(s => $"{s.Multiplier:+0.###;-0.###} × [{s.Relation.Label}]"))}";
}

/// <summary>A suppressed cell a reader can bound to [Lower, Upper], and the equations that set each bound.</summary>
public sealed record NarrowInterval(int Cell, string Label, long Lower, long Upper, IReadOnlyList<LinearRelation> Relations)
{
    public override string ToString() =>
        $"{Label} ∈ [{Lower}, {Upper}], bounded by {string.Join("; ", Relations.Select(r => $"[{r.Label}]"))}";
}
