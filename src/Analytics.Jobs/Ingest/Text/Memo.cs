namespace Analytics.Jobs.Ingest.Text;

/// <summary>
/// Remembers what a parser said of each distinct text. Extracts repeat the same few codes, sexes,
/// age bands and periods millions of times; parsing each once makes large loads several times
/// faster. Stops remembering past a bound, so memory stays flat whatever the file.
/// </summary>
public sealed class Memo<T>(Func<string, T> parse, int capacity = 100_000)
{
    private readonly Dictionary<string, T> known = new(StringComparer.Ordinal);

    public T this[string text]
    {
        get
        {
            if (known.TryGetValue(text, out var value))
                return value;
            value = parse(text);
            if (known.Count < capacity)
                known[text] = value;
            return value;
        }
    }
}
