using Analytics.Models.Privacy;

namespace Analytics.Jobs.Ingest;

/// <summary>One file to load: what it is, where it is, who asks, and how to read it.</summary>
/// <param name="Kind">What the file holds.</param>
/// <param name="FilePath">Where the bytes are (a temporary path for uploads).</param>
/// <param name="FileName">The name the user knows the file by, used in messages and the batch record.</param>
/// <param name="LoadedBy">The account that asked for the load.</param>
/// <param name="Options">How to read the file.</param>
public sealed record IngestRequest(IngestKind Kind, string FilePath, string FileName, string LoadedBy, IngestOptions Options)
{
    /// <summary>Identifies this load in <c>ingest.progress</c> while it runs.</summary>
    public Guid LoadId { get; init; } = Guid.NewGuid();

    /// <summary>What a refusal names instead of a file name that holds a direct identifier.</summary>
    public const string WithheldFileName = "(file name withheld)";

    /// <summary>
    /// Refuses a file name or a text option (source, licence, field names…) holding a direct identifier, before
    /// anything of the request is stored, logged or audited: they go to the progress row, the batch, the audit log.
    /// The refusal names the field and the kind of identifier, never the value, nor the file name when it is the culprit.
    /// </summary>
    /// <exception cref="IngestException">Something holds a direct identifier.</exception>
    public static void ScreenForIdentifiers(string fileName, IngestOptions options)
    {
        if (DirectIdentifiers.DescribeValue(fileName) is { } inName)
            throw new IngestException(WithheldFileName, null, "file name",
                $"the file's name holds {inName}, a direct identifier: rename the file and send it again");
        foreach (var (field, value) in new (string, string?)[]
                 {
                     ("source", options.Source), ("licence", options.Licence), ("level", options.Level), ("codeField", options.CodeField),
                     ("nameField", options.NameField), ("parentField", options.ParentField), ("parentLevel", options.ParentLevel),
                     ("period", options.Period), ("layer", options.Layer), ("layerName", options.LayerName), ("zoning", options.Zoning),
                 })
            if (value is not null && DirectIdentifiers.DescribeValue(value) is { } kind)
                throw new IngestException(fileName, null, field, $"this option holds {kind}, a direct identifier: the load is refused");
        foreach (var (column, value) in options.Columns ?? new Dictionary<string, string>())
            if ((DirectIdentifiers.DescribeValue(column) ?? DirectIdentifiers.DescribeValue(value)) is { } kind)
                throw new IngestException(fileName, null, "columns", $"a column mapping holds {kind}, a direct identifier: the load is refused");
    }
}

public enum IngestOutcome
{
    /// <summary>The file's rows are in the database as a new batch.</summary>
    Loaded,
    /// <summary>The same file was loaded before: nothing was done.</summary>
    Unchanged,
    /// <summary>Nothing of the file is in the database; the batch record says why.</summary>
    Failed,
}

/// <summary>What a load did, as reported to the command line, the API and the job dashboard.</summary>
public sealed record IngestResult(
    IngestOutcome Outcome, long? BatchId, string FileName, long RowsRead, long RowsLoaded, long RowsQuarantined,
    long GeometriesRepaired, string? Error, IReadOnlyList<QuarantinedRecord> QuarantineSample, IReadOnlyList<string> Notes)
{
    public string Describe() => Outcome switch
    {
        IngestOutcome.Unchanged => $"{FileName}: already loaded as batch {BatchId}; nothing to do",
        IngestOutcome.Loaded => $"{FileName}: loaded as batch {BatchId}: {RowsLoaded:N0} of {RowsRead:N0} records"
                                + (RowsQuarantined > 0 ? $", {RowsQuarantined:N0} quarantined" : "")
                                + (GeometriesRepaired > 0 ? $", {GeometriesRepaired:N0} geometries repaired" : ""),
        _ => $"{Error} (nothing was loaded; batch {BatchId} records the failure)",
    };
}
