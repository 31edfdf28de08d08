using Npgsql;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// What a loader works with: the open transaction all its writes go through, the batch they
/// belong to, and where rejected records and progress go.
/// </summary>
public sealed class LoadContext(NpgsqlConnection connection, NpgsqlTransaction transaction, long batchId,
    IngestRequest request, Action<long, long> reportProgress, TimeProvider clock)
{
    /// <summary>Quarantined records kept in full; beyond this only the count grows (a wholly wrong file must not exhaust memory).</summary>
    public const int MaxKeptQuarantine = 10_000;

    private readonly List<QuarantinedRecord> quarantined = [];
    private readonly List<string> notes = [];

    public NpgsqlConnection Connection { get; } = connection;
    public NpgsqlTransaction Transaction { get; } = transaction;
    public long BatchId { get; } = batchId;
    public IngestRequest Request { get; } = request;
    public IngestOptions Options => Request.Options;
    public TimeProvider Clock { get; } = clock;

    /// <summary>What a file may cost to read (decompressed size…).</summary>
    public IngestLimits Limits { get; init; } = IngestLimits.Default;

    public long RowsRead { get; set; }
    public long RowsLoaded { get; set; }
    public long GeometriesRepaired { get; set; }
    public long QuarantineCount { get; private set; }
    public IReadOnlyList<QuarantinedRecord> Quarantined => quarantined;

    /// <summary>What the steward should know about a load that did not stop it (geometries repaired, territories without parent…).</summary>
    public IReadOnlyList<string> Notes => notes;

    public void Note(string note) => notes.Add(note);

    /// <summary>
    /// Rejects one record; the batch still loads unless too large a share is rejected. Only where and why are kept,
    /// never the record's text: a refused row may hold what the product must not store.
    /// </summary>
    public void Reject(long? line, string? field, string reason)
    {
        QuarantineCount++;
        if (quarantined.Count < MaxKeptQuarantine)
            quarantined.Add(new QuarantinedRecord(line, field, reason));
    }

    public void Progress(long rowsDone, long bytesDone) => reportProgress(rowsDone, bytesDone);

    /// <summary>
    /// What every CSV loader does first with a record: count it, report progress now and then,
    /// refuse the whole file if the record holds a direct identifier, and quarantine it when it
    /// does not have the header's number of fields. True when the record goes on to the loader's checks.
    /// </summary>
    public bool Admit(Text.CsvFile file, Text.Columns columns, Text.CsvRecord record)
    {
        RowsRead++;
        if ((RowsRead & 0x3FFF) == 0)
            Progress(RowsRead, file.BytesRead);
        columns.ScreenForIdentifiers(record);
        if (record.Fields.Count == columns.Count)
            return true;
        Reject(record.Line, null, $"wrong column count: {record.Fields.Count} fields where the header has {columns.Count}");
        return false;
    }

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);
}

/// <summary>A record refused at load, with where and why.</summary>
public sealed record QuarantinedRecord(long? Line, string? Field, string Reason);
