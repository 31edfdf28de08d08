using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

public class CustomZoneTests
{
    // Residents per commune. F is uninhabited (such communes exist: the villages of the Meuse
    // destroyed in 1916 keep a commune code and no residents).
    private static readonly Dictionary<string, long> Residents = new()
    {
        ["A"] = 5_000, ["B"] = 3_000, ["C"] = 150, ["D"] = 4_000, ["E"] = 2_500, ["F"] = 0, ["G"] = 800, ["H"] = 900,
    };

    private static readonly PublishedZoning Epci = new("EPCI",
    [
        new Zone("EPCI1", "A", "B", "C"),
        new Zone("EPCI2", "D", "E", "F"),
        new Zone("EPCI3", "G", "H"),
    ]);

    private static readonly CustomZoneRule Rule = new(); // 2,000 residents

    [Fact]
    public void an_epci_less_one_small_commune_is_refused_because_the_difference_is_that_commune()
    {
        var decision = Rule.Check(new Zone("CPTS-1", "A", "B"), [Epci], Residents);

        var refusal = Assert.Single(decision.Refusals);
        Assert.Equal(ZoneRefusalKind.DifferenceWithZone, refusal.Kind);
        Assert.Equal("EPCI EPCI1", refusal.Against);
        Assert.Equal(["C"], refusal.Communes);
        Assert.Equal(150, refusal.Population);
    }

    [Fact]
    public void a_published_zone_plus_one_commune_is_refused_and_so_is_the_cover_that_exceeds_it_by_one_commune()
    {
        // {A, B, C, G} − EPCI1 = G; and EPCI1 ∪ EPCI3 − {A, B, C, G} = H.
        var decision = Rule.Check(new Zone("CPTS-2", "A", "B", "C", "G"), [Epci], Residents);

        Assert.False(decision.Accepted);
        Assert.Contains(decision.Refusals, r => r is { Kind: ZoneRefusalKind.DifferenceWithZone, Against: "EPCI EPCI1" } && r.Communes.SequenceEqual(["G"]));
        Assert.Contains(decision.Refusals, r => r.Kind == ZoneRefusalKind.DifferenceWithCover && r.Communes.SequenceEqual(["H"]));
    }

    [Fact]
    public void a_zone_that_no_difference_reduces_to_a_few_residents_is_accepted()
    {
        // {A, D}: against EPCI1 the difference is {B, C, D} (7,150), against EPCI2 {A, E, F} (7,500),
        // the EPCI cover leaves {B, C, E, F} (5,650).
        var decision = Rule.Check(new Zone("CPTS-3", "A", "D"), [Epci], Residents);

        Assert.True(decision.Accepted, string.Join("; ", decision.Refusals));
    }

    [Fact]
    public void a_difference_made_only_of_uninhabited_communes_reveals_nothing_and_is_accepted()
    {
        var decision = Rule.Check(new Zone("CPTS-4", "D", "E"), [Epci], Residents);

        Assert.True(decision.Accepted, string.Join("; ", decision.Refusals));
    }

    [Fact]
    public void a_zone_below_the_minimum_population_is_refused_whatever_else_is_published()
    {
        var decision = Rule.Check(new Zone("tiny", "G"), [], Residents);

        Assert.Equal(ZoneRefusalKind.TooSmall, Assert.Single(decision.Refusals).Kind);
        Assert.True(new CustomZoneRule(minimumPopulation: 500).Check(new Zone("tiny", "G"), [], Residents).Accepted);
    }

    [Fact]
    public void published_zones_inside_the_zone_that_together_leave_one_small_commune_are_refused_though_each_alone_is_fine()
    {
        // Each of {A} and {B} leaves 3,150 or 5,150 residents; together they leave C (150).
        var iris = new PublishedZoning("IRIS", [new Zone("I1", "A"), new Zone("I2", "B")]);

        var decision = Rule.Check(new Zone("CPTS-5", "A", "B", "C"), [iris], Residents);

        var refusal = Assert.Single(decision.Refusals);
        Assert.Equal(ZoneRefusalKind.DifferenceWithZonesInside, refusal.Kind);
        Assert.Equal(["C"], refusal.Communes);
    }

    [Fact]
    public void a_commune_missing_from_the_populations_is_an_error_not_a_decision()
    {
        Assert.Throws<ArgumentException>(() => Rule.Check(new Zone("Z", "A", "unknown"), [Epci], Residents));
    }

    [Fact]
    public void a_custom_zone_made_of_published_communes_reopens_a_withheld_commune_unless_protected_jointly()
    {
        // The zone is accepted geographically, but its total adds the equation zone = A + B: with
        // A withheld (4 cases) and B published (36), the zone's 40 gives A away.
        var cells = new List<DisclosureCell> { new("zone", Published.Of(40L)), new("A", Published<long>.Suppressed), new("B", Published.Of(36L)) };
        var relations = new[] { LinearRelation.Sum("zone = A + B", 0, [1, 2]) };

        var leak = Assert.Single(DisclosureAuditor.Audit(cells, relations, SecrecyRule.Default).Disclosures);
        Assert.Equal(("A", 4L), (leak.Label, leak.Value));

        var outcome = SecondarySuppression.Protect(
            [new SuppressionCell("zone", 40, LeafCount: 2), new SuppressionCell("A", 4), new SuppressionCell("B", 36)], relations, SecrecyRule.Default);
        Assert.Equal([CellStatus.Published, CellStatus.Primary, CellStatus.Secondary], outcome.Status);
    }
}
