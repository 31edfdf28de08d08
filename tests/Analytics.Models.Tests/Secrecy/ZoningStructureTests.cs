using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

public class ZoningStructureTests
{
    /// <summary>
    /// Région R = D1 + D2 (départements) and R = E1 + E2 + E3 (EPCI), where E2 straddles the two
    /// départements: D1 = c1 + c2, D2 = c3 + c4, E1 = c1, E2 = c2 + c3, E3 = c4.
    /// </summary>
    private static Dimension Territory() => new("territory",
        ["R", "D1", "D2", "E1", "E2", "E3", "c1", "c2", "c3", "c4"],
        [
            ("R", ["D1", "D2"]), ("R", ["E1", "E2", "E3"]),
            ("D1", ["c1", "c2"]), ("D2", ["c3", "c4"]),
            ("E1", ["c1"]), ("E2", ["c2", "c3"]), ("E3", ["c4"]),
        ]);

    private static CountTable Table() => CountTable.FromLeaves([Territory()], c => c[0] switch { "c2" => 4, "c1" => 30, "c3" => 25, _ => 50 });

    [Fact]
    public void an_epci_straddling_two_departements_opens_an_equation_the_departement_tree_does_not_have()
    {
        // Protecting c2 inside its département only (withholding c1) is undone by E1 = c1.
        var table = Table();
        var withheld = new[] { table.CellAt("c1"), table.CellAt("c2") };
        var published = Enumerable.Range(0, table.CellCount)
            .Select(c => new DisclosureCell(table.Label(c), withheld.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c))))
            .ToList();

        var report = DisclosureAuditor.Audit(published, table.Relations(), SecrecyRule.Default);

        var c2 = Assert.Single(report.Disclosures, d => d.Label == "territory=c2");
        Assert.Equal(4, c2.Value);
        Assert.Contains(c2.Steps, s => s.Relation.Label == "territory: E1 = c1");
    }

    [Fact]
    public void the_suppression_sees_both_breakdowns_and_leaves_nothing_derivable()
    {
        var table = Table();

        var result = table.Suppress(SecrecyRule.Default);

        Assert.Equal(CellStatus.Primary, result.Status("c2"));
        Assert.True(result.Outcome.IsProtected, result.Outcome.Unresolved.ToString());
        Assert.True(DisclosureAuditor.Audit(result.AsPublished(), table.Relations(), SecrecyRule.Default).IsClean);
    }

    [Fact]
    public void two_breakdowns_of_a_total_that_do_not_cover_the_same_communes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dimension("territory",
            ["R", "D1", "D2", "c1", "c2", "c3"],
            [("R", ["D1", "D2"]), ("R", ["c1", "c2"]), ("D1", ["c1"]), ("D2", ["c2", "c3"])]));

        Assert.Contains("do not cover the same leaves", error.Message);
    }

    [Fact]
    public void overlapping_parts_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Dimension("territory",
            ["R", "D1", "D2", "c1", "c2"],
            [("R", ["D1", "D2"]), ("D1", ["c1", "c2"]), ("D2", ["c2"])]));
    }

    [Fact]
    public void published_figures_that_do_not_add_up_are_refused_by_the_auditor_with_the_equation_named()
    {
        var cells = new List<DisclosureCell> { new("total", Published.Of(30L)), new("A", Published.Of(12L)), new("B", Published.Of(12L)), new("C", Published<long>.Suppressed) };
        var relations = new[]
        {
            LinearRelation.Sum("total = A + B + C", 0, [1, 2, 3]),
            new LinearRelation("C = 1 (declared elsewhere)", [new LinearRelation.Term(3, 1)], 1),
        };

        var error = Assert.Throws<ArgumentException>(() => DisclosureAuditor.Audit(cells, relations, SecrecyRule.Default));

        Assert.Contains("do not add up", error.Message);
    }
}
