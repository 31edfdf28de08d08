using Analytics.Models.Secrecy;
using Google.OrTools.LinearSolver;

namespace Analytics.Testing.Secrecy;

/// <summary>
/// The secrecy oracle of the tests: for tables as a reader receives them, the feasibility interval
/// of each withheld cell — its least and greatest value over every table that agrees with what is
/// published — computed by linear programming (Google OR-Tools, GLOP), independently of the engine
/// that chose the suppressions (<c>DisclosureAuditor</c>: exact elimination and bounds propagation).
/// </summary>
/// <remarks>
/// <para>The reader's knowledge, as constraints on the withheld (suppressed or missing) cells: every
/// published value; every published relation Σ coefficient × cell = constant; every count ≥ 0; and a
/// count ≤ its population where the population is given (populations are public: INSEE publishes
/// them). For each withheld cell the oracle minimises and then maximises that cell.</para>
/// <para>Over the reals this interval is exact: a linear program finds the true minimum and maximum
/// of a linear function over the polyhedron, whatever combination of relations a reader would use —
/// which bounds propagation (one equation at a time) does not promise. Counts are whole numbers, so the
/// ends are rounded inwards. A reader using integrality can do no better than that when the
/// relations form a totally unimodular system (a hierarchy, a two-way table with its margins); on
/// tables of three or more dimensions an integer program could occasionally narrow an interval by a
/// little more, so there the oracle is an upper bound on the reader's knowledge, not its exact value.</para>
/// <para>Withheld cells that share no relation cannot inform each other: the cells are split into
/// connected components (a relation whose cells are all published only checks that the figures add
/// up) and each component is one GLOP model, whose objective is changed in place so that each solve
/// starts from the previous basis.</para>
/// </remarks>
public static class FeasibilityIntervals
{
    /// <summary>Tolerance on the solver's optimum before rounding inwards to a whole count.</summary>
    private const double Tolerance = 1e-6;

    /// <param name="cells">The published cells (a value, or withheld) and their populations when public.</param>
    /// <param name="relations">Every relation a reader can use.</param>
    /// <param name="of">The withheld cells whose interval is wanted (all of them when null).</param>
    /// <returns>Per withheld cell asked for, its feasibility interval.</returns>
    /// <exception cref="ArgumentException">The published figures contradict each other (no table agrees with them).</exception>
    public static IReadOnlyDictionary<int, FeasibleInterval> Compute(
        IReadOnlyList<DisclosureCell> cells, IReadOnlyList<LinearRelation> relations, IEnumerable<int>? of = null)
    {
        var withheld = Enumerable.Range(0, cells.Count).Where(c => !cells[c].Cases.HasValue).ToList();
        var wanted = (of ?? withheld).ToHashSet();
        foreach (var c in wanted.Where(c => cells[c].Cases.HasValue))
            throw new ArgumentException($"{cells[c].Label} is published: it has no interval to compute", nameof(of));

        var components = new UnionFind(cells.Count);
        foreach (var relation in relations)
        {
            var unknowns = relation.Terms.Where(t => !cells[t.Cell].Cases.HasValue).Select(t => t.Cell).ToList();
            if (unknowns.Count == 0 && relation.Terms.Sum(t => t.Coefficient * cells[t.Cell].Cases.Value) != relation.Constant)
                throw new ArgumentException($"the published figures do not add up at [{relation.Label}]");
            foreach (var u in unknowns.Skip(1))
                components.Join(unknowns[0], u);
        }
        var relationsOf = relations.Where(r => r.Terms.Any(t => !cells[t.Cell].Cases.HasValue))
            .GroupBy(r => components.Find(r.Terms.First(t => !cells[t.Cell].Cases.HasValue).Cell))
            .ToDictionary(g => g.Key, g => g.ToList());

        var result = new Dictionary<int, FeasibleInterval>();
        foreach (var component in withheld.GroupBy(components.Find).Where(g => g.Any(wanted.Contains)))
            foreach (var (cell, interval) in SolveComponent(cells, component.ToList(), relationsOf.GetValueOrDefault(component.Key) ?? [], wanted))
                result[cell] = interval;
        return result;
    }

    private static IEnumerable<(int Cell, FeasibleInterval Interval)> SolveComponent(
        IReadOnlyList<DisclosureCell> cells, List<int> unknowns, List<LinearRelation> relations, HashSet<int> wanted)
    {
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools has no GLOP solver in this build");
        var variable = unknowns.ToDictionary(c => c, c => solver.MakeNumVar(0, cells[c].Population is { } n ? n : double.PositiveInfinity, $"x{c}"));
        foreach (var relation in relations)
        {
            // Published cells move to the right-hand side.
            var constant = (double)(relation.Constant - relation.Terms.Where(t => cells[t.Cell].Cases.HasValue).Sum(t => t.Coefficient * cells[t.Cell].Cases.Value));
            var constraint = solver.MakeConstraint(constant, constant, relation.Label);
            foreach (var term in relation.Terms.Where(t => !cells[t.Cell].Cases.HasValue))
                constraint.SetCoefficient(variable[term.Cell], constraint.GetCoefficient(variable[term.Cell]) + term.Coefficient);
        }
        var objective = solver.Objective();
        foreach (var cell in unknowns.Where(wanted.Contains))
        {
            objective.Clear();
            objective.SetCoefficient(variable[cell], 1);
            objective.SetMinimization();
            var lower = Optimum(solver, cells[cell].Label, "minimum");
            objective.SetMaximization();
            var upper = Optimum(solver, cells[cell].Label, "maximum");
            // + 0.0 turns a −0 (a minimum of −1e-12 rounded up) into 0.
            yield return (cell, new FeasibleInterval(Math.Ceiling(lower - Tolerance) + 0.0, Math.Floor(upper + Tolerance)));
        }
    }

    private static double Optimum(Solver solver, string label, string which) => solver.Solve() switch
    {
        Solver.ResultStatus.OPTIMAL => solver.Objective().Value(),
        Solver.ResultStatus.UNBOUNDED when which == "maximum" => double.PositiveInfinity,
        Solver.ResultStatus.INFEASIBLE => throw new ArgumentException($"the published figures around {label} contradict each other: no table agrees with them"),
        var status => throw new InvalidOperationException($"GLOP could not find the {which} of {label}: {status}"),
    };

    private sealed class UnionFind(int size)
    {
        private readonly int[] _parent = Enumerable.Range(0, size).ToArray();

        public int Find(int x)
        {
            while (_parent[x] != x)
                x = _parent[x] = _parent[_parent[x]];
            return x;
        }

        public void Join(int a, int b) => _parent[Find(a)] = Find(b);
    }
}

/// <summary>The values a withheld count can take given the published figures: whole numbers from <see cref="Lower"/> to <see cref="Upper"/> (which may be +∞).</summary>
public readonly record struct FeasibleInterval(double Lower, double Upper)
{
    public double Width => Upper - Lower;

    public bool Contains(long value) => Lower <= value && value <= Upper;

    public override string ToString() => $"[{Lower}, {Upper}]";
}
