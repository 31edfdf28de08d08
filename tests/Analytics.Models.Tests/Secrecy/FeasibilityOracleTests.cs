using Analytics.Models.Secrecy;
using Analytics.Testing.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

/// <summary>The linear-programming oracle on tables whose feasibility intervals are worked out by hand.</summary>
public class FeasibilityOracleTests
{
    /// <summary>Rows r1, r2 × columns k1, k2 with every margin: r1 = 3 + 5 = 8, r2 = 9 + 11 = 20, k1 = 12, k2 = 16, total 28.</summary>
    private static readonly CountTable TwoByTwo = CountTable.FromLeaves(
        [Dimension.Flat("row", "all", "r1", "r2"), Dimension.Flat("column", "all", "k1", "k2")],
        c => (c[0], c[1]) switch { ("r1", "k1") => 3, ("r1", "k2") => 5, ("r2", "k1") => 9, _ => 11 });

    private static List<DisclosureCell> Withholding(CountTable table, params (string, string)[] withheld)
    {
        var hidden = withheld.Select(w => table.CellAt(w.Item1, w.Item2)).ToHashSet();
        return Enumerable.Range(0, table.CellCount)
            .Select(c => new DisclosureCell(table.Label(c), hidden.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c)), table.Population(c)))
            .ToList();
    }

    [Fact]
    public void one_cell_withheld_in_a_two_by_two_table_with_its_margins_is_determined()
    {
        var intervals = FeasibilityIntervals.Compute(Withholding(TwoByTwo, ("r1", "k1")), TwoByTwo.Relations());

        var only = Assert.Single(intervals);
        Assert.Equal(TwoByTwo.CellAt("r1", "k1"), only.Key);
        Assert.Equal(new FeasibleInterval(3, 3), only.Value);
    }

    [Fact]
    public void four_inner_cells_withheld_in_a_two_by_two_table_slide_together_between_bounds_the_margins_set()
    {
        // x = (r1,k1) ∈ [max(0, r1 − k2, k1 − r2), min(r1, k1)] = [max(0, −8, −8), min(8, 12)] = [0, 8];
        // then (r1,k2) = 8 − x ∈ [0, 8], (r2,k1) = 12 − x ∈ [4, 12], (r2,k2) = 8 + x ∈ [8, 16].
        var published = Withholding(TwoByTwo, ("r1", "k1"), ("r1", "k2"), ("r2", "k1"), ("r2", "k2"));

        var intervals = FeasibilityIntervals.Compute(published, TwoByTwo.Relations());

        Assert.Equal(4, intervals.Count);
        Assert.Equal(new FeasibleInterval(0, 8), intervals[TwoByTwo.CellAt("r1", "k1")]);
        Assert.Equal(new FeasibleInterval(0, 8), intervals[TwoByTwo.CellAt("r1", "k2")]);
        Assert.Equal(new FeasibleInterval(4, 12), intervals[TwoByTwo.CellAt("r2", "k1")]);
        Assert.Equal(new FeasibleInterval(8, 16), intervals[TwoByTwo.CellAt("r2", "k2")]);
        // Width 8 < 11: the three small cells (3, 5, 9) are not protected by this pattern, the 11 is not sensitive.
        var report = SecrecyOracle.Check(published, TwoByTwo.Relations(), Enumerable.Range(0, TwoByTwo.CellCount).Select(TwoByTwo.Cases).ToList(), SecrecyRule.Default);
        Assert.Equal(3, report.Breaches.Count);
        Assert.Empty(report.AuditorMisses); // the auditor's propagation finds the same intervals here
        Assert.Empty(report.NarrowerThanAuditor);
    }

    [Fact]
    public void a_published_population_bounds_the_cell_and_one_below_the_threshold_is_protected_when_the_tables_add_nothing()
    {
        // total 40 = a + b, both withheld; a has 6 residents (2 cases), b has 1,000 (38 cases).
        var cells = new List<DisclosureCell>
        {
            new("total", Published.Of(40L), 1006), new("a", Published<long>.Suppressed, 6), new("b", Published<long>.Suppressed, 1000),
        };
        var relations = new[] { LinearRelation.Sum("total = a + b", 0, [1, 2]) };

        var intervals = FeasibilityIntervals.Compute(cells, relations);

        Assert.Equal(new FeasibleInterval(0, 6), intervals[1]);
        Assert.Equal(new FeasibleInterval(34, 40), intervals[2]);
        Assert.True(ProtectionRequirement.IsMet(intervals[1], 6, SecrecyRule.Default));

        // With b's population published as 36, b ≤ 36 gives a ≥ 4: a ∈ [4, 6], pinned.
        cells[2] = cells[2] with { Population = 36 };
        var pinned = FeasibilityIntervals.Compute(cells, relations)[1];
        Assert.Equal(new FeasibleInterval(4, 6), pinned);
        Assert.False(ProtectionRequirement.IsMet(pinned, 6, SecrecyRule.Default));
    }

    /// <summary>
    /// Three published totals over four withheld cells: x + y = 10, y + z = 10, x + z + u = 4 (true
    /// values x = 1, y = 9, z = 1, u = 2). Nothing is determined (one degree of freedom: x = z = 10 − y,
    /// u = 2y − 16), and u ≥ 0 with x, z ≥ 0 gives y ∈ [8, 10], x and z ∈ [0, 2], u ∈ [0, 4]. Bounds
    /// propagation, one equation at a time, stops at y ∈ [6, 10] and x, z ∈ [0, 4]: only combining the
    /// equations (y + z = 10 and x + y = 10 into x + z = 20 − 2y ≤ 4) reaches the exact interval.
    /// </summary>
    [Fact]
    public void linear_programming_finds_the_exact_interval_where_bounds_propagation_stops_short()
    {
        var cells = new List<DisclosureCell>
        {
            new("T1", Published.Of(10L)), new("T2", Published.Of(10L)), new("T3", Published.Of(4L)),
            new("x", Published<long>.Suppressed), new("y", Published<long>.Suppressed), new("z", Published<long>.Suppressed), new("u", Published<long>.Suppressed),
        };
        var relations = new[]
        {
            LinearRelation.Sum("T1 = x + y", 0, [3, 4]), LinearRelation.Sum("T2 = y + z", 1, [4, 5]), LinearRelation.Sum("T3 = x + z + u", 2, [3, 5, 6]),
        };

        var intervals = FeasibilityIntervals.Compute(cells, relations);
        var report = SecrecyOracle.Check(cells, relations, [10, 10, 4, 1, 9, 1, 2], SecrecyRule.Default);

        Assert.Equal(new FeasibleInterval(0, 2), intervals[3]);
        Assert.Equal(new FeasibleInterval(8, 10), intervals[4]);
        Assert.Equal(new FeasibleInterval(0, 2), intervals[5]);
        Assert.Equal(new FeasibleInterval(0, 4), intervals[6]);
        Assert.Contains("y (true count 9): linear programming [8, 10], auditor [6, 10]", report.NarrowerThanAuditor);
        Assert.Contains("x (true count 1): linear programming [0, 2], auditor [0, 4]", report.NarrowerThanAuditor);
        Assert.Empty(report.AuditorTooNarrow);
        Assert.Equal(4, report.Breaches.Count); // every cell is small and pinned within 10 of itself
    }

    [Fact]
    public void published_figures_that_do_not_add_up_are_refused()
    {
        var cells = new List<DisclosureCell> { new("total", Published.Of(10L)), new("a", Published.Of(4L)), new("b", Published.Of(5L)) };

        var error = Assert.Throws<ArgumentException>(() => FeasibilityIntervals.Compute(cells, [LinearRelation.Sum("total = a + b", 0, [1, 2])]));

        Assert.Contains("total = a + b", error.Message);
    }
}
