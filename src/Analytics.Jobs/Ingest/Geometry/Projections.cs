using System.Text.RegularExpressions;

namespace Analytics.Jobs.Ingest.Geometry;

/// <summary>
/// Identifies the EPSG code of a Shapefile's .prj (ESRI WKT), which rarely states it: by an
/// AUTHORITY clause when present, else by the names French producers' files use.
/// </summary>
public static partial class Projections
{
    private static readonly (string Pattern, int Srid)[] KnownNames =
    [
        ("lambert_93", 2154), ("lambert-93", 2154), ("lambert93", 2154), ("rgf93_v1_lambert_93", 2154),
        ("wgs_84_web_mercator", 3857), ("web_mercator", 3857), ("pseudo_mercator", 3857),
        ("rgr92_utm_zone_40s", 2975), ("rgfg95_utm_zone_22n", 2972), ("rgm04_utm_zone_38s", 4471),
        ("wgs_1984_utm_zone_20n", 32620), ("rrgf_utm_zone_20n", 5490), ("rgaf09_utm_zone_20n", 5490),
        ("lambert_ii_etendu", 27572), ("ntf_paris_lambert_zone_ii", 27572),
        ("gcs_wgs_1984", 4326), ("wgs_84", 4326), ("gcs_rgf_1993", 4171), ("rgf93", 4171),
    ];

    public static int SridFromWkt(string wkt, string fileName)
    {
        // The root element's own AUTHORITY closes the text; inner ones (datum, unit) do not count.
        var authority = Authority().Match(wkt.Trim());
        if (authority.Success)
            return int.Parse(authority.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var name = Name().Match(wkt);
        if (name.Success)
        {
            var key = name.Groups[1].Value.ToLowerInvariant().Replace(' ', '_');
            foreach (var (pattern, srid) in KnownNames)
                if (key.Contains(pattern, StringComparison.Ordinal))
                    return srid;
        }
        throw new IngestException(fileName, null, ".prj",
            $"the coordinate system '{(name.Success ? name.Groups[1].Value : "unnamed")}' is not one this loader recognises; load again with --srid and its EPSG code (2154 for Lambert-93)");
    }

    [GeneratedRegex(@"AUTHORITY\[""EPSG"",\s*""?(\d+)""?\]\s*\]\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Authority();

    [GeneratedRegex(@"^\s*(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS)\[""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Name();
}
