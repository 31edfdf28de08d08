using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Demo;

/// <summary>Coarse land outlines in Lambert-93 (EPSG:2154) metres; the tessellation roughens the coast.</summary>
internal static class DemoOutlines
{
    /// <summary>Lambert-93 with a plain floating precision model: every demo geometry is built with it.</summary>
    public static GeometryFactory Factory { get; } = new(new PrecisionModel(), 2154);

    /// <summary>A Brittany-like peninsula inside x 100–400 km, y 6,700–6,900 km (≈27,000 km²).</summary>
    public static Polygon Brittany { get; } = Ring(
        (145_000, 6_835_000), (165_000, 6_862_000), (210_000, 6_868_000), (255_000, 6_874_000), (290_000, 6_866_000),
        (300_000, 6_848_000), (332_000, 6_852_000), (368_000, 6_846_000), (396_000, 6_826_000), (398_000, 6_790_000),
        (396_000, 6_752_000), (380_000, 6_728_000), (350_000, 6_712_000), (312_000, 6_704_000), (290_000, 6_716_000),
        (262_000, 6_722_000), (232_000, 6_742_000), (196_000, 6_758_000), (168_000, 6_766_000), (148_000, 6_772_000),
        (136_000, 6_790_000), (150_000, 6_804_000), (138_000, 6_816_000));

    /// <summary>Mainland France's hexagon, from approximate Lambert-93 positions of its coasts and borders (≈540,000 km²).</summary>
    public static Polygon MainlandFrance { get; } = Ring(
        (654_000, 7_105_000), (600_000, 7_070_000), (560_000, 6_990_000), (495_000, 6_935_000), (420_000, 6_920_000),
        (365_000, 6_965_000), (345_000, 6_900_000), (335_000, 6_852_000), (255_000, 6_874_000), (165_000, 6_862_000),
        (140_000, 6_800_000), (225_000, 6_750_000), (305_000, 6_700_000), (380_000, 6_570_000), (385_000, 6_510_000),
        (370_000, 6_410_000), (340_000, 6_270_000), (450_000, 6_210_000), (600_000, 6_190_000), (700_000, 6_150_000),
        (705_000, 6_210_000), (770_000, 6_270_000), (893_000, 6_245_000), (940_000, 6_225_000), (1_045_000, 6_300_000),
        (1_070_000, 6_312_000), (1_020_000, 6_430_000), (1_000_000, 6_540_000), (945_000, 6_570_000), (975_000, 6_680_000),
        (1_030_000, 6_740_000), (1_050_000, 6_840_000), (1_060_000, 6_882_000), (930_000, 6_930_000), (830_000, 6_990_000),
        (720_000, 7_060_000));

    /// <summary>A small peninsula for tests (≈2,000 km²).</summary>
    public static Polygon TestPeninsula { get; } = Ring(
        (150_000, 6_800_000), (175_000, 6_830_000), (215_000, 6_836_000), (232_000, 6_812_000), (228_000, 6_782_000),
        (190_000, 6_776_000), (160_000, 6_784_000));

    /// <summary>
    /// An overseas département as its own block, placed in the Atlantic west of the mainland so it
    /// can be drawn on the same Lambert-93 plane. (Real DROM use local projections; this demo keeps
    /// one CRS so that every file is in EPSG:2154 / 4326.) Each slot is a different spot.
    /// </summary>
    public static DemoBlock OverseasBlock(string departementCode, string regionCode, int communes, int epcis, long population, int slot)
    {
        var centreX = -160_000.0;
        var centreY = 6_820_000.0 - slot * 130_000.0;
        var radius = 9_000 + 900 * Math.Sqrt(communes);
        var vertices = new List<(double, double)>();
        const int n = 48;
        for (var i = 0; i < n; i++)
        {
            var angle = 2 * Math.PI * i / n;
            // A lobed outline (two-winged like Guadeloupe for slot 0), fixed per slot so it does not depend on the seed.
            var r = radius * (1 + 0.22 * Math.Cos(2 * angle + slot) + 0.08 * Math.Sin(3 * angle + 2 * slot) + 0.05 * Math.Cos(5 * angle));
            vertices.Add((centreX + r * Math.Cos(angle), centreY + 0.8 * r * Math.Sin(angle)));
        }
        return new DemoBlock("overseas-" + departementCode, Overseas: true, Ring([.. vertices]), communes, Towns: Math.Max(2, communes / 8),
            population, [regionCode], [departementCode], epcis, Island: false);
    }

    private static Polygon Ring(params (double X, double Y)[] points)
    {
        var coordinates = points.Select(p => new Coordinate(p.X, p.Y)).Append(new Coordinate(points[0].X, points[0].Y)).ToArray();
        var polygon = Factory.CreatePolygon(coordinates);
        return (Polygon)polygon.Normalized();
    }
}
