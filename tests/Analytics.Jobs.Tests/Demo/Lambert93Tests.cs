using Analytics.Jobs.Demo;

namespace Analytics.Jobs.Tests.Demo;

public class Lambert93Tests
{
    [Fact]
    public void the_projection_origin_is_3_degrees_east_46_5_north()
    {
        // EPSG:2154 defines false easting 700,000 m and false northing 6,600,000 m at (3°E, 46.5°N).
        var (lon, lat) = Lambert93.ToWgs84(700_000, 6_600_000);

        Assert.Equal(3.0, lon, 6); // 1e-6° ≈ 0.1 m: ProjNET inverts the projection iteratively
        Assert.Equal(46.5, lat, 6);
    }

    [Fact]
    public void brest_and_strasbourg_land_where_they_are()
    {
        // Approximate Lambert-93 positions of the two city centres and their known longitude/latitude (±0.05°).
        var (brestLon, brestLat) = Lambert93.ToWgs84(146_000, 6_839_000);
        var (strasbourgLon, strasbourgLat) = Lambert93.ToWgs84(1_050_000, 6_840_000);

        Assert.InRange(brestLon, -4.54, -4.44);
        Assert.InRange(brestLat, 48.34, 48.44);
        Assert.InRange(strasbourgLon, 7.70, 7.80);
        Assert.InRange(strasbourgLat, 48.53, 48.63);
    }
}
