using Analytics.Jobs.Database;
using Analytics.Jobs.Demo;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Analytics.Jobs.Exports;

/// <summary>A feature: its geometry and its attribute values, in the layer's column order.</summary>
public sealed record GeoPackageFeature(Geometry Geometry, IReadOnlyList<object?> Values);

/// <summary>A feature table: its name, description, coordinate system (4326 or 2154), attribute columns (name, SQLite type) and features.</summary>
public sealed record GeoPackageLayer(string Table, string Description, int Srid, IReadOnlyList<(string Name, string Type)> Columns, IReadOnlyList<GeoPackageFeature> Features);

/// <summary>
/// Writes an OGC GeoPackage 1.3 of MultiPolygon layers in WGS 84 (EPSG:4326) or Lambert-93 (EPSG:2154):
/// the required <c>gpkg_spatial_ref_sys</c>, <c>gpkg_contents</c> and <c>gpkg_geometry_columns</c> tables,
/// the 'GPKG' application id, geometries encoded by NetTopologySuite's GeoPackage writer and, when given,
/// key–value metadata as an attribute table <c>provenance</c>. No spatial index (an optional extension):
/// QGIS and GDAL read the file without one.
/// </summary>
public static class GeoPackageFile
{
    /// <summary>
    /// Writes the file at <paramref name="path"/>; <paramref name="lastChange"/> (ISO 8601, UTC) is gpkg_contents'
    /// required date — a fixed value keeps a generated file byte-identical.
    /// </summary>
    public static void Write(string path, IReadOnlyList<GeoPackageLayer> layers, string lastChange, IReadOnlyList<(string Key, string Value)>? provenance = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;");
        Execute(connection, StageSql.Load("Exports/Sql/geopackage_tables.sql"));
        using (var srs = Command(connection, "INSERT INTO gpkg_spatial_ref_sys VALUES ($name, $id, $org, $orgId, $def, $desc)"))
        {
            foreach (var (name, id, org, orgId, def, desc) in new[]
            {
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
                ("WGS 84 geodetic", 4326, "EPSG", 4326, Lambert93.Wgs84Wkt, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
                ("RGF93 v1 / Lambert-93", 2154, "EPSG", 2154, Lambert93.Wkt, "French official projected CRS for mainland France (metres)"),
            })
            {
                srs.Parameters.AddWithValue("$name", name);
                srs.Parameters.AddWithValue("$id", id);
                srs.Parameters.AddWithValue("$org", org);
                srs.Parameters.AddWithValue("$orgId", orgId);
                srs.Parameters.AddWithValue("$def", def);
                srs.Parameters.AddWithValue("$desc", desc);
                srs.ExecuteNonQuery();
                srs.Parameters.Clear();
            }
        }

        // XY only: the writer defaults to XYZM, which would contradict the z = 0, m = 0 the layers declare.
        var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
        foreach (var layer in layers)
            WriteLayer(connection, layer, writer, lastChange);
        if (provenance is not null)
            WriteProvenance(connection, provenance, lastChange);
    }

    private static void WriteProvenance(SqliteConnection connection, IReadOnlyList<(string Key, string Value)> provenance, string lastChange)
    {
        Execute(connection, "CREATE TABLE provenance (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL)");
        using (var insert = Command(connection, "INSERT INTO provenance (key, value) VALUES ($k, $v)"))
            foreach (var (key, value) in provenance)
            {
                insert.Parameters.AddWithValue("$k", key);
                insert.Parameters.AddWithValue("$v", value);
                insert.ExecuteNonQuery();
                insert.Parameters.Clear();
            }
        using var contents = Command(connection,
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('provenance', 'attributes', 'provenance', $d, $c)");
        contents.Parameters.AddWithValue("$d", "Provenance: source, licence, vintage, build");
        contents.Parameters.AddWithValue("$c", lastChange);
        contents.ExecuteNonQuery();
    }

    private static void WriteLayer(SqliteConnection connection, GeoPackageLayer layer, GeoPackageGeoWriter writer, string lastChange)
    {
        var columns = string.Concat(layer.Columns.Select(c => $", \"{c.Name}\" {c.Type}"));
        Execute(connection, $"CREATE TABLE \"{layer.Table}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON{columns})");
        var envelope = new Envelope();
        using (var transaction = connection.BeginTransaction())
        {
            var names = string.Join(", ", layer.Columns.Select(c => $"\"{c.Name}\""));
            var values = string.Join(", ", layer.Columns.Select((_, i) => $"$p{i}"));
            using var insert = Command(connection, $"INSERT INTO \"{layer.Table}\" (geom, {names}) VALUES ($geom, {values})");
            insert.Transaction = transaction;
            var geometry = insert.Parameters.Add("$geom", SqliteType.Blob);
            var parameters = layer.Columns.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
            foreach (var feature in layer.Features)
            {
                var multi = feature.Geometry as MultiPolygon ?? feature.Geometry.Factory.CreateMultiPolygon([(Polygon)feature.Geometry]);
                multi.SRID = layer.Srid;
                envelope.ExpandToInclude(multi.EnvelopeInternal);
                geometry.Value = writer.Write(multi);
                for (var i = 0; i < parameters.Length; i++)
                {
                    var value = feature.Values[i];
                    parameters[i].SqliteType = value switch { int or long => SqliteType.Integer, double => SqliteType.Real, _ => SqliteType.Text };
                    parameters[i].Value = value ?? DBNull.Value;
                }
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        using var contents = Command(connection,
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) " +
            "VALUES ($t, 'features', $t, $d, $c, $x0, $y0, $x1, $y1, $srid)");
        contents.Parameters.AddWithValue("$t", layer.Table);
        contents.Parameters.AddWithValue("$d", layer.Description);
        contents.Parameters.AddWithValue("$c", lastChange);
        contents.Parameters.AddWithValue("$srid", layer.Srid);
        contents.Parameters.AddWithValue("$x0", envelope.MinX);
        contents.Parameters.AddWithValue("$y0", envelope.MinY);
        contents.Parameters.AddWithValue("$x1", envelope.MaxX);
        contents.Parameters.AddWithValue("$y1", envelope.MaxY);
        contents.ExecuteNonQuery();
        using var geometryColumn = Command(connection, "INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', 'MULTIPOLYGON', $srid, 0, 0)");
        geometryColumn.Parameters.AddWithValue("$srid", layer.Srid);
        geometryColumn.Parameters.AddWithValue("$t", layer.Table);
        geometryColumn.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
