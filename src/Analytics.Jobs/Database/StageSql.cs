using System.Collections.Concurrent;
using System.Text;

namespace Analytics.Jobs.Database;

/// <summary>
/// The SQL a stage runs, kept as <c>.sql</c> files in a <c>Sql</c> folder beside the stage's code
/// (embedded at build time), so a query can be read, diffed and tried in psql as it is. A query is
/// named by its path in the project: <c>StageSql.Load("Release/Sql/priority_list.sql")</c>.
/// </summary>
public static class StageSql
{
    private static readonly ConcurrentDictionary<string, string> Loaded = new(StringComparer.Ordinal);

    public static string Load(string path) => Loaded.GetOrAdd(path, static path =>
    {
        var assembly = typeof(StageSql).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.Replace('\\', '/') == "sql/" + path)
            ?? throw new InvalidOperationException($"No embedded query '{path}': stage SQL must be a .sql file in a Sql folder of Analytics.Jobs.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });
}
