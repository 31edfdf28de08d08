using Npgsql;

namespace Analytics.Jobs.Ingest;

public sealed record LoadProgress(Guid LoadId, string Kind, string FileName, string State, long RowsDone, long BytesDone, long BytesTotal, long? BatchId,
    string? Message, DateTimeOffset UpdatedAt);

public sealed record Batch(long Id, string Kind, string FileName, string FileSha256, string Part, string? Source, string? Licence, string LoadedBy,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Status, long RowsRead, long RowsLoaded, long RowsQuarantined, long GeometriesRepaired,
    IReadOnlyList<string> Notes, string? Error);

public sealed record Quarantined(long? Line, string? Field, string Reason);

/// <summary>What the ingest stage has done, as stewards and auditors read it: loads in progress, batches, and the records a batch refused.</summary>
public sealed class LoadHistory(NpgsqlDataSource dataSource)
{
    /// <summary>Progress and outcome of one load; null when the id is unknown.</summary>
    public async Task<LoadProgress?> ProgressAsync(Guid loadId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT load_id, kind, file_name, state, rows_done, bytes_done, bytes_total, batch_id, message, updated_at FROM ingest.progress WHERE load_id = $1
            """);
        command.Parameters.Add(new() { Value = loadId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new LoadProgress(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetFieldValue<DateTimeOffset>(9));
    }

    /// <summary>Loaded and refused batches, newest first, at most <paramref name="limit"/> (1–1,000).</summary>
    public async Task<List<Batch>> BatchesAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, kind, file_name, file_sha256, part, source, licence, loaded_by, started_at, finished_at, status,
                   rows_read, rows_loaded, rows_quarantined, geometries_repaired, notes, error
            FROM ingest.batch ORDER BY id DESC LIMIT $1
            """);
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, 1000) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batches = new List<Batch>();
        while (await reader.ReadAsync(cancellationToken))
            batches.Add(new Batch(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.GetString(10), reader.GetInt64(11),
                reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetFieldValue<string[]>(15), reader.IsDBNull(16) ? null : reader.GetString(16)));
        return batches;
    }

    /// <summary>The records batch <paramref name="batchId"/> refused, with line, field and reason (never the record's text), first 10,000.</summary>
    public async Task<List<Quarantined>> QuarantineAsync(long batchId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT line, field, reason FROM ingest.quarantine WHERE batch_id = $1 ORDER BY line NULLS LAST LIMIT 10000");
        command.Parameters.Add(new() { Value = batchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Quarantined>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new Quarantined(reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return rows;
    }
}
