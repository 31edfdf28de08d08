using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Demo;

/// <summary>
/// How big a demo world is: one or more land blocks, each tessellated into communes and grouped
/// into EPCI, départements and régions. <see cref="Region"/> is the committed data set,
/// <see cref="National"/> is generated on demand, <see cref="Test"/> keeps unit tests fast.
/// </summary>
public sealed record DemoScale(string Name, IReadOnlyList<DemoBlock> Blocks)
{
    /// <summary>A Brittany-like région (≈1,200 communes, 60 EPCI, 4 départements) and one overseas département.</summary>
    public static DemoScale Region { get; } = new("region",
    [
        new DemoBlock("mainland", Overseas: false, DemoOutlines.Brittany, Communes: 1_200, Towns: 45, Population: 3_350_000,
            RegionCodes: ["53"], DepartementCodes: ["22", "29", "35", "56"], Epcis: 60, Island: true),
        DemoOutlines.OverseasBlock("971", "01", communes: 32, epcis: 3, population: 380_000, slot: 0),
    ]);

    /// <summary>A France-like country: ≈35,000 communes, 1,250 EPCI, 96 départements, 13 régions, and five overseas départements.</summary>
    public static DemoScale National { get; } = new("national",
    [
        new DemoBlock("mainland", Overseas: false, DemoOutlines.MainlandFrance, Communes: 35_000, Towns: 1_300, Population: 65_800_000,
            RegionCodes: ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"],
            DepartementCodes: MainlandDepartementCodes(), Epcis: 1_250, Island: true),
        DemoOutlines.OverseasBlock("971", "01", communes: 32, epcis: 6, population: 380_000, slot: 0),
        DemoOutlines.OverseasBlock("972", "02", communes: 34, epcis: 3, population: 350_000, slot: 1),
        DemoOutlines.OverseasBlock("973", "03", communes: 22, epcis: 4, population: 290_000, slot: 2),
        DemoOutlines.OverseasBlock("974", "04", communes: 24, epcis: 5, population: 880_000, slot: 3),
        DemoOutlines.OverseasBlock("976", "06", communes: 17, epcis: 5, population: 310_000, slot: 4),
    ]);

    /// <summary>A small world (≈150 communes) with every feature of the others, for fast tests.</summary>
    public static DemoScale Test { get; } = new("test",
    [
        new DemoBlock("mainland", Overseas: false, DemoOutlines.TestPeninsula, Communes: 140, Towns: 6, Population: 260_000,
            RegionCodes: ["53"], DepartementCodes: ["29", "56"], Epcis: 8, Island: true),
        DemoOutlines.OverseasBlock("971", "01", communes: 10, epcis: 2, population: 90_000, slot: 0),
    ]);

    /// <summary>
    /// A smaller world of the same make, for scaling measurements: the mainland's area, communes, towns, population,
    /// EPCI, départements and régions all times <paramref name="fraction"/> (rounded, at least one each), so communes
    /// keep their size and density, départements and EPCI their number of communes, and ¼ of France looks like three of
    /// its régions rather than the whole country cut into coarser pieces. The outline shrinks about its centroid. The
    /// overseas blocks stay whole: a few dozen communes each, they are what every world of this scale has.
    /// </summary>
    public DemoScale Fraction(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a world's fraction lies in (0, 1]");
        if (fraction == 1)
            return this;
        int Times(int count) => Math.Max(1, (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero));
        var blocks = Blocks.Select(b => b.Overseas ? b : b with
        {
            Outline = Shrunk(b.Outline, Math.Sqrt(fraction)),
            Communes = Times(b.Communes),
            Towns = Times(b.Towns),
            Population = (long)Math.Round(b.Population * fraction),
            RegionCodes = [.. b.RegionCodes.Take(Times(b.RegionCodes.Count))],
            DepartementCodes = [.. b.DepartementCodes.Take(Math.Max(Times(b.DepartementCodes.Count), Times(b.RegionCodes.Count)))],
            Epcis = Times(b.Epcis),
        }).ToList();
        return new DemoScale(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name} × {fraction}"), blocks);
    }

    private static Polygon Shrunk(Polygon outline, double factor)
    {
        var centre = outline.Centroid.Coordinate;
        var shell = outline.Shell.Coordinates.Select(c => new Coordinate(centre.X + factor * (c.X - centre.X), centre.Y + factor * (c.Y - centre.Y))).ToArray();
        return DemoOutlines.Factory.CreatePolygon(shell);
    }

    /// <summary>The scale a user names on the command line.</summary>
    public static DemoScale Parse(string name) => name switch
    {
        "region" => Region,
        "national" => National,
        "test" => Test,
        _ => throw new ArgumentException($"unknown demo scale '{name}': use region or national", nameof(name)),
    };

    private static string[] MainlandDepartementCodes() =>
    [
        .. Enumerable.Range(1, 19).Select(n => n.ToString("00", System.Globalization.CultureInfo.InvariantCulture)),
        "2A", "2B",
        .. Enumerable.Range(21, 75).Select(n => n.ToString("00", System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// One connected piece of land (plus, optionally, an island) tessellated on its own. Overseas
/// blocks hold exactly one département that is its own région, as DROM do.
/// </summary>
/// <param name="Key">Stable name, used to derive this block's random streams.</param>
/// <param name="Overseas">True for a DROM-like block.</param>
/// <param name="Outline">Land outline in Lambert-93 metres (the coast is then drawn by the tessellation).</param>
/// <param name="Communes">Target commune count (the island commune comes on top).</param>
/// <param name="Towns">Number of town centres (heavy-tailed sizes) around which communes cluster.</param>
/// <param name="Population">Total population the communes are scaled to.</param>
/// <param name="RegionCodes">INSEE région codes, one per région built in this block.</param>
/// <param name="DepartementCodes">INSEE département codes, one per département, handed out in alphabetical order of names.</param>
/// <param name="Epcis">Number of EPCI across the block.</param>
/// <param name="Island">Whether to add one island commune off the coast.</param>
public sealed record DemoBlock(
    string Key,
    bool Overseas,
    Polygon Outline,
    int Communes,
    int Towns,
    long Population,
    IReadOnlyList<string> RegionCodes,
    IReadOnlyList<string> DepartementCodes,
    int Epcis,
    bool Island);
