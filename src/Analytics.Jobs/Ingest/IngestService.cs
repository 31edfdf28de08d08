using System.Security.Cryptography;
using System.Text.Json;
using Analytics.Jobs.Ingest.Catalog;
using Analytics.Jobs.Ingest.Health;
using Analytics.Jobs.Ingest.Layers;
using Analytics.Jobs.Ingest.Territories;
using Analytics.Jobs.Ingest.Values;
using Analytics.Jobs.Ingest.Zonings;
using Analytics.Jobs.Telemetry;
using Analytics.Models.AuditTrail;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// Loads one file, all or nothing: every row the file contributes is written in one transaction
/// that also records the batch, so an error, a cancellation or a killed process leaves nothing of
/// it behind. A refused file still gets a batch record (status failed) with its reason and its
/// quarantined rows, written after the rollback.
/// </summary>
/// <remarks>
/// The same file (same kind, same SHA-256) loaded twice is a no-op the second time; concurrent
/// loads of one file are serialised by an advisory lock. Used alike by the command line, the
/// Hangfire job and the upload endpoint. Every exception ends the load with an outcome: a refusal
/// naming file, line, field and why, or — for what is not the file's fault (the database lost…) —
/// the progress row marked failed with its reason before the exception goes on to the caller.
/// </remarks>
public sealed class IngestService(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<IngestService> logger, AuditTrail.AuditLog? audit = null, IngestLimits? limits = null)
{
    /// <summary>Options as stored with the batch; a non-finite number (refused below) must still be recordable.</summary>
    private static readonly JsonSerializerOptions OptionsJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public async Task<IngestResult> LoadAsync(IngestRequest request, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        IngestRequest.ScreenForIdentifiers(request.FileName, request.Options);
        var result = await LoadOnceAsync(request, progress, cancellationToken);
        if (audit is not null)
            await audit.AppendAsync(new AuditEntry(request.LoadedBy, AuditKinds.IngestLoad, result.BatchId is long batch ? $"batch:{batch}" : "", new System.Text.Json.Nodes.JsonObject
            {
                ["kind"] = request.Kind.Name(), ["file"] = request.FileName, ["outcome"] = result.Outcome.ToString(),
                ["rowsLoaded"] = result.RowsLoaded, ["rowsQuarantined"] = result.RowsQuarantined,
            }), CancellationToken.None);
        return result;
    }

    private async Task<IngestResult> LoadOnceAsync(IngestRequest request, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        if (!File.Exists(request.FilePath))
            throw new IngestException(request.FileName, null, null, "the file does not exist");
        var (hash, bytes) = await HashAsync(request.FilePath, cancellationToken);
        var tracker = new ProgressTracker(dataSource, request, bytes, progress, clock);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockFile = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockFile.Parameters.Add(new() { Value = $"{request.Kind.Name()}:{hash}:{request.Options.Part}" });
            await lockFile.ExecuteNonQueryAsync(cancellationToken);
        }
        var previous = await FindLoadedBatchAsync(connection, transaction, request, hash, cancellationToken);
        if (previous is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            var unchanged = new IngestResult(IngestOutcome.Unchanged, previous, request.FileName, 0, 0, 0, 0, null, [], []);
            await tracker.FinishAsync("unchanged", previous, unchanged.Describe());
            return unchanged;
        }

        await tracker.StartAsync();
        try
        {
            return await RunLoaderAsync(connection, transaction, request, hash, bytes, started, tracker, cancellationToken);
        }
        catch (Exception e)
        {
            // Not the file's fault (cancelled, database lost): no batch can be recorded, but the load
            // must not show "running" for ever. Nothing of it was written: the transaction is rolled back.
            await tracker.FinishAsync("failed", null, $"{request.FileName}: the load was interrupted ({e.GetType().Name}); nothing of it was written. Load the file again.");
            throw;
        }
        finally
        {
            await tracker.DisposeAsync();
        }
    }

    private async Task<IngestResult> RunLoaderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestRequest request, string hash, long bytes,
        DateTimeOffset started, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var batchId = await InsertBatchAsync(connection, transaction, request, hash, bytes, started, cancellationToken);
        var context = new LoadContext(connection, transaction, batchId, request, tracker.Report, clock) { Limits = limits ?? IngestLimits.Default };
        var stage = StageMetrics.Start($"ingest.{request.Kind.Name()}");
        try
        {
            CheckOptions(request);
            await LoaderFor(request).LoadAsync(context, cancellationToken);
            CheckRejectedShare(context);
            await WriteQuarantineAsync(connection, transaction, batchId, context.Quarantined, cancellationToken);
            await FinishBatchAsync(connection, transaction, batchId, context, context.RowsLoaded, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (RefusalOf(e, request.FileName) is { } message)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            var failedId = await RecordFailureAsync(request, hash, bytes, started, message, context);
            var failed = new IngestResult(IngestOutcome.Failed, failedId, request.FileName, context.RowsRead, 0, context.QuarantineCount,
                context.GeometriesRepaired, message, context.Quarantined.Take(20).ToList(), context.Notes);
            await tracker.FinishAsync("failed", failedId, message);
            logger.LogWarning("Load of {File} refused: {Reason}", request.FileName, message);
            return failed;
        }
        var result = new IngestResult(IngestOutcome.Loaded, batchId, request.FileName, context.RowsRead, context.RowsLoaded,
            context.QuarantineCount, context.GeometriesRepaired, null, context.Quarantined.Take(20).ToList(), context.Notes);
        await tracker.FinishAsync("loaded", batchId, result.Describe());
        stage.Stop(context.RowsLoaded);
        logger.LogInformation("Loaded {File} as batch {Batch}: {Rows} rows in {Elapsed} ms", request.FileName, batchId, context.RowsLoaded, (long)stage.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>Makes a load visible (state queued) from the moment it is accepted, before a worker picks it up.</summary>
    public async Task QueueAsync(IngestRequest request, CancellationToken cancellationToken = default)
    {
        IngestRequest.ScreenForIdentifiers(request.FileName, request.Options);
        await new ProgressTracker(dataSource, request, new FileInfo(request.FilePath).Length, null, clock).QueueAsync();
    }

    private static ILoader LoaderFor(IngestRequest request) => request.Kind switch
    {
        IngestKind.Catalog => new CatalogLoader(),
        IngestKind.Territories => new TerritoryLoader(),
        IngestKind.CodeChanges => new CodeChangeLoader(),
        IngestKind.Health => new HealthLoader(),
        IngestKind.Zoning => new ZoningLoader(),
        IngestKind.Socio or IngestKind.Animal or IngestKind.Environment when request.Options.Layer is not null => new LayerLoader(),
        IngestKind.Socio or IngestKind.Animal or IngestKind.Environment => new TerritoryValueLoader(),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "unknown kind"),
    };

    /// <summary>
    /// The refusal an exception stands for, or null when it is not the file's doing (cancelled, the
    /// database unreachable): those go on to the caller. A reader's unexpected exception on a hostile
    /// file is a refusal too — the file could not be read — rather than a load left running.
    /// </summary>
    private static string? RefusalOf(Exception e, string fileName) => e switch
    {
        IngestException => e.Message,
        PostgresException p when p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState.StartsWith("23", StringComparison.Ordinal) || p.SqlState == "XX000" =>
            $"{fileName}: the database refused the data ({p.MessageText})",
        OperationCanceledException or NpgsqlException or OutOfMemoryException => null,
        _ => $"{fileName}: the file cannot be read ({e.GetType().Name}: {Text.Columns.Truncate(e.Message)})",
    };

    /// <summary>Options that are numbers must be real numbers: NaN or ±Infinity would reach the geometry and the database.</summary>
    private static void CheckOptions(IngestRequest request)
    {
        var options = request.Options;
        if (!(double.IsFinite(options.MaxRejectedShare) && options.MaxRejectedShare is >= 0 and <= 1))
            throw new IngestException(request.FileName, null, "maxRejectedShare",
                FormattableString.Invariant($"the share of rejected rows allowed must be a number between 0 and 1 (got {options.MaxRejectedShare})"));
        if (options.CellSize is { } size && !double.IsFinite(size))
            throw new IngestException(request.FileName, null, "cellSize", FormattableString.Invariant($"the grid cell size must be a finite number of metres (got {size})"));
    }

    private static void CheckRejectedShare(LoadContext context)
    {
        if (context.RowsRead == 0 && context.QuarantineCount == 0)
            throw new IngestException(context.Request.FileName, null, null, "the file has no data rows");
        var share = context.RowsRead == 0 ? 1 : (double)context.QuarantineCount / context.RowsRead;
        if (share > context.Options.MaxRejectedShare)
        {
            var reasons = context.Quarantined.GroupBy(q => q.Reason.Split(':')[0]).OrderByDescending(g => g.Count())
                .Take(3).Select(g => $"{g.Key} (e.g. line {g.First().Line})");
            throw new IngestException(context.Request.FileName, null, null,
                $"{context.QuarantineCount:N0} of {context.RowsRead:N0} records were rejected ({share:P1}), more than the {context.Options.MaxRejectedShare:P0} allowed; " +
                $"most common reasons: {string.Join("; ", reasons)}");
        }
    }

    private static async Task<(string Hash, long Bytes)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    private static async Task<long?> FindLoadedBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestRequest request, string hash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM ingest.batch WHERE kind = $1 AND file_sha256 = $2 AND part = $3 AND status = 'loaded'", connection, transaction);
        command.Parameters.Add(new() { Value = request.Kind.Name() });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = request.Options.Part });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    private static async Task<long> InsertBatchAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IngestRequest request, string hash, long bytes,
        DateTimeOffset started, CancellationToken cancellationToken, string status = "loaded", string? error = null)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest.batch (kind, file_name, file_sha256, file_bytes, source, licence, loaded_by, options, started_at, finished_at, status, error, part)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) RETURNING id
            """, connection, transaction);
        command.Parameters.Add(new() { Value = request.Kind.Name() });
        command.Parameters.Add(new() { Value = request.FileName });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = bytes });
        command.Parameters.Add(new() { Value = (object?)request.Options.Source ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)request.Options.Licence ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.LoadedBy });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(request.Options, OptionsJson), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = started });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.Options.Part });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task FinishBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long batchId, LoadContext context, long rowsLoaded, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE ingest.batch SET finished_at = $2, rows_read = $3, rows_loaded = $4, rows_quarantined = $5, geometries_repaired = $6, notes = $7
            WHERE id = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = batchId });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = context.RowsRead });
        command.Parameters.Add(new() { Value = rowsLoaded });
        command.Parameters.Add(new() { Value = context.QuarantineCount });
        command.Parameters.Add(new() { Value = context.GeometriesRepaired });
        command.Parameters.Add(new() { Value = context.Notes.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> RecordFailureAsync(IngestRequest request, string hash, long bytes, DateTimeOffset started, string error, LoadContext context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        var id = await InsertBatchAsync(connection, transaction, request, hash, bytes, started, CancellationToken.None, "failed", error);
        await FinishBatchAsync(connection, transaction, id, context, rowsLoaded: 0, CancellationToken.None);
        await WriteQuarantineAsync(connection, transaction, id, context.Quarantined, CancellationToken.None);
        await transaction.CommitAsync();
        return id;
    }

    private static async Task WriteQuarantineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long batchId,
        IReadOnlyList<QuarantinedRecord> records, CancellationToken cancellationToken)
    {
        _ = transaction; // COPY runs in the connection's current transaction
        if (records.Count == 0)
            return;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY ingest.quarantine (batch_id, line, field, reason) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var record in records)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(batchId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(record.Line, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(record.Field, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(record.Reason, NpgsqlDbType.Text, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}

/// <summary>Where a running load is: rows and bytes done, bytes in all.</summary>
public sealed record IngestProgress(string FileName, long RowsDone, long BytesDone, long BytesTotal);
