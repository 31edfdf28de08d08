using System.IO.Compression;

namespace Analytics.Testing;

/// <summary>Reads the demo world's files back the way a user's tool would.</summary>
public static class SemicolonCsv
{
    /// <summary>Rows of a semicolon CSV (gzip when the name ends in .gz) as dictionaries keyed by header.</summary>
    public static IEnumerable<Dictionary<string, string>> Read(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal))
            stream = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(';');
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(';');
            var row = new Dictionary<string, string>(header.Length);
            for (var i = 0; i < header.Length; i++)
                row[header[i]] = fields[i];
            yield return row;
        }
    }
}
