using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Jobs.Demo;
using Analytics.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Analytics.Jobs.Tests.Demo;

[Collection(RegionWorldCollection.Name)]
public partial class DemoTerritoryTests(RegionWorldFixture region)
{
    private List<(Geometry Geometry, Dictionary<string, object?> Attributes)> Layer(string table) =>
        DemoFiles.ReadGeoPackage(region.PathOf("territories.gpkg"), table);

    [Fact]
    public void the_region_scale_has_about_1200_communes_60_epci_4_departements_and_an_overseas_one()
    {
        var communes = Layer("commune");
        Assert.InRange(communes.Count, 1_150, 1_300);
        Assert.InRange(Layer("epci").Count, 60, 66);
        Assert.Equal(["22", "29", "35", "56", "971"], Layer("departement").Select(d => (string)d.Attributes["code"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["01", "53"], Layer("region").Select(d => (string)d.Attributes["code"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void every_commune_is_a_valid_polygon_in_the_brittany_like_extent_or_the_overseas_block()
    {
        foreach (var (geometry, attributes) in Layer("commune"))
        {
            Assert.True(geometry.IsValid, $"commune {attributes["code"]} is not a valid polygon");
            Assert.Equal(2154, geometry.SRID);
            Assert.True(geometry.Area > 1e5, $"commune {attributes["code"]} is smaller than 0.1 km²");
            var e = geometry.EnvelopeInternal;
            if (((string)attributes["code"]!).StartsWith("971", StringComparison.Ordinal))
                Assert.True(e.MaxX < 0, "overseas communes lie in their own block, west of the mainland");
            else
                Assert.True(e.MinX >= 80_000 && e.MaxX <= 420_000 && e.MinY >= 6_680_000 && e.MaxY <= 6_900_000,
                    $"commune {attributes["code"]} lies outside the Brittany-like extent: {e}");
        }
    }

    [Fact]
    public void communes_do_not_overlap_and_leave_no_gap_inside_their_departement()
    {
        var communes = Layer("commune");
        var index = new STRtree<Geometry>();
        foreach (var (g, _) in communes)
            index.Insert(g.EnvelopeInternal, g);
        var overlap = 0.0;
        foreach (var (g, _) in communes)
            foreach (var other in index.Query(g.EnvelopeInternal).Where(o => !ReferenceEquals(o, g)))
                overlap += OverlayNGRobust.Overlay(g, other, SpatialFunction.Intersection).Area;
        var total = communes.Sum(c => c.Geometry.Area);

        Assert.True(overlap / total < 1e-9, $"communes overlap over {overlap / 1e6:F6} km²");

        // No gap: each département's outline holds exactly the area of its communes (no hole left between them).
        foreach (var (departement, attributes) in Layer("departement"))
        {
            var code = (string)attributes["code"]!;
            var members = communes.Where(c => (string)c.Attributes["departement_code"]! == code).Sum(c => c.Geometry.Area);
            var holes = departement is Polygon p ? p.NumInteriorRings : Enumerable.Range(0, departement.NumGeometries).Sum(i => ((Polygon)departement.GetGeometryN(i)).NumInteriorRings);
            Assert.Equal(0, holes);
            Assert.True(Math.Abs(members - departement.Area) / departement.Area < 1e-9, $"département {code}: communes cover {members / 1e6:F3} km² of {departement.Area / 1e6:F3} km²");
        }
    }

    [Fact]
    public void each_departement_is_the_union_of_its_communes()
    {
        var communes = Layer("commune");
        foreach (var (departement, attributes) in Layer("departement"))
        {
            var code = (string)attributes["code"]!;
            var union = OverlayNGRobust.Union(communes.Where(c => (string)c.Attributes["departement_code"]! == code).Select(c => c.Geometry).ToList());
            var difference = OverlayNGRobust.Overlay(union, departement, SpatialFunction.SymDifference).Area;

            Assert.True(Math.Abs(union.Area - departement.Area) / departement.Area < 0.001, $"département {code}: area differs by more than 0.1%");
            Assert.True(difference / departement.Area < 0.001, $"département {code}: {difference / 1e6:F3} km² lie in one but not the other");
        }
    }

    [Fact]
    public void every_territory_has_its_parent_and_codes_follow_insee_forms()
    {
        var communes = Layer("commune");
        var epci = Layer("epci");
        var departements = Layer("departement");
        var regions = Layer("region");
        var epciParent = epci.ToDictionary(e => (string)e.Attributes["code"]!, e => (string)e.Attributes["parent_code"]!);
        var departementParent = departements.ToDictionary(d => (string)d.Attributes["code"]!, d => (string)d.Attributes["parent_code"]!);
        var regionCodes = regions.Select(r => (string)r.Attributes["code"]!).ToHashSet();

        foreach (var (_, a) in communes)
        {
            var code = (string)a["code"]!;
            var departement = (string)a["departement_code"]!;
            Assert.Matches(CommuneCode(), code);
            Assert.StartsWith(departement, code);
            Assert.True(epciParent.TryGetValue((string)a["parent_code"]!, out var epciDepartement), $"commune {code}: its EPCI is missing");
            Assert.Equal(departement, epciDepartement);
            Assert.Equal(departementParent[departement], (string)a["region_code"]!);
        }
        Assert.All(epci, e => Assert.Matches(EpciCode(), (string)e.Attributes["code"]!));
        Assert.All(departementParent.Values, r => Assert.Contains(r, regionCodes));
        Assert.All(regions, r => Assert.Null(r.Attributes["parent_code"]));
        Assert.Equal(communes.Count, communes.Select(c => (string)c.Attributes["code"]!).Distinct().Count());
    }

    [Fact]
    public void one_island_commune_lies_off_the_coast_touching_no_other_commune()
    {
        var communes = Layer("commune").Where(c => !((string)c.Attributes["code"]!).StartsWith("971", StringComparison.Ordinal)).ToList();
        var islands = communes.Where(c => !communes.Any(o => !ReferenceEquals(o.Geometry, c.Geometry) && o.Geometry.Distance(c.Geometry) < 1)).ToList();

        var island = Assert.Single(islands);
        var departement = Layer("departement").Single(d => (string)d.Attributes["code"]! == (string)island.Attributes["departement_code"]!);
        Assert.IsType<MultiPolygon>(departement.Geometry); // mainland part and the island
    }

    [Fact]
    public void the_overseas_departement_is_its_own_region_far_from_the_mainland()
    {
        var departement = Layer("departement").Single(d => (string)d.Attributes["code"]! == "971");
        var overseasRegion = Layer("region").Single(r => (string)r.Attributes["code"]! == "01");
        var mainland = Layer("region").Single(r => (string)r.Attributes["code"]! == "53");

        Assert.Equal("01", departement.Attributes["parent_code"]);
        Assert.True(Math.Abs(overseasRegion.Geometry.Area - departement.Geometry.Area) < 1);
        Assert.True(overseasRegion.Geometry.Distance(mainland.Geometry) > 100_000);
        var overseas = SemicolonCsv.Read(region.PathOf("socioeconomic_commune.csv")).Where(r => r["overseas"] == "1").ToList();
        Assert.InRange(overseas.Count, 20, 40);
        Assert.All(overseas, r => Assert.Matches("^971[0-9]{2}$", r["commune_code"]));
    }

    [Fact]
    public void the_geopackage_declares_its_layers_in_lambert_93()
    {
        using var connection = DemoFiles.Open(region.PathOf("territories.gpkg"));
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(0x47504B47, Scalar("PRAGMA application_id"));
        Assert.Equal(4, Scalar("SELECT COUNT(*) FROM gpkg_contents WHERE data_type = 'features' AND srs_id = 2154 AND table_name IN ('commune', 'epci', 'departement', 'region')"));
        Assert.Equal(4, Scalar("SELECT COUNT(*) FROM gpkg_geometry_columns WHERE column_name = 'geom' AND geometry_type_name = 'MULTIPOLYGON' AND srs_id = 2154"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM gpkg_spatial_ref_sys WHERE srs_id = 2154 AND organization = 'EPSG' AND definition LIKE '%Lambert_Conformal_Conic_2SP%'"));
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (-1, 0, 4326)"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM pragma_foreign_key_check"));
        Assert.Equal("ok", ScalarText(connection, "PRAGMA integrity_check"));
    }

    [Fact]
    public void geojson_territories_are_longitude_latitude_with_counter_clockwise_outer_rings()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(region.PathOf("territories_commune.geojson")));
        var features = json.RootElement.GetProperty("features");
        Assert.Equal(Layer("commune").Count, features.GetArrayLength());
        foreach (var feature in features.EnumerateArray())
        {
            var geometry = feature.GetProperty("geometry");
            var polygons = geometry.GetProperty("type").GetString() == "Polygon"
                ? [geometry.GetProperty("coordinates")]
                : geometry.GetProperty("coordinates").EnumerateArray().ToList();
            foreach (var polygon in polygons)
            {
                var ring = polygon[0].EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
                Assert.All(ring, p => Assert.True(p.Lon is > -12 and < 0 && p.Lat is > 46 and < 50, $"({p.Lon}, {p.Lat}) is not a west-of-Greenwich lon/lat"));
                var signedArea = 0.0;
                for (var i = 0; i + 1 < ring.Count; i++)
                    signedArea += ring[i].Lon * ring[i + 1].Lat - ring[i + 1].Lon * ring[i].Lat;
                Assert.True(signedArea > 0, $"{feature.GetProperty("properties").GetProperty("code")}: outer ring is clockwise");
            }
        }
    }

    private static string ScalarText(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    [GeneratedRegex("^([0-9]{2}[0-9]{3}|2[AB][0-9]{3}|97[0-9][0-9]{2})$")]
    private static partial Regex CommuneCode();

    [GeneratedRegex("^[0-9]{9}$")]
    private static partial Regex EpciCode();
}
