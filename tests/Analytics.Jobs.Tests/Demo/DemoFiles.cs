using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Analytics.Jobs.Tests.Demo;

/// <summary>Reads demo files back the way a user's tool would.</summary>
internal static class DemoFiles
{
    /// <summary>Every feature of a GeoPackage table: geometry and attribute columns by name.</summary>
    public static List<(Geometry Geometry, Dictionary<string, object?> Attributes)> ReadGeoPackage(string path, string table)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY fid";
        using var reader = command.ExecuteReader();
        var geoReader = new GeoPackageGeoReader { HandleSRID = true };
        var result = new List<(Geometry, Dictionary<string, object?>)>();
        while (reader.Read())
        {
            var attributes = new Dictionary<string, object?>();
            Geometry? geometry = null;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (reader.GetName(i) == "geom")
                    geometry = geoReader.Read((byte[])reader.GetValue(i));
                else
                    attributes[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            result.Add((geometry!, attributes));
        }
        return result;
    }

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
