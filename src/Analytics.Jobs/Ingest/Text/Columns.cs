using System.Globalization;
using System.Text;
using Analytics.Models.Privacy;

namespace Analytics.Jobs.Ingest.Text;

/// <summary>
/// Finds the columns a loader needs in a header, by name or by one of its French and English
/// aliases, whatever the case, accents or punctuation ("Code INSEE", "code_insee" and "CODE-INSEE"
/// are the same column). Refuses headers that name a direct identifier.
/// </summary>
public sealed class Columns
{
    private readonly string fileName;
    private readonly List<string> normalised;

    public IReadOnlyList<string> Header { get; }

    public Columns(string fileName, IReadOnlyList<string> header)
    {
        this.fileName = fileName;
        Header = header;
        normalised = header.Select(Normalise).ToList();
        for (var i = 0; i < header.Count; i++)
        {
            // A header cell holding an identifier is named by its position: header names are echoed in refusals.
            if (DirectIdentifiers.DescribeValue(header[i]) is { } held)
                throw new IngestException(fileName, 1, $"#{i + 1}",
                    $"this header cell holds {held}, a direct identifier: only pseudonymised aggregates are accepted, so the whole file is refused");
            var kind = DirectIdentifiers.DescribeColumn(header[i]);
            if (kind is not null)
                throw new IngestException(fileName, 1, header[i],
                    $"this column holds {kind}, a direct identifier: only pseudonymised aggregates are accepted, so the whole file is refused. Remove the column and load the file again");
        }
        var duplicate = normalised.Where(n => n.Length > 0).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new IngestException(fileName, 1, duplicate.Key, "two columns have this name: which one to use is ambiguous");
    }

    public int Count => Header.Count;

    /// <summary>The index of the column named <paramref name="name"/> or one of its aliases, or -1.</summary>
    public int Find(string name, params string[] aliases)
    {
        foreach (var candidate in aliases.Prepend(name))
        {
            var index = normalised.IndexOf(Normalise(candidate));
            if (index >= 0)
                return index;
        }
        return -1;
    }

    /// <summary>Like <see cref="Find"/>, but a missing column refuses the file, listing the names accepted.</summary>
    public int Require(string name, params string[] aliases)
    {
        var index = Find(name, aliases);
        if (index < 0)
            throw new IngestException(fileName, 1, name,
                $"the header has no '{name}' column (accepted names: {string.Join(", ", aliases.Prepend(name))}); columns found: {string.Join(", ", Header)}");
        return index;
    }

    /// <summary>A direct identifier in any field refuses the whole file; the message names the column and never the value.</summary>
    public void ScreenForIdentifiers(CsvRecord record)
    {
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var kind = DirectIdentifiers.DescribeValue(record.Fields[i]);
            if (kind is not null)
                throw new IngestException(fileName, record.Line, i < Header.Count ? Header[i] : $"#{i + 1}",
                    $"a value here is {kind}, a direct identifier: only pseudonymised aggregates are accepted, so the whole file is refused");
        }
    }

    /// <summary>Values are echoed in reasons only briefly: enough to find them, never a whole field of unknown content.</summary>
    public static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>Lower case, no accents, runs of anything but letters and digits turned into one '_'.</summary>
    public static string Normalise(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            if (char.IsAsciiLetterOrDigit(c))
                builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '_')
                builder.Append('_');
        }
        return builder.ToString().TrimEnd('_');
    }
}
