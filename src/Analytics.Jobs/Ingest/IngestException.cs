namespace Analytics.Jobs.Ingest;

/// <summary>
/// A file refused as a whole, with where and why: which file, which line and column when known,
/// and a reason a data steward can act on. Never carries the offending value when it could be
/// personal data.
/// </summary>
public sealed class IngestException(string file, long? line, string? field, string reason)
    : Exception(Describe(file, line, field, reason))
{
    public string File { get; } = file;
    public long? Line { get; } = line;
    public string? Field { get; } = field;
    public string Reason { get; } = reason;

    private static string Describe(string file, long? line, string? field, string reason) =>
        file + (line is null ? "" : $", line {line:N0}") + (field is null ? "" : $", column '{field}'") + ": " + reason;
}
