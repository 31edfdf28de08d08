namespace Analytics.Models.Secrecy;

/// <summary>
/// Plays the reader who wants a suppressed cell back: given published cells (values, suppression
/// flags, populations) and every linear relation between them — margins of each table, levels of
/// each hierarchy, totals shared between tables, complements — reports each suppressed cell that
/// can be computed exactly, and each one that can be bounded too narrowly, with the equations used.
/// </summary>
/// <remarks>
/// <para><b>Exact disclosure — complete.</b> A suppressed cell is derivable when its unit vector lies
/// in the span of the published equations restricted to the unknown cells. This is decided by
/// Gauss–Jordan elimination in exact rational arithmetic (no tolerance), per group of linked
/// unknowns, keeping the multipliers, so the report shows the combination of equations a reader
/// would use. Any attack by adding and subtracting published figures is found.</para>
/// <para><b>Interval disclosure — sound, not complete.</b> Counts are non-negative and, where the
/// population is published, at most that population (the complement is non-negative). Bounds are
/// propagated equation by equation (<see cref="BoundsPropagation"/>): a reported interval is truly
/// at least that narrow, but a linear program could find narrower intervals than propagation does.
/// A cell is reported when its interval is narrower than the threshold and also narrower than its
/// a-priori range [0, population] — an interval the population alone imposes is not a leak of the
/// tables. Missing cells are unknowns too but are not reported (there is nothing secret to leak).</para>
/// </remarks>
public static class DisclosureAuditor
{
    public static DisclosureReport Audit(IReadOnlyList<DisclosureCell> cells, IReadOnlyList<LinearRelation> relations, SecrecyRule rule)
    {
        foreach (var relation in relations)
            foreach (var term in relation.Terms)
                if (term.Cell < 0 || term.Cell >= cells.Count)
                    throw new ArgumentException($"relation [{relation.Label}] names cell {term.Cell}, but there are {cells.Count} cells");

        var known = cells.Select(c => c.Cases.HasValue).ToArray();
        var values = cells.Select(c => c.Cases.HasValue ? c.Cases.Value : 0).ToArray();
        var result = DisclosureEngine.Run(known, values, cells.Select(c => c.Population).ToArray(), relations);

        var disclosures = result.DeterminedCells
            .Where(d => cells[d.Cell].Cases.State == PublicationState.Suppressed)
            .OrderBy(d => d.Cell)
            .Select(d => ToDisclosure(d, cells[d.Cell].Label, relations))
            .ToList();
        var determined = result.DeterminedCells.Select(d => d.Cell).ToHashSet();
        var narrow = result.Intervals
            .Where(b => cells[b.Cell].Cases.State == PublicationState.Suppressed && !determined.Contains(b.Cell)
                        && IsNarrow(b, cells[b.Cell].Population, rule))
            .OrderBy(b => b.Cell)
            .Select(b => new NarrowInterval(b.Cell, cells[b.Cell].Label, (long)b.Lower, (long)b.Upper,
                new[] { b.LowerReason, b.UpperReason }.Where(r => r >= 0).Distinct().Select(r => relations[r]).ToList()))
            .ToList();
        return new DisclosureReport(disclosures, narrow);
    }

    internal static bool IsNarrow(DisclosureEngine.Bounds bounds, long? population, SecrecyRule rule) =>
        bounds.Upper - bounds.Lower < rule.Threshold
        && (bounds.Lower > 0 || bounds.Upper < (population ?? double.PositiveInfinity));

    internal static Disclosure ToDisclosure(DisclosureEngine.Determined determined, string label, IReadOnlyList<LinearRelation> relations)
    {
        var value = determined.Value.IsInteger ? (long)determined.Value.Numerator : (long)Math.Round(determined.Value.ToDouble());
        var steps = determined.Combination.OrderBy(kv => kv.Key)
            .Select(kv => new AttackStep(relations[kv.Key], kv.Value.ToDouble()))
            .ToList();
        return new Disclosure(determined.Cell, label, value, steps);
    }
}
