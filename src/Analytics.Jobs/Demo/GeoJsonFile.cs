using System.Buffers;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Demo;

/// <summary>A feature to write: its Lambert-93 geometry and its properties, in column order.</summary>
internal sealed record DemoFeature(Geometry Geometry, IReadOnlyList<(string Name, object? Value)> Properties);

/// <summary>
/// Writes RFC 7946 GeoJSON: WGS 84 longitude/latitude (reprojected from Lambert-93), six
/// decimals (≈ 0.1 m), exterior rings counter-clockwise, no "crs" member. One feature per line,
/// so that files diff well.
/// </summary>
internal static class GeoJsonFile
{
    private static readonly byte[] Header = "{\"type\":\"FeatureCollection\",\"features\":[\n"u8.ToArray();
    private static readonly byte[] Separator = ",\n"u8.ToArray();
    private static readonly byte[] Footer = "\n]}\n"u8.ToArray();

    public static void Write(string path, IEnumerable<DemoFeature> features)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        file.Write(Header);
        var buffer = new ArrayBufferWriter<byte>();
        var first = true;
        foreach (var feature in features)
        {
            if (!first)
                file.Write(Separator);
            first = false;
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WritePropertyName("properties");
                json.WriteStartObject();
                foreach (var (name, value) in feature.Properties)
                {
                    json.WritePropertyName(name);
                    WriteValue(json, value);
                }
                json.WriteEndObject();
                json.WritePropertyName("geometry");
                WriteGeometry(json, feature.Geometry);
                json.WriteEndObject();
            }
            file.Write(buffer.WrittenSpan);
        }
        file.Write(Footer);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case double d: json.WriteNumberValue(d); break;
            case bool b: json.WriteBooleanValue(b); break;
            default: throw new ArgumentException($"no GeoJSON form for a {value.GetType().Name} property");
        }
    }

    private static void WriteGeometry(Utf8JsonWriter json, Geometry geometry)
    {
        json.WriteStartObject();
        switch (geometry)
        {
            case Point p:
                json.WriteString("type", "Point");
                json.WritePropertyName("coordinates");
                WritePosition(json, p.Coordinate);
                break;
            case Polygon polygon:
                json.WriteString("type", "Polygon");
                json.WritePropertyName("coordinates");
                WritePolygon(json, polygon);
                break;
            case MultiPolygon multi:
                json.WriteString("type", "MultiPolygon");
                json.WritePropertyName("coordinates");
                json.WriteStartArray();
                for (var i = 0; i < multi.NumGeometries; i++)
                    WritePolygon(json, (Polygon)multi.GetGeometryN(i));
                json.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"no GeoJSON writer for {geometry.GeometryType}");
        }
        json.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter json, Polygon polygon)
    {
        json.WriteStartArray();
        WriteRing(json, polygon.Shell.IsCCW ? polygon.Shell : polygon.Shell.Reverse());
        foreach (var hole in polygon.Holes)
            WriteRing(json, hole.IsCCW ? hole.Reverse() : hole);
        json.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter json, Geometry ring)
    {
        json.WriteStartArray();
        foreach (var c in ring.Coordinates)
            WritePosition(json, c);
        json.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter json, Coordinate c)
    {
        var (lon, lat) = Lambert93.ToWgs84(c.X, c.Y);
        json.WriteStartArray();
        json.WriteNumberValue(Math.Round(lon, 6));
        json.WriteNumberValue(Math.Round(lat, 6));
        json.WriteEndArray();
    }
}
