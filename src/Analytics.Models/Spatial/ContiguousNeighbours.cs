using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay.Snap;

namespace Analytics.Models.Spatial;

/// <summary>
/// Queen or rook neighbour lists of polygons held in memory, in the form
/// <see cref="SpatialWeights.FromNeighbours"/> takes: for each area, the ascending indices of its
/// neighbours; an area with none (an island) keeps an empty list.
/// </summary>
/// <remarks>
/// <para><b>Same rule as PostGIS.</b> With a tolerance of zero, queen is <c>ST_Intersects</c> and rook is
/// <c>ST_Relate(a, b, '****1****')</c> (the boundaries meet along a line), the rules of the PostGIS
/// builder in <c>Analytics.Jobs.Features.Neighbours</c>. Rook is decided segment by segment, with the robust
/// orientation test that GEOS's and NetTopologySuite's segment intersectors use: two boundary segments exactly
/// on one line, sharing a piece of positive length.</para>
/// <para><b>Tolerance.</b> Real boundary layers have slivers and gaps between areas that should touch. With a
/// tolerance t (in the units of the coordinates: metres in a projected CRS such as Lambert-93), two areas
/// are queen neighbours when they are within t of each other, and rook neighbours when their boundaries,
/// once snapped together at t (NetTopologySuite's <see cref="GeometrySnapper"/>: vertices closer than t
/// merged, segments cracked at the other's vertices closer than t), share a stretch of positive length.
/// A corner touch stays a corner after snapping, so it never makes rook neighbours.</para>
/// <para><b>Cost.</b> Candidate pairs come from an STR-tree of the areas' envelopes widened by t, so the work
/// follows the number of near pairs, not n². Rook compares only the boundary segments inside the two
/// envelopes' overlap, where any shared stretch must lie.</para>
/// </remarks>
public static class ContiguousNeighbours
{
    /// <summary>The neighbours of every area under <paramref name="rule"/>, boundaries closer than <paramref name="tolerance"/> counted as touching.</summary>
    /// <param name="areas">Polygons or multipolygons in a projected CRS; their order gives the indices.</param>
    /// <param name="rule">Queen or rook.</param>
    /// <param name="tolerance">Snapping tolerance in the coordinates' unit (metres), zero or more.</param>
    /// <exception cref="ArgumentException">An area is missing, empty, or not polygonal.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is negative or not finite.</exception>
    public static IReadOnlyList<IReadOnlyList<int>> Build(IReadOnlyList<Geometry> areas, Contiguity rule, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(areas);
        if (!double.IsFinite(tolerance) || tolerance < 0)
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the snapping tolerance is a distance, zero or more");
        var index = new STRtree<int>();
        for (var i = 0; i < areas.Count; i++)
        {
            if (areas[i] is not (Polygon or MultiPolygon) || areas[i].IsEmpty)
                throw new ArgumentException($"area {i} is {(areas[i] is null ? "missing" : areas[i].IsEmpty ? "empty" : "a " + areas[i].GeometryType)}, not a polygon or multipolygon", nameof(areas));
            index.Insert(Reach(areas[i], tolerance), i);
        }
        index.Build();

        var lists = areas.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < areas.Count; i++)
        {
            var area = areas[i];
            // Without tolerance, queen is plain intersection, which a prepared geometry answers fastest.
            var prepared = tolerance == 0 ? PreparedGeometryFactory.Prepare(area) : null;
            foreach (var j in index.Query(Reach(area, tolerance)))
            {
                // Contiguity is symmetric: each pair is decided once and added both ways.
                if (j <= i)
                    continue;
                var near = prepared?.Intersects(areas[j]) ?? area.IsWithinDistance(areas[j], tolerance);
                if (!near || (rule == Contiguity.Rook && !ShareStretch(area, areas[j], tolerance)))
                    continue;
                lists[i].Add(j);
                lists[j].Add(i);
            }
        }
        foreach (var list in lists)
            list.Sort();
        return lists;
    }

    private static Envelope Reach(Geometry area, double tolerance)
    {
        var envelope = area.EnvelopeInternal.Copy();
        envelope.ExpandBy(tolerance);
        return envelope;
    }

    /// <summary>Whether the boundaries of <paramref name="a"/> and <paramref name="b"/>, snapped together at <paramref name="tolerance"/>, meet along a line.</summary>
    private static bool ShareStretch(Geometry a, Geometry b, double tolerance)
    {
        var window = Reach(a, tolerance).Intersection(Reach(b, tolerance));
        Geometry lineA = BoundaryWithin(a, window);
        Geometry lineB = BoundaryWithin(b, window);
        if (tolerance > 0)
        {
            var snapped = GeometrySnapper.Snap(lineA, lineB, tolerance);
            (lineA, lineB) = (snapped[0], snapped[1]);
        }
        // Two polylines meet along a line exactly when two of their segments overlap along one; a full relate
        // would find the same, building a topology graph for each pair.
        var segmentsB = Segments(lineB).ToList();
        foreach (var (p0, p1) in Segments(lineA))
            foreach (var (q0, q1) in segmentsB)
                if (Overlap(p0, p1, q0, q1))
                    return true;
        return false;
    }

    private static IEnumerable<(Coordinate, Coordinate)> Segments(Geometry lines)
    {
        for (var l = 0; l < lines.NumGeometries; l++)
        {
            var points = ((LineString)lines.GetGeometryN(l)).CoordinateSequence;
            for (var k = 0; k + 1 < points.Count; k++)
                if (!points.GetCoordinate(k).Equals2D(points.GetCoordinate(k + 1)))
                    yield return (points.GetCoordinate(k), points.GetCoordinate(k + 1));
        }
    }

    /// <summary>Whether segments p and q (neither of zero length) lie on one line and share a piece of positive length.</summary>
    private static bool Overlap(Coordinate p0, Coordinate p1, Coordinate q0, Coordinate q1)
    {
        if (Math.Max(p0.X, p1.X) < Math.Min(q0.X, q1.X) || Math.Max(q0.X, q1.X) < Math.Min(p0.X, p1.X)
            || Math.Max(p0.Y, p1.Y) < Math.Min(q0.Y, q1.Y) || Math.Max(q0.Y, q1.Y) < Math.Min(p0.Y, p1.Y))
            return false;
        if (Orientation.Index(p0, p1, q0) != OrientationIndex.Collinear || Orientation.Index(p0, p1, q1) != OrientationIndex.Collinear)
            return false;
        // On one line, compare the projections on the axis along which p runs the most.
        var alongX = Math.Abs(p1.X - p0.X) >= Math.Abs(p1.Y - p0.Y);
        double P(Coordinate c) => alongX ? c.X : c.Y;
        return Math.Max(Math.Min(P(p0), P(p1)), Math.Min(P(q0), P(q1))) < Math.Min(Math.Max(P(p0), P(p1)), Math.Max(P(q0), P(q1)));
    }

    /// <summary>The runs of consecutive ring segments of <paramref name="area"/> whose envelope meets <paramref name="window"/>.</summary>
    private static MultiLineString BoundaryWithin(Geometry area, Envelope window)
    {
        var runs = new List<LineString>();
        var run = new List<Coordinate>();
        void Close()
        {
            if (run.Count > 1)
                runs.Add(area.Factory.CreateLineString(run.ToArray()));
            run.Clear();
        }
        for (var p = 0; p < area.NumGeometries; p++)
        {
            var polygon = (Polygon)area.GetGeometryN(p);
            for (var r = 0; r <= polygon.NumInteriorRings; r++)
            {
                var ring = (r == 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(r - 1)).CoordinateSequence;
                for (var k = 0; k + 1 < ring.Count; k++)
                {
                    var from = ring.GetCoordinate(k);
                    var to = ring.GetCoordinate(k + 1);
                    if (!window.Intersects(from, to))
                    {
                        Close();
                        continue;
                    }
                    if (run.Count == 0)
                        run.Add(from);
                    run.Add(to);
                }
                Close();
            }
        }
        return area.Factory.CreateMultiLineString(runs.ToArray());
    }
}
