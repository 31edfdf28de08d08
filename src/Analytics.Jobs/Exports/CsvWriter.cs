namespace Analytics.Jobs.Exports;

/// <summary>
/// Writes every CSV the product produces — exports, reports and the demo world's files: <c>;</c>-separated (or
/// <c>,</c> when a user asks),
/// <c>"\n"</c> line ends, each cell through <see cref="CsvCell.Of"/> (neutralised against formula injection, quoted
/// when it holds a separator, a quote or a line break). Numbers are formatted by the caller, with the invariant culture.
/// </summary>
public sealed class CsvWriter(TextWriter writer, char separator = CsvCell.Separator)
{
    /// <summary>One row; <paramref name="cells"/> are the raw values.</summary>
    public void Row(params IEnumerable<string> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
                writer.Write(separator);
            writer.Write(CsvCell.Of(cell, separator));
            first = false;
        }
        writer.Write('\n');
    }
}
