using Analytics.Models.Spatial;
using NetTopologySuite.Geometries;

namespace Analytics.Models.Tests.Spatial;

/// <summary>
/// Hand-made squares in metres, each case's neighbours known by construction. The real-world check
/// against the PostGIS builder is <c>Analytics.Jobs.Tests.Features.NeighbourBuildersOnBretagneTests</c>.
/// </summary>
public class ContiguousNeighboursTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 2154);

    private static Polygon Box(double west, double south, double east, double north) =>
        Factory.CreatePolygon([new(west, south), new(east, south), new(east, north), new(west, north), new(west, south)]);

    private static Polygon Square(double west, double south, double size = 1_000) => Box(west, south, west + size, south + size);

    private static int[][] Lists(IReadOnlyList<Geometry> areas, Contiguity rule, double tolerance = 0) =>
        ContiguousNeighbours.Build(areas, rule, tolerance).Select(l => l.ToArray()).ToArray();

    [Fact]
    public void queen_counts_a_corner_touch_and_rook_does_not()
    {
        // A 3 × 3 chessboard, row by row from the south-west: 4 is the centre, 0 a corner.
        var board = (from row in Enumerable.Range(0, 3) from column in Enumerable.Range(0, 3) select (Geometry)Square(column * 1_000, row * 1_000)).ToList();

        var queen = Lists(board, Contiguity.Queen);
        var rook = Lists(board, Contiguity.Rook);

        Assert.Equal([0, 1, 2, 3, 5, 6, 7, 8], queen[4]);
        Assert.Equal([1, 3, 5, 7], rook[4]);
        Assert.Equal([1, 3, 4], queen[0]);
        Assert.Equal([1, 3], rook[0]);
    }

    [Fact]
    public void a_stretch_shared_without_common_vertices_makes_rook_neighbours()
    {
        // Two squares on top of a long strip: the strip has no vertex where the squares meet.
        var areas = new Geometry[] { Box(0, 0, 2_000, 1_000), Square(0, 1_000), Square(1_000, 1_000) };

        Assert.Equal([[1, 2], [0, 2], [0, 1]], Lists(areas, Contiguity.Rook));
    }

    [Fact]
    public void a_sliver_gap_narrower_than_the_tolerance_is_closed_and_a_wider_one_is_not()
    {
        // 0.5 m between the first two (the second slid 300 m north, so their vertices do not face each other);
        // 2 m between the second and the third.
        var areas = new Geometry[] { Square(0, 0), Square(1_000.5, 300), Square(2_002.5, 300) };

        Assert.Equal([[], [], []], Lists(areas, Contiguity.Queen));
        Assert.Equal([[1], [0], []], Lists(areas, Contiguity.Queen, tolerance: 1));
        Assert.Equal([[1], [0], []], Lists(areas, Contiguity.Rook, tolerance: 1));
        Assert.Equal([[1], [0, 2], [1]], Lists(areas, Contiguity.Rook, tolerance: 3));
    }

    [Fact]
    public void an_overlap_sliver_is_queen_at_once_and_rook_within_the_tolerance()
    {
        // Overlapping by 0.5 m, the second 300 m further north: the boundaries only cross at two points.
        var areas = new Geometry[] { Square(0, 0), Square(999.5, 300) };

        Assert.Equal([[1], [0]], Lists(areas, Contiguity.Queen));
        Assert.Equal([[], []], Lists(areas, Contiguity.Rook));
        Assert.Equal([[1], [0]], Lists(areas, Contiguity.Rook, tolerance: 1));
    }

    [Fact]
    public void corners_snapped_together_stay_a_corner_and_make_no_rook_neighbours()
    {
        var areas = new Geometry[] { Square(0, 0), Square(1_000.4, 1_000.4) };

        Assert.Equal([[1], [0]], Lists(areas, Contiguity.Queen, tolerance: 1));
        Assert.Equal([[], []], Lists(areas, Contiguity.Rook, tolerance: 1));
    }

    [Fact]
    public void an_island_keeps_an_empty_list_and_the_weights_report_it()
    {
        var areas = new Geometry[] { Square(0, 0), Square(1_000, 0), Square(50_000, 0) };

        var rook = ContiguousNeighbours.Build(areas, Contiguity.Rook, tolerance: 10);

        Assert.Empty(rook[2]);
        Assert.Equal([2], SpatialWeights.FromNeighbours(rook, WeightStyle.RowStandardised).Islands);
    }

    [Fact]
    public void a_multipolygon_is_a_neighbour_through_any_of_its_parts()
    {
        // Area 0 has a part at each end; area 1 shares an edge with the first, area 2 a corner with the second.
        var twoParts = Factory.CreateMultiPolygon([Square(0, 0), Square(10_000, 0)]);
        var areas = new Geometry[] { twoParts, Square(1_000, 0), Square(11_000, 1_000) };

        Assert.Equal([[1, 2], [0], [0]], Lists(areas, Contiguity.Queen));
        Assert.Equal([[1], [0], []], Lists(areas, Contiguity.Rook));
    }

    [Fact]
    public void an_enclave_is_a_rook_neighbour_of_the_area_around_it()
    {
        var around = Factory.CreatePolygon(Box(0, 0, 3_000, 3_000).Shell, [Square(1_000, 1_000).Shell]);
        var areas = new Geometry[] { around, Square(1_000, 1_000) };

        Assert.Equal([[1], [0]], Lists(areas, Contiguity.Rook));
    }

    [Fact]
    public void what_is_not_a_polygon_or_a_distance_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ContiguousNeighbours.Build([Factory.CreatePoint(new Coordinate(0, 0))], Contiguity.Queen));
        Assert.Throws<ArgumentException>(() => ContiguousNeighbours.Build([Factory.CreatePolygon()], Contiguity.Queen));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContiguousNeighbours.Build([Square(0, 0)], Contiguity.Queen, tolerance: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContiguousNeighbours.Build([Square(0, 0)], Contiguity.Queen, tolerance: double.NaN));
    }
}
