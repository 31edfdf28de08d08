namespace Analytics.Models.Secrecy;

/// <summary>
/// Primary and secondary (complementary) suppression over one or several linked tables, given as
/// cells and the published equations between them, checked by the disclosure auditor until no
/// primary cell can be computed or narrowly bounded.
/// </summary>
/// <remarks>
/// <para>The heuristic, in order:</para>
/// <list type="number">
/// <item><b>Primary.</b> Cells of 1 to threshold − 1 cases, (when the population is published)
/// cells whose complement population − cases is 1 to threshold − 1, and cells the publisher
/// withholds on its own grounds (<see cref="SuppressionCell.Withheld"/>) are withheld.</item>
/// <item><b>Singletons.</b> Any equation with exactly one withheld cell gives that cell away, so a
/// second cell of the same equation is withheld; repeated until no equation has a lone withheld
/// cell. The partner is chosen by, in order: fewest leaf cells added up (inner cells before
/// totals, small totals before large ones); fewest equations it would turn into new singletons (so partners close
/// existing patterns — a cell already next to withheld cells — rather than open new ones); large
/// enough that the withheld cells of the equation add up to the threshold (smallest such), else
/// the largest; smallest population; position. Cells of zero population are never partners:
/// their published population already says they are zero.</item>
/// <item><b>Audit.</b> A singleton-free pattern can still be undone by combining equations (two
/// 2×2 rectangles joined by one cell, a suppressed total that opens equations at the level
/// below, the same cell in two tables). The <see cref="DisclosureAuditor"/> engine decides exact
/// derivability (rational elimination) and bounds every withheld cell (propagation). For each
/// primary cell still derivable, one more cell is withheld among the published cells with a
/// non-zero multiplier in the equations that derive it; for each primary cell bounded to an
/// interval narrower than the threshold (beyond what its population implies), among the
/// published cells of the equations that set the binding bounds — or, when those are fully
/// withheld, of the nearest equations linked to them. Then singletons again, then a
/// new audit, until the audit is clean or no cell can be added.</item>
/// <item><b>Give back.</b> A secondary cell the audit shows to be determined anyway (exactly, or
/// by an interval of width zero) is published: the reader can compute it, so withholding it
/// protects nothing and costs information.</item>
/// </list>
/// <para>Limits: greedy, so not minimal (more cells are withheld than an optimal pattern would need);
/// interval protection is as strong as bounds propagation (see <see cref="DisclosureAuditor"/>); a
/// primary cell whose own published population is below the threshold cannot be protected by
/// suppressing counts, and is reported in <see cref="SuppressionOutcome.Unresolved"/> when the
/// tables bound it more tightly than its population does.</para>
/// </remarks>
public static class SecondarySuppression
{
    public static SuppressionOutcome Protect(
        IReadOnlyList<SuppressionCell> cells,
        IReadOnlyList<LinearRelation> relations,
        SecrecyRule rule)
    {
        var state = new PatternState(cells, relations, rule);
        state.SingletonPass();
        var rounds = 0;
        DisclosureEngine.Result audit;
        List<Leak> leaks;
        while (true)
        {
            rounds++;
            audit = state.Audit();
            leaks = state.LeaksOnPrimaryCells(audit);
            if (leaks.Count == 0)
                break;
            var added = 0;
            foreach (var leak in leaks)
                if (state.ChoosePartner(leak) is { } partner && !state.Status[partner].IsSuppressed())
                {
                    state.Suppress(partner);
                    added++;
                }
            if (added == 0)
                break;
            state.SingletonPass();
        }
        state.GiveBackDeterminedSecondaries(audit);
        return new SuppressionOutcome(state.Status.ToArray(), state.Report(leaks), rounds);
    }

    private abstract record Leak(int Cell);

    private sealed record DerivableLeak(DisclosureEngine.Determined Determined) : Leak(Determined.Cell);

    private sealed record NarrowLeak(DisclosureEngine.Bounds Bounds) : Leak(Bounds.Cell);

    private sealed class PatternState
    {
        private readonly IReadOnlyList<SuppressionCell> _cells;
        private readonly IReadOnlyList<LinearRelation> _relations;
        private readonly SecrecyRule _rule;
        private readonly List<int>[] _relationsOf;
        private readonly int[] _suppressedIn;

        public PatternState(IReadOnlyList<SuppressionCell> cells, IReadOnlyList<LinearRelation> relations, SecrecyRule rule)
        {
            _cells = cells;
            _relations = relations;
            _rule = rule;
            Status = cells.Select(c => rule.PrimaryStatus(c.Cases, c.Population) is var primary && primary == CellStatus.Published && c.Withheld
                ? CellStatus.Primary
                : primary).ToArray();
            _relationsOf = cells.Select(_ => new List<int>()).ToArray();
            _suppressedIn = new int[relations.Count];
            for (var r = 0; r < relations.Count; r++)
                foreach (var term in relations[r].Terms)
                {
                    _relationsOf[term.Cell].Add(r);
                    if (Status[term.Cell].IsSuppressed())
                        _suppressedIn[r]++;
                }
        }

        public CellStatus[] Status { get; }

        public void Suppress(int cell)
        {
            Status[cell] = CellStatus.Secondary;
            foreach (var r in _relationsOf[cell])
                _suppressedIn[r]++;
        }

        public void SingletonPass()
        {
            var queue = new Queue<int>(Enumerable.Range(0, _relations.Count).Where(r => _suppressedIn[r] == 1));
            while (queue.TryDequeue(out var r))
            {
                if (_suppressedIn[r] != 1)
                    continue;
                var lone = _relations[r].Terms.First(t => Status[t.Cell].IsSuppressed()).Cell;
                var partner = Best(_relations[r].Terms.Select(t => t.Cell), _rule.Threshold - _cells[lone].Cases);
                if (partner is not { } p)
                    continue; // nothing left to withhold here; the audit will report it
                Suppress(p);
                foreach (var next in _relationsOf[p])
                    if (_suppressedIn[next] == 1)
                        queue.Enqueue(next);
            }
        }

        public DisclosureEngine.Result Audit() => DisclosureEngine.Run(
            Status.Select(s => !s.IsSuppressed()).ToArray(),
            _cells.Select(c => c.Cases).ToArray(),
            _cells.Select(c => c.Population).ToArray(),
            _relations);

        public List<Leak> LeaksOnPrimaryCells(DisclosureEngine.Result audit)
        {
            var leaks = new List<Leak>();
            var determined = new HashSet<int>();
            foreach (var d in audit.DeterminedCells)
            {
                determined.Add(d.Cell);
                if (Status[d.Cell].IsSensitive())
                    leaks.Add(new DerivableLeak(d));
            }
            foreach (var b in audit.Intervals)
                if (Status[b.Cell].IsSensitive() && !determined.Contains(b.Cell) && DisclosureAuditor.IsNarrow(b, _cells[b.Cell].Population, _rule))
                    leaks.Add(new NarrowLeak(b));
            return leaks;
        }

        public int? ChoosePartner(Leak leak)
        {
            switch (leak)
            {
                case DerivableLeak { Determined: var d }:
                {
                    // Only a cell with a non-zero net multiplier breaks this combination of equations.
                    var net = new Dictionary<int, Rational>();
                    foreach (var (r, multiplier) in d.Combination)
                        foreach (var term in _relations[r].Terms)
                            if (!Status[term.Cell].IsSuppressed())
                                net[term.Cell] = (net.TryGetValue(term.Cell, out var v) ? v : Rational.Zero) + multiplier * term.Coefficient;
                    return Best(net.Where(kv => !kv.Value.IsZero).Select(kv => kv.Key), _rule.Threshold - _cells[d.Cell].Cases);
                }
                case NarrowLeak { Bounds: var b }:
                {
                    var gap = _rule.Threshold - (long)(b.Upper - b.Lower);
                    var reasons = new[] { b.LowerReason, b.UpperReason }.Where(r => r >= 0).Distinct().ToList();
                    return NearestBest(reasons.Count > 0 ? reasons : _relationsOf[b.Cell], gap);
                }
                default:
                    throw new InvalidOperationException("unknown kind of leak");
            }
        }

        public void GiveBackDeterminedSecondaries(DisclosureEngine.Result audit)
        {
            foreach (var d in audit.DeterminedCells)
                if (Status[d.Cell] == CellStatus.Secondary)
                    Status[d.Cell] = CellStatus.Published;
            foreach (var b in audit.Intervals)
                if (Status[b.Cell] == CellStatus.Secondary && b.Lower == b.Upper)
                    Status[b.Cell] = CellStatus.Published;
        }

        public DisclosureReport Report(List<Leak> leaks) => new(
            leaks.OfType<DerivableLeak>().Select(l => DisclosureAuditor.ToDisclosure(l.Determined, _cells[l.Cell].Label, _relations)).ToList(),
            leaks.OfType<NarrowLeak>().Select(l => new NarrowInterval(l.Cell, _cells[l.Cell].Label, (long)l.Bounds.Lower, (long)l.Bounds.Upper,
                new[] { l.Bounds.LowerReason, l.Bounds.UpperReason }.Where(r => r >= 0).Distinct().Select(r => _relations[r]).ToList())).ToList());

        /// <summary>
        /// The best partner in the given equations; when they hold none, in the equations linked to
        /// them, and so on outwards: a bound can be set by a chain of equations whose nearest links
        /// are already fully withheld.
        /// </summary>
        private int? NearestBest(IEnumerable<int> startRelations, long gap)
        {
            var seen = new HashSet<int>(startRelations);
            var level = seen.ToList();
            while (level.Count > 0)
            {
                var cellsHere = level.SelectMany(r => _relations[r].Terms.Select(t => t.Cell)).Distinct().ToList();
                if (Best(cellsHere, gap) is { } found)
                    return found;
                level = cellsHere.SelectMany(c => _relationsOf[c]).Where(seen.Add).ToList();
            }
            return null;
        }

        /// <summary>The best published cell among <paramref name="candidates"/> to withhold next (see the class remarks for the order).</summary>
        private int? Best(IEnumerable<int> candidates, long gap)
        {
            int? best = null;
            (int, int, int, long, long, int) bestKey = default;
            foreach (var c in candidates.Distinct())
            {
                var cell = _cells[c];
                if (Status[c].IsSuppressed() || cell.Population == 0)
                    continue;
                var newSingletons = _relationsOf[c].Count(r => _suppressedIn[r] == 0);
                var bigEnough = cell.Cases >= gap;
                var key = (cell.LeafCount, newSingletons, bigEnough ? 0 : 1, bigEnough ? cell.Cases : -cell.Cases, cell.Population ?? 0, c);
                if (best is null || key.CompareTo(bestKey) < 0)
                {
                    best = c;
                    bestKey = key;
                }
            }
            return best;
        }
    }
}
