using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

public class HierarchyAndAttackTests
{
    /// <summary>Département D = EPCI E1 + E2; E1 = c1 + c2; E2 = c3 + c4.</summary>
    private static readonly Dimension Territory = Dimension.Tree("territory",
        [("E1", "D"), ("E2", "D"), ("c1", "E1"), ("c2", "E1"), ("c3", "E2"), ("c4", "E2")]);

    [Fact]
    public void a_small_epci_total_is_withheld_with_its_sibling_and_the_level_below_keeps_it_hidden()
    {
        // c1 = 3, c2 = 4: E1 = 7 is itself small. Withholding E1 opens D = E1 + E2, so E2 goes too,
        // which opens E2 = c3 + c4 — the hierarchy's new equations must be closed as well.
        var table = CountTable.FromLeaves([Territory], c => c[0] switch { "c1" => 3, "c2" => 4, "c3" => 60, _ => 70 });

        var result = table.Suppress(SecrecyRule.Default);

        Assert.Equal(CellStatus.Primary, result.Status("E1"));
        Assert.Equal(CellStatus.Primary, result.Status("c1"));
        Assert.Equal(CellStatus.Primary, result.Status("c2"));
        Assert.True(result.Status("E2").IsSuppressed());
        Assert.True(result.Status("c3").IsSuppressed() || result.Status("c4").IsSuppressed());
        Assert.Equal(CellStatus.Published, result.Status("D"));
        Assert.True(DisclosureAuditor.Audit(result.AsPublished(), table.Relations(), SecrecyRule.Default).IsClean);
    }

    [Fact]
    public void withholding_a_small_total_without_closing_the_level_below_is_caught_by_the_auditor()
    {
        var table = CountTable.FromLeaves([Territory], c => c[0] switch { "c1" => 3, "c2" => 4, "c3" => 60, _ => 70 });
        var withheld = new[] { "c1", "c2", "E1", "E2" }.Select(n => table.CellAt(n)).ToHashSet();
        var published = Enumerable.Range(0, table.CellCount)
            .Select(c => new DisclosureCell(table.Label(c), withheld.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c))))
            .ToList();

        var report = DisclosureAuditor.Audit(published, table.Relations(), SecrecyRule.Default);

        // E2 = c3 + c4 gives E2 = 130, then D − E2 gives E1 = 7.
        var e1 = Assert.Single(report.Disclosures, d => d.Label == "territory=E1");
        Assert.Equal(7, e1.Value);
        Assert.Equal(2, e1.Steps.Count);
    }

    /// <summary>
    /// Rows r1..r4 × columns k1..k4 with margins. Withheld: the rectangle {r1,r2}×{k1,k2}, the
    /// rectangle {r3,r4}×{k3,k4}, and the bridge (r1,k3). Every row and column holds 0, 2 or 3
    /// withheld cells — no singleton anywhere — yet the bridge lies on no cycle of withheld cells,
    /// so it is determined: a pattern the singleton rule accepts and the exact audit rejects.
    /// </summary>
    [Fact]
    public void a_bridge_between_two_withheld_rectangles_has_no_singleton_but_is_still_derived_and_the_steps_prove_it()
    {
        var rows = Dimension.Flat("row", "all", "r1", "r2", "r3", "r4");
        var columns = Dimension.Flat("column", "all", "k1", "k2", "k3", "k4");
        var values = new Dictionary<(string, string), long>
        {
            [("r1", "k1")] = 3, [("r1", "k2")] = 20, [("r1", "k3")] = 5, [("r1", "k4")] = 40,
            [("r2", "k1")] = 25, [("r2", "k2")] = 30, [("r2", "k3")] = 35, [("r2", "k4")] = 45,
            [("r3", "k1")] = 50, [("r3", "k2")] = 55, [("r3", "k3")] = 15, [("r3", "k4")] = 22,
            [("r4", "k1")] = 60, [("r4", "k2")] = 65, [("r4", "k3")] = 18, [("r4", "k4")] = 4,
        };
        var table = CountTable.FromLeaves([rows, columns], c => values[(c[0], c[1])]);
        var withheld = new[] { ("r1", "k1"), ("r1", "k2"), ("r2", "k1"), ("r2", "k2"), ("r3", "k3"), ("r3", "k4"), ("r4", "k3"), ("r4", "k4"), ("r1", "k3") }
            .Select(p => table.CellAt(p.Item1, p.Item2)).ToHashSet();
        var published = Enumerable.Range(0, table.CellCount)
            .Select(c => new DisclosureCell(table.Label(c), withheld.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c))))
            .ToList();
        var relations = table.Relations();
        Assert.All(relations, r => Assert.NotEqual(1, r.Terms.Count(t => withheld.Contains(t.Cell))));

        var report = DisclosureAuditor.Audit(published, relations, SecrecyRule.Default);

        var bridge = Assert.Single(report.Disclosures);
        Assert.Equal(table.CellAt("r1", "k3"), bridge.Cell);
        Assert.Equal(5, bridge.Value);
        // Replaying the steps: Σ multiplier × (Σ coefficient × cell) = 0 must leave the bridge alone
        // among withheld cells, with coefficient 1, and its value from published cells only.
        var net = new Dictionary<int, double>();
        foreach (var step in bridge.Steps)
            foreach (var term in step.Relation.Terms)
                net[term.Cell] = net.GetValueOrDefault(term.Cell) + step.Multiplier * term.Coefficient;
        Assert.Equal(1, net[bridge.Cell], 9);
        Assert.All(withheld.Where(c => c != bridge.Cell), c => Assert.Equal(0, net.GetValueOrDefault(c), 9));
        var fromPublished = -net.Where(kv => !withheld.Contains(kv.Key)).Sum(kv => kv.Value * table.Cases(kv.Key));
        Assert.Equal(5, fromPublished, 9);
    }

    [Fact]
    public void the_suppression_protects_the_bridge_table_when_it_starts_from_the_small_cells()
    {
        var rows = Dimension.Flat("row", "all", "r1", "r2", "r3", "r4");
        var columns = Dimension.Flat("column", "all", "k1", "k2", "k3", "k4");
        long[,] v = { { 3, 20, 5, 40 }, { 25, 30, 35, 45 }, { 50, 55, 15, 22 }, { 60, 65, 18, 4 } };
        var table = CountTable.FromLeaves([rows, columns], c => v[c[0][1] - '1', c[1][1] - '1']);

        var result = table.Suppress(SecrecyRule.Default);

        Assert.True(result.Outcome.IsProtected, result.Outcome.Unresolved.ToString());
        Assert.True(DisclosureAuditor.Audit(result.AsPublished(), table.Relations(), SecrecyRule.Default).IsClean);
        foreach (var cell in Enumerable.Range(0, table.CellCount))
            if (SecrecyRule.Default.IsSmall(table.Cases(cell)))
                Assert.Equal(PublicationState.Suppressed, result.Cases(cell).State);
    }

    [Fact]
    public void a_cell_shared_by_two_linked_tables_is_protected_in_both()
    {
        // Table 1: commune total = F + M; table 2: commune total = young + old. The commune total is
        // one cell of both. F = 4 is small; M = 30, young = 14, old = 20.
        var cells = new List<SuppressionCell>
        {
            new("total", 34, LeafCount: 2), new("F", 4), new("M", 30), new("young", 14), new("old", 20),
        };
        var relations = new[]
        {
            LinearRelation.Sum("sex: total = F + M", 0, [1, 2]),
            LinearRelation.Sum("age: total = young + old", 0, [3, 4]),
        };

        var outcome = SecondarySuppression.Protect(cells, relations, SecrecyRule.Default);

        Assert.Equal(CellStatus.Primary, outcome.Status[1]);
        Assert.True(outcome.IsProtected);
        var published = cells.Select((c, i) => new DisclosureCell(c.Label, outcome.Status[i].IsSuppressed() ? Published<long>.Suppressed : Published.Of(c.Cases))).ToList();
        Assert.True(DisclosureAuditor.Audit(published, relations, SecrecyRule.Default).IsClean);
    }
}
