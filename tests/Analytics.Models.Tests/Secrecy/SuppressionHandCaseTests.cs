using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

public class SuppressionHandCaseTests
{
    private static readonly Dimension Sex = Dimension.Flat("sex", "all", "F", "M");
    private static readonly Dimension Age = Dimension.Flat("age", "all", "0-64", "65+");

    /// <summary>
    /// F 0-64: 3, F 65+: 25, M 0-64: 30, M 65+: 40. Only F 0-64 is small. Withholding it alone is
    /// undone by F all − F 65+; the smallest pattern that survives every margin is the 2×2 rectangle.
    /// </summary>
    private static CountTable TwoByTwo() => CountTable.FromLeaves([Sex, Age], c => (c[0], c[1]) switch
    {
        ("F", "0-64") => 3,
        ("F", "65+") => 25,
        ("M", "0-64") => 30,
        _ => 40,
    });

    [Fact]
    public void a_two_by_two_table_with_one_small_cell_withholds_the_rectangle_and_keeps_every_margin()
    {
        var result = TwoByTwo().Suppress(SecrecyRule.Default);

        Assert.Equal(CellStatus.Primary, result.Status("F", "0-64"));
        Assert.Equal(CellStatus.Secondary, result.Status("F", "65+"));
        Assert.Equal(CellStatus.Secondary, result.Status("M", "0-64"));
        Assert.Equal(CellStatus.Secondary, result.Status("M", "65+"));
        foreach (var margin in new[] { ("all", "all"), ("all", "0-64"), ("all", "65+"), ("F", "all"), ("M", "all") })
            Assert.Equal(CellStatus.Published, result.Status(margin.Item1, margin.Item2));
        Assert.Equal(Published.Of(28L), result.Cases("F", "all"));
        Assert.Equal(PublicationState.Suppressed, result.Cases("F", "0-64").State);
        Assert.Equal(4, result.Outcome.SuppressedCount);
        Assert.True(result.Outcome.IsProtected);
    }

    [Fact]
    public void the_auditor_finds_nothing_in_the_protected_two_by_two_table()
    {
        var table = TwoByTwo();
        var report = DisclosureAuditor.Audit(table.Suppress(SecrecyRule.Default).AsPublished(), table.Relations(), SecrecyRule.Default);

        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public void the_auditor_recovers_the_small_cell_when_only_it_and_its_row_partner_are_withheld()
    {
        var table = TwoByTwo();
        var withheld = new[] { table.CellAt("F", "0-64"), table.CellAt("F", "65+") };
        var published = Enumerable.Range(0, table.CellCount)
            .Select(c => new DisclosureCell(table.Label(c), withheld.Contains(c) ? Published<long>.Suppressed : Published.Of(table.Cases(c))))
            .ToList();

        var report = DisclosureAuditor.Audit(published, table.Relations(), SecrecyRule.Default);

        var leak = Assert.Single(report.Disclosures, d => d.Cell == table.CellAt("F", "0-64"));
        Assert.Equal(3, leak.Value);
        Assert.Contains(leak.Steps, s => s.Relation.Label.StartsWith("sex: all = F + M", StringComparison.Ordinal));
    }

    [Fact]
    public void a_cell_whose_complement_is_small_is_withheld_with_a_partner_and_its_rate_too()
    {
        // Commune A: 12 cases among 15 residents — the 3 others are as exposed as 3 cases would be.
        var territory = Dimension.Flat("territory", "EPCI", "A", "B");
        var table = CountTable.FromLeaves([territory],
            c => c[0] == "A" ? 12 : 40,
            c => c[0] == "A" ? 15 : 1_000);

        var result = table.Suppress(SecrecyRule.Default);

        Assert.Equal(CellStatus.PrimaryComplement, result.Status("A"));
        Assert.Equal(CellStatus.Secondary, result.Status("B"));
        Assert.Equal(PublicationState.Suppressed, result.Rate(table.CellAt("A")).State);
        Assert.Equal(PublicationState.Suppressed, result.Rate(table.CellAt("B")).State);
        Assert.Equal(Published.Of(52L * 100_000 / 1_015.0), result.Rate(table.CellAt("EPCI")));
        Assert.True(DisclosureAuditor.Audit(result.AsPublished(), table.Relations(), SecrecyRule.Default).IsClean);
    }

    [Fact]
    public void a_complement_is_not_protected_when_complements_are_switched_off()
    {
        var territory = Dimension.Flat("territory", "EPCI", "A", "B");
        var table = CountTable.FromLeaves([territory], c => c[0] == "A" ? 12 : 40, c => c[0] == "A" ? 15 : 1_000);

        var result = table.Suppress(new SecrecyRule(protectComplements: false));

        Assert.Equal(CellStatus.Published, result.Status("A"));
    }

    [Fact]
    public void a_published_population_can_pin_a_withheld_cell_into_a_narrow_interval_and_the_auditor_says_so()
    {
        // total 20 = A + B, both withheld. Alone that says A ∈ [0, 20]; but B's published population
        // is 8, so B ≤ 8 and A ≥ 12: with A's population of 15, A ∈ [12, 15] — "at most 3 residents
        // of A are not cases".
        var cells = new List<DisclosureCell>
        {
            new("EPCI", Published.Of(20L), 23),
            new("A", Published<long>.Suppressed, 15),
            new("B", Published<long>.Suppressed, 8),
        };
        var relations = new[] { LinearRelation.Sum("territory: EPCI = A + B", 0, [1, 2]) };

        var report = DisclosureAuditor.Audit(cells, relations, SecrecyRule.Default);

        Assert.Empty(report.Disclosures);
        var narrow = Assert.Single(report.NarrowIntervals, n => n.Label == "A");
        Assert.Equal((12, 15), (narrow.Lower, narrow.Upper));
        Assert.Equal("territory: EPCI = A + B", Assert.Single(narrow.Relations).Label);
    }

    [Fact]
    public void the_same_cells_without_published_populations_leave_no_narrow_interval()
    {
        var cells = new List<DisclosureCell>
        {
            new("EPCI", Published.Of(20L)),
            new("A", Published<long>.Suppressed),
            new("B", Published<long>.Suppressed),
        };

        var report = DisclosureAuditor.Audit(cells, [LinearRelation.Sum("EPCI = A + B", 0, [1, 2])], SecrecyRule.Default);

        Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public void a_threshold_below_eleven_is_refused_unless_explicitly_allowed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecrecyRule(5));
        var lighter = new SecrecyRule(5, allowThresholdBelowDefault: true);
        Assert.Equal(CellStatus.Published, lighter.PrimaryStatus(7, null));
        Assert.Equal(CellStatus.Primary, SecrecyRule.Default.PrimaryStatus(7, null));
        Assert.Equal(CellStatus.Published, SecrecyRule.Default.PrimaryStatus(0, 4));
    }
}
