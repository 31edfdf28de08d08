using Analytics.Jobs.Demo;

namespace Analytics.Jobs.Tests.Demo;

public class DemoScaleTests
{
    [Fact]
    public void a_quarter_of_the_national_scale_scales_its_mainland_and_keeps_the_overseas_departements()
    {
        var national = DemoScale.National.Blocks[0];
        var quarter = DemoScale.National.Fraction(0.25);
        var mainland = quarter.Blocks[0];

        Assert.Equal(8_750, mainland.Communes);
        Assert.Equal(325, mainland.Towns);
        Assert.Equal(313, mainland.Epcis);
        Assert.Equal(16_450_000, mainland.Population);
        Assert.Equal(["11", "24", "27"], mainland.RegionCodes);
        Assert.Equal(24, mainland.DepartementCodes.Count);
        Assert.Equal(0.25, mainland.Outline.Area / national.Outline.Area, 9);
        Assert.Equal(DemoScale.National.Blocks.Skip(1), quarter.Blocks.Skip(1));
        Assert.Same(DemoScale.National, DemoScale.National.Fraction(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoScale.National.Fraction(0));
    }

    [Fact]
    public void half_a_world_has_half_the_communes_and_people_nested_as_in_the_whole_and_the_same_for_a_seed()
    {
        var whole = DemoWorldGenerator.Generate(42, DemoScale.Test);
        var half = DemoWorldGenerator.Generate(42, DemoScale.Test.Fraction(0.5));
        var again = DemoWorldGenerator.Generate(42, DemoScale.Test.Fraction(0.5));
        static List<DemoCommune> Mainland(DemoWorld w) => [.. w.Communes.Where(c => !c.Overseas)];

        // The target count, plus the island commune.
        Assert.Equal(DemoScale.Test.Blocks[0].Communes + 1, Mainland(whole).Count);
        Assert.Equal(DemoScale.Test.Blocks[0].Communes / 2 + 1, Mainland(half).Count);
        Assert.Equal(0.5, (double)Mainland(half).Sum(c => c.ReferencePopulation) / Mainland(whole).Sum(c => c.ReferencePopulation), 2);
        // Communes keep their size: half the land for half the communes.
        Assert.InRange(Mainland(half).Average(c => c.AreaKm2) / Mainland(whole).Average(c => c.AreaKm2), 0.85, 1.15);
        Assert.Equal(Mainland(half).Select(c => c.Code), Mainland(again).Select(c => c.Code));
        Assert.Equal(Mainland(half).Select(c => c.ReferencePopulation), Mainland(again).Select(c => c.ReferencePopulation));

        // Every commune sits in an EPCI of its département, every département in its région, and the overseas block is untouched.
        var parent = half.Groupings.ToDictionary(g => (g.Level, g.Code), g => g.ParentCode);
        foreach (var c in half.Communes)
        {
            Assert.Equal(c.DepartementCode, parent[(DemoLevel.Epci, c.EpciCode)]);
            Assert.Equal(c.RegionCode, parent[(DemoLevel.Departement, c.DepartementCode)]);
            Assert.True(parent.ContainsKey((DemoLevel.Region, c.RegionCode)), $"commune {c.Code}: no région {c.RegionCode}");
        }
        Assert.Equal(4, half.Groupings.Count(g => g.Level == DemoLevel.Epci && g.ParentCode != "971"));
        Assert.Equal(whole.Communes.Count(c => c.Overseas), half.Communes.Count(c => c.Overseas));
    }
}
