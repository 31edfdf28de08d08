using System.Globalization;
using System.IO.Compression;
using System.Text;
using Analytics.Jobs.Exports;

namespace Analytics.Jobs.Demo;

/// <summary>
/// Writes a CSV the way INSEE-style files come: semicolon-separated, UTF-8 without BOM, "\n"
/// line ends, a point as decimal separator, invariant culture for every number. A path ending
/// in <c>.gz</c> is gzip-compressed (no timestamp in the header, so output stays byte-stable). Cells go through
/// the product's one <see cref="CsvWriter"/>.
/// </summary>
internal sealed class DemoCsv : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly CsvWriter _csv;

    private DemoCsv(StreamWriter writer)
    {
        _writer = writer;
        _csv = new CsvWriter(writer);
    }

    public static DemoCsv Create(string path, params string[] header)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Stream stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        if (path.EndsWith(".gz", StringComparison.Ordinal))
            stream = new GZipStream(stream, CompressionLevel.Optimal);
        var csv = new DemoCsv(new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" });
        csv.Row(header);
        return csv;
    }

    public void Row(params string[] fields) => _csv.Row(fields);

    /// <summary>A number with a fixed count of decimals; never "-0.0".</summary>
    public static string Number(double value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
            rounded = 0; // drops the sign of negative zero
        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _writer.Dispose();
}
