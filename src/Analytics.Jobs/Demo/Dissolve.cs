using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace Analytics.Jobs.Demo;

/// <summary>Dissolves whole communes into one territory.</summary>
internal static class Dissolve
{
    /// <summary>
    /// Union of polygons that form a coverage (shared edges match vertex for vertex, as Voronoi
    /// cells do): <see cref="CoverageUnion"/> only removes the shared edges, so it is exact and
    /// fast. Falls back to a robust overlay union if the input is not a clean coverage.
    /// </summary>
    public static Geometry Union(IEnumerable<Polygon> polygons)
    {
        var collection = DemoOutlines.Factory.CreateMultiPolygon([.. polygons]);
        Geometry union;
        try
        {
            union = CoverageUnion.Union(collection);
        }
        catch (TopologyException)
        {
            union = OverlayNGRobust.Union((Geometry)collection);
        }
        union = union.Normalized();
        return union switch
        {
            Polygon p => TerritoryGenerator.ForceCounterClockwise(p),
            MultiPolygon m => DemoOutlines.Factory.CreateMultiPolygon([.. Enumerable.Range(0, m.NumGeometries)
                .Select(i => TerritoryGenerator.ForceCounterClockwise((Polygon)m.GetGeometryN(i)))]),
            _ => union,
        };
    }
}
