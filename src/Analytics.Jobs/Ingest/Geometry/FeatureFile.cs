using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using NtsGeometry = NetTopologySuite.Geometries.Geometry;

namespace Analytics.Jobs.Ingest.Geometry;

/// <summary>One feature of a geographic file: its position in the file, its attributes as text, its geometry.</summary>
public sealed record SourceFeature(int Index, IReadOnlyDictionary<string, string?> Attributes, NtsGeometry? Geometry);

/// <summary>
/// The features of a GeoJSON, GeoPackage or zipped Shapefile, with the coordinate reference
/// system the file declares (EPSG code), or null when it declares none.
/// </summary>
public sealed class FeatureFile
{
    public required string FileName { get; init; }
    public required int? Srid { get; init; }
    public required IReadOnlyList<SourceFeature> Features { get; init; }

    /// <summary>Reads <paramref name="path"/>, choosing the reader by content (zip, SQLite, JSON), not by extension.</summary>
    public static FeatureFile Read(string path, string fileName, string? layerHint)
    {
        var head = new byte[16];
        int read;
        using (var probe = File.OpenRead(path))
            read = probe.Read(head, 0, head.Length);
        if (read >= 4 && head[0] == 'P' && head[1] == 'K')
            return ShapefileArchive.Read(path, fileName);
        if (read >= 15 && System.Text.Encoding.ASCII.GetString(head, 0, 15) == "SQLite format 3")
            return ReadGeoPackage(path, fileName, layerHint);
        if (read > 0)
            return ReadGeoJson(path, fileName);
        throw new IngestException(fileName, null, null, "the file is empty");
    }

    private static FeatureFile ReadGeoJson(string path, string fileName)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        int? srid = 4326; // RFC 7946: longitude/latitude on WGS 84 unless an old-style "crs" member says otherwise
        try
        {
            var bytes = File.ReadAllBytes(path);
            using (var document = JsonDocument.Parse(bytes))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("type", out var type) || type.GetString() != "FeatureCollection")
                    throw new IngestException(fileName, null, null, "this is JSON but not a GeoJSON FeatureCollection");
                if (document.RootElement.TryGetProperty("crs", out var crs))
                    srid = SridFromCrsMember(crs, fileName);
            }
            var collection = JsonSerializer.Deserialize<FeatureCollection>(bytes, options);
            if (collection is null)
                throw new IngestException(fileName, null, null, "not a GeoJSON FeatureCollection");
            // Inside the try: attribute values are converted here, and a 100,000-digit number fails here.
            var features = collection.Select((f, i) => new SourceFeature(i + 1, AttributesOf(f.Attributes), f.Geometry)).ToList();
            return new FeatureFile { FileName = fileName, Srid = srid, Features = features };
        }
        catch (JsonException e)
        {
            throw new IngestException(fileName, e.LineNumber + 1, null, $"not valid GeoJSON: {e.Message.Split(" Path:")[0]}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or OverflowException or NotSupportedException)
        {
            // A number the JSON reader cannot hold (100,000 digits), coordinates NTS cannot build…
            throw new IngestException(fileName, null, null, $"not valid GeoJSON: {Text.Columns.Truncate(e.Message)}");
        }
    }

    private static int SridFromCrsMember(JsonElement crs, string fileName)
    {
        var name = crs.TryGetProperty("properties", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var code = name.Split(':', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase))
            return 4326;
        if (int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var srid))
            return srid;
        throw new IngestException(fileName, null, "crs", $"the GeoJSON 'crs' member names a coordinate system this loader cannot identify ('{Text.Columns.Truncate(name)}'); use an EPSG code such as urn:ogc:def:crs:EPSG::2154");
    }

    private static FeatureFile ReadGeoPackage(string path, string fileName, string? layerHint)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var layers = new List<(string Table, string Column, int Srs)>();
            using (var command = connection.CreateCommand())
            {
                // Only real tables: a layer that is a view runs whatever query the file's author wrote
                // (a recursive view producing rows without end) each time it is read.
                command.CommandText = """
                    SELECT c.table_name, g.column_name, g.srs_id, (SELECT m.type FROM sqlite_master m WHERE m.name = c.table_name)
                    FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                    WHERE c.data_type = 'features' ORDER BY c.table_name
                    """;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var type = reader.IsDBNull(3) ? null : reader.GetString(3);
                    if (type != "table")
                        throw new IngestException(fileName, null, null, type == "view"
                            ? $"the layer '{Text.Columns.Truncate(reader.GetString(0))}' is a view, not a table: only feature tables are read from a GeoPackage"
                            : $"the layer '{Text.Columns.Truncate(reader.GetString(0))}' listed in gpkg_contents has no table");
                    layers.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
                }
            }
            if (layers.Count == 0)
                throw new IngestException(fileName, null, null, "the GeoPackage has no feature layer");
            var layer = layers.Count == 1 ? layers[0]
                : layers.FirstOrDefault(l => string.Equals(l.Table, layerHint, StringComparison.OrdinalIgnoreCase));
            if (layer.Table is null)
                throw new IngestException(fileName, null, null,
                    $"the GeoPackage has several layers ({string.Join(", ", layers.Select(l => l.Table))}): name the one to load with --level or --layer-name");
            int? srid = null;
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
                command.Parameters.AddWithValue("$id", layer.Srs);
                using var reader = command.ExecuteReader();
                if (reader.Read() && string.Equals(reader.GetString(0), "EPSG", StringComparison.OrdinalIgnoreCase))
                    srid = reader.GetInt32(1);
            }
            var features = new List<SourceFeature>();
            var geoReader = new GeoPackageGeoReader();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT * FROM \"{layer.Table.Replace("\"", "\"\"")}\"";
                using var reader = command.ExecuteReader();
                var index = 0;
                while (reader.Read())
                {
                    index++;
                    var attributes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    NtsGeometry? geometry = null;
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var name = reader.GetName(i);
                        if (string.Equals(name, layer.Column, StringComparison.OrdinalIgnoreCase))
                        {
                            if (!reader.IsDBNull(i))
                                geometry = ReadGeometryBlob(geoReader, reader.GetValue(i), fileName, index, name);
                        }
                        else
                            attributes[name] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                    }
                    features.Add(new SourceFeature(index, attributes, geometry));
                }
            }
            return new FeatureFile { FileName = fileName, Srid = srid, Features = features };
        }
        catch (SqliteException e)
        {
            throw new IngestException(fileName, null, null, $"not a readable GeoPackage: {e.Message}");
        }
    }

    /// <summary>One GeoPackage geometry blob; a malformed one (cut short, wrong header, absurd counts) is refused by feature and column.</summary>
    private static NtsGeometry ReadGeometryBlob(GeoPackageGeoReader geoReader, object value, string fileName, int index, string column)
    {
        if (value is not byte[] blob)
            throw new IngestException(fileName, index, column, "the geometry is not a GeoPackage geometry blob");
        try
        {
            return geoReader.Read(blob);
        }
        // Out of memory too: a count of 2^31 rings fails its one array allocation, the process is fine.
        catch (Exception e) when (e is not IngestException)
        {
            throw new IngestException(fileName, index, column, $"the geometry blob is malformed and cannot be read ({e.GetType().Name})");
        }
    }

    internal static IReadOnlyDictionary<string, string?> AttributesOf(IAttributesTable? table)
    {
        var attributes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (table is null)
            return attributes;
        foreach (var name in table.GetNames())
            attributes[name] = table[name] switch
            {
                null => null,
                JsonElement { ValueKind: JsonValueKind.Null } => null,
                JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                JsonElement e => e.GetRawText(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            };
        return attributes;
    }
}
