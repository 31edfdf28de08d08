using Analytics.Jobs.Ingest;

namespace Analytics.Jobs.Tests.Ingest.Corpus;

/// <summary>One malformed input: how to write it, how it is loaded, and what its refusal must say.</summary>
/// <param name="Name">What is wrong with it, as the test case is named.</param>
/// <param name="Kind">The kind it is loaded as.</param>
/// <param name="FileName">The file's name, which the error message starts with.</param>
/// <param name="Write">Writes the file at the path given.</param>
/// <param name="Expected">The refusal it must get.</param>
public sealed record BadInput(string Name, IngestKind Kind, string FileName, Action<string> Write, Refusal Expected)
{
    public IngestOptions Options { get; init; } = IngestOptions.Default;

    /// <summary>A personal value the file carries, which must appear nowhere the refusal is recorded.</summary>
    public string? Secret { get; init; }
}

/// <summary>How a malformed input must be refused.</summary>
public abstract record Refusal;

/// <summary>
/// Refused as a whole: the error reads exactly "file[, line N][, column 'x']: …" with that line and
/// column (none when null) and contains <paramref name="Reason"/>.
/// </summary>
public sealed record RefusedWhole(string Reason, long? Line = null, string? Field = null) : Refusal;

/// <summary>
/// Too many records rejected (more than the 5% allowed): the batch fails, and each of these
/// records is in its quarantine with its line, field and a reason containing the text given.
/// </summary>
public sealed record TooManyRejected(params Rejected[] Records) : Refusal;

/// <summary>A record the quarantine must hold.</summary>
public sealed record Rejected(long? Line, string? Field, string Reason);
