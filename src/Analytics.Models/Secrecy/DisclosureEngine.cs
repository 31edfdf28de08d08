namespace Analytics.Models.Secrecy;

/// <summary>
/// The attack, run on a set of cells where some values are known and the rest unknown: exact
/// elimination for values that are determined, bounds propagation for intervals. Shared by
/// <see cref="DisclosureAuditor"/> (on published tables) and <see cref="SecondarySuppression"/> (on a
/// candidate suppression pattern).
/// </summary>
internal static class DisclosureEngine
{
    /// <summary>A determined unknown: value and the combination (relation → multiplier) that isolates it.</summary>
    public sealed record Determined(int Cell, Rational Value, IReadOnlyDictionary<int, Rational> Combination);

    /// <summary>An unknown's bounds and the relations (-1 for none) that set them.</summary>
    public sealed record Bounds(int Cell, double Lower, double Upper, int LowerReason, int UpperReason);

    public sealed record Result(IReadOnlyList<Determined> DeterminedCells, IReadOnlyList<Bounds> Intervals);

    /// <param name="known">Per cell: true when its value is published.</param>
    /// <param name="values">Published values (read only where <paramref name="known"/>).</param>
    /// <param name="upper">A-priori upper bound per cell (its published population), or null.</param>
    /// <param name="relations">The published equations between cells.</param>
    public static Result Run(
        IReadOnlyList<bool> known,
        IReadOnlyList<long> values,
        IReadOnlyList<long?> upper,
        IReadOnlyList<LinearRelation> relations)
    {
        var unknownIndex = new Dictionary<int, int>();
        var unknownCells = new List<int>();
        for (var c = 0; c < known.Count; c++)
            if (!known[c])
            {
                unknownIndex[c] = unknownCells.Count;
                unknownCells.Add(c);
            }

        // Each relation with at least one unknown, the knowns moved to the right-hand side.
        var equations = new List<BoundsPropagation.Equation>();
        foreach (var (relation, r) in relations.Select((rel, i) => (rel, i)))
        {
            var constant = relation.Constant;
            var cols = new List<int>();
            var coefs = new List<long>();
            foreach (var term in relation.Terms)
            {
                if (known[term.Cell])
                    constant -= term.Coefficient * values[term.Cell];
                else
                {
                    cols.Add(unknownIndex[term.Cell]);
                    coefs.Add(term.Coefficient);
                }
            }
            if (cols.Count > 0)
                equations.Add(new BoundsPropagation.Equation(r, cols.ToArray(), coefs.ToArray(), constant));
        }

        var determined = new List<Determined>();
        foreach (var component in Components(unknownCells.Count, equations))
        {
            var elimination = new ExactElimination();
            foreach (var e in component)
                if (!elimination.Add(e.Origin, e.Unknowns.Zip(e.Coefficients, (u, a) => new KeyValuePair<int, long>(u, a)), e.Constant))
                    throw new ArgumentException(
                        $"the published figures contradict each other at [{relations[e.Origin].Label}]: they do not add up");
            foreach (var (unknown, value, combination) in elimination.Determined())
                determined.Add(new Determined(unknownCells[unknown], value, combination));
        }

        var lower = new double[unknownCells.Count];
        var upperBounds = unknownCells.Select(c => upper[c] is { } n ? (double)n : double.PositiveInfinity).ToArray();
        var propagated = BoundsPropagation.Run(equations, lower, upperBounds);
        var intervals = unknownCells.Select((c, u) => new Bounds(
            c, propagated.Lower[u], propagated.Upper[u], propagated.LowerReason[u], propagated.UpperReason[u])).ToList();
        return new Result(determined, intervals);
    }

    /// <summary>Groups equations whose unknowns are linked (union–find): each group is solved on its own.</summary>
    private static IEnumerable<List<BoundsPropagation.Equation>> Components(int unknownCount, List<BoundsPropagation.Equation> equations)
    {
        var parent = Enumerable.Range(0, unknownCount).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
            return x;
        }
        foreach (var e in equations)
            for (var k = 1; k < e.Unknowns.Length; k++)
                parent[Find(e.Unknowns[k])] = Find(e.Unknowns[0]);
        return equations.GroupBy(e => Find(e.Unknowns[0])).Select(g => g.ToList());
    }
}
