using Analytics.Models.Randomness;
using Analytics.Models.Secrecy;

namespace Analytics.Models.Tests.Secrecy;

/// <summary>
/// Seeded random count tables for the secrecy properties: territories drawn as a hierarchy, counts
/// skewed towards the small values the rule is about (Poisson with a log-normal mean), populations
/// published, one leaf in twenty with a small complement. Any failure replays from its seed.
/// </summary>
internal static class RandomTables
{
    /// <summary>Région ⊃ départements ⊃ EPCI ⊃ communes, × sex, × age band, and sometimes × period.</summary>
    public static CountTable Hierarchical(ulong seed)
    {
        var random = SeededRandom.Derive(seed, "secrecy-property-table");
        var dimensions = new List<Dimension>
        {
            Dimension.Tree("territory", Territories(random, departements: 1 + random.NextInt(2), region: "R", width: 3)),
            Dimension.Flat("sex", "all", "F", "M"),
            Dimension.Flat("age", "all", "0-14", "15-64", "65+"),
        };
        if (random.NextBernoulli(0.5))
            dimensions.Add(Dimension.Flat("period", "2019-2020", "2019", "2020"));
        return FromLeaves(random, dimensions, logMean: 1.0);
    }

    /// <summary>One classification with its total: 2 to 15 communes and their sum.</summary>
    public static CountTable OneWay(ulong seed)
    {
        var random = SeededRandom.Derive(seed, "secrecy-oracle-one-way");
        var communes = Enumerable.Range(0, 2 + random.NextInt(14)).Select(c => $"C{c}").ToArray();
        return FromLeaves(random, [Dimension.Flat("commune", "all", communes)], Mixed);
    }

    /// <summary>Two classifications crossed, 2 to 8 categories each, with both margins and the grand total.</summary>
    public static CountTable TwoWay(ulong seed)
    {
        var random = SeededRandom.Derive(seed, "secrecy-oracle-two-way");
        var rows = Enumerable.Range(0, 2 + random.NextInt(7)).Select(r => $"r{r}").ToArray();
        var columns = Enumerable.Range(0, 2 + random.NextInt(7)).Select(k => $"k{k}").ToArray();
        return FromLeaves(random, [Dimension.Flat("row", "all", rows), Dimension.Flat("column", "all", columns)], Mixed);
    }

    /// <summary>Communes → EPCI → département, the shape of the published health tables.</summary>
    public static CountTable ThreeLevels(ulong seed)
    {
        var random = SeededRandom.Derive(seed, "secrecy-oracle-three-levels");
        return FromLeaves(random, [Dimension.Tree("territory", Territories(random, departements: 1, region: null, width: 6))], Mixed);
    }

    /// <summary>
    /// Communes → EPCI → département × three age bands, of which two tables are published: the
    /// territories for all ages, and the age bands for the département. They share one cell, the
    /// département's total, and only the relations whose cells are all in one of them.
    /// </summary>
    public static (List<SuppressionCell> Cells, List<LinearRelation> Relations) TwoTablesSharingATotal(ulong seed)
    {
        var random = SeededRandom.Derive(seed, "secrecy-oracle-shared-total");
        var table = FromLeaves(random, [Dimension.Tree("territory", Territories(random, departements: 1, region: null, width: 5)), Dimension.Flat("age", "all", "0-14", "15-64", "65+")], Mixed);
        var kept = Enumerable.Range(0, table.CellCount)
            .Where(c => table.CategoriesOf(c) is var k && (k[1] == "all" || k[0] == "D0"))
            .ToList();
        var position = kept.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var cells = kept.Select(c => new SuppressionCell(table.Label(c), table.Cases(c), table.Population(c), table.LeafCount(c))).ToList();
        var relations = table.Relations()
            .Where(r => r.Terms.All(t => position.ContainsKey(t.Cell)))
            .Select(r => r with { Terms = r.Terms.Select(t => t with { Cell = position[t.Cell] }).ToList() })
            .ToList();
        return (cells, relations);
    }

    /// <summary>(child, parent) links: départements D0… (under the région when given), 1 to <paramref name="width"/> EPCI each, 1 to <paramref name="width"/> communes each.</summary>
    private static List<(string, string)> Territories(SeededRandom random, int departements, string? region, int width)
    {
        var links = new List<(string, string)>();
        for (var d = 0; d < departements; d++)
        {
            var dep = $"D{d}";
            if (region is not null)
                links.Add((dep, region));
            var epcis = 1 + random.NextInt(width);
            for (var e = 0; e < epcis; e++)
            {
                var epci = $"{dep}E{e}";
                links.Add((epci, dep));
                var communes = 1 + random.NextInt(width);
                for (var c = 0; c < communes; c++)
                    links.Add(($"{epci}C{c}", epci));
            }
        }
        return links;
    }

    /// <summary>
    /// Log-mean of the counts for the smaller tables: a median near 7 gives a mix of small cells and
    /// cells large enough to shield them (at 1.0, most cells of a small table are small and the
    /// suppression withholds everything, which tests nothing).
    /// </summary>
    private const double Mixed = 2.0;

    /// <summary>One draw per leaf, in cell order (the population is asked for right after the cases); counts Poisson with a log-normal mean e^N(logMean, 1.3).</summary>
    private static CountTable FromLeaves(SeededRandom random, IReadOnlyList<Dimension> dimensions, double logMean)
    {
        var population = new Dictionary<string, long>();
        return CountTable.FromLeaves(dimensions, key =>
        {
            var n = random.NextPoisson(Math.Exp(random.NextGaussian(logMean, 1.3)));
            population[string.Join("|", key)] = random.NextBernoulli(0.05)
                ? n + 1 + random.NextInt(6)                      // almost everyone is a case: a small complement
                : n + random.NextPoisson(Math.Exp(random.NextGaussian(5.5, 1.2)));
            return n;
        }, key => population[string.Join("|", key)]);
    }
}
