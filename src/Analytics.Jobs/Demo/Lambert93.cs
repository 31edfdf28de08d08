using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Analytics.Jobs.Demo;

/// <summary>
/// RGF93 v1 / Lambert-93 (EPSG:2154) to WGS 84 longitude/latitude (EPSG:4326), with ProjNET.
/// RGF93 and WGS 84 agree to well under a metre, so no datum shift is applied (TOWGS84 zeros, as
/// EPSG publishes it).
/// </summary>
public static class Lambert93
{
    /// <summary>EPSG:2154 in OGC WKT 1 (the EPSG registry's definition), also stored in the GeoPackage.</summary>
    public const string Wkt =
        "PROJCS[\"RGF93 v1 / Lambert-93\",GEOGCS[\"RGF93 v1\",DATUM[\"Reseau_Geodesique_Francais_1993_v1\"," +
        "SPHEROID[\"GRS 1980\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"7019\"]],TOWGS84[0,0,0,0,0,0,0],AUTHORITY[\"EPSG\",\"6171\"]]," +
        "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]]," +
        "AUTHORITY[\"EPSG\",\"4171\"]],PROJECTION[\"Lambert_Conformal_Conic_2SP\"],PARAMETER[\"latitude_of_origin\",46.5]," +
        "PARAMETER[\"central_meridian\",3],PARAMETER[\"standard_parallel_1\",49],PARAMETER[\"standard_parallel_2\",44]," +
        "PARAMETER[\"false_easting\",700000],PARAMETER[\"false_northing\",6600000],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]]," +
        "AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"2154\"]]";

    /// <summary>EPSG:4326 in OGC WKT 1, for the GeoPackage's spatial reference table.</summary>
    public const string Wgs84Wkt =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]]," +
        "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]]," +
        "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]";

    private static readonly MathTransform ToWgs84Transform = new CoordinateTransformationFactory()
        .CreateFromCoordinateSystems((CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(Wkt), GeographicCoordinateSystem.WGS84)
        .MathTransform;

    /// <summary>Longitude and latitude in degrees of a Lambert-93 point.</summary>
    public static (double Longitude, double Latitude) ToWgs84(double x, double y)
    {
        lock (ToWgs84Transform) // ProjNET transforms are not documented as thread-safe
        {
            var (lon, lat) = ToWgs84Transform.Transform(x, y);
            return (lon, lat);
        }
    }
}
