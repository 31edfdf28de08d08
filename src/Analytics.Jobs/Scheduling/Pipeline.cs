using System.Security.Cryptography;
using System.Text;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Training;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// The whole pipeline, stage by stage: ingest of the drop folder's manifest → features build → training of
/// every model specification. <see cref="PipelineJob"/> runs each stage as its own Hangfire job, chained by
/// continuations; the command line may run them in its own process (<c>pipeline run --inline</c>).
/// </summary>
/// <remarks>
/// <para><b>Idempotent, keyed by inputs.</b> A stage that succeeded is not run again for its run (a second
/// delivery does nothing). Across runs, unchanged inputs do nothing: a file already loaded is not loaded
/// again (its SHA-256), a features build whose input key (the loaded batches, the index definition, the
/// build of the code) equals the latest build's is skipped, and a model already trained on the same dataset
/// version by the same build is not trained again.</para>
/// <para><b>Leases.</b> A running stage beats every 3 s (<see cref="Heartbeat"/>); another delivery takes it
/// over only once that beat is older than the lease timeout, and a worker that lost its lease cannot mark
/// the stage finished. A failed stage fails its run with the reason and stops the chain: what is published
/// is untouched (the features steps replace their own outputs; releases need a reviewer).</para>
/// </remarks>
public sealed class Pipeline(
    NpgsqlDataSource dataSource, TimeProvider clock, IngestService ingest, ModelSpecifications specifications, ModelTraining training,
    IOptions<PipelineOptions> options, IOptions<JobsOptions> jobs)
{
    public static IReadOnlyList<string> Stages { get; } = ["ingest", "features", "training"];

    public sealed record StageView(string Stage, string Status, string? Detail, int Attempts, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Worker);

    public sealed record RunView(long Id, string Trigger, string RequestedBy, string? Manifest, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
        string? Error, IReadOnlyList<StageView> Stages);

    /// <summary>Records a run; its stages are then run by <see cref="PipelineJob.Enqueue"/> or <see cref="RunInlineAsync"/>.</summary>
    /// <param name="trigger"><c>schedule</c>, <c>command_line</c> or <c>api</c>.</param>
    /// <param name="requestedBy">Who or what asked.</param>
    /// <param name="manifest">Load manifest of the ingest stage; null: <see cref="PipelineOptions.DropManifest"/>.</param>
    /// <param name="cancellationToken">Stops the insert.</param>
    public async Task<long> CreateRunAsync(string trigger, string requestedBy, string? manifest = null, CancellationToken cancellationToken = default)
    {
        manifest ??= options.Value.DropManifest;
        await using var command = dataSource.CreateCommand("INSERT INTO ops.pipeline_run (trigger, requested_by, manifest) VALUES ($1, $2, $3) RETURNING id");
        command.Parameters.Add(new() { Value = trigger });
        command.Parameters.Add(new() { Value = requestedBy });
        command.Parameters.Add(new() { Value = (object?)manifest ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every stage in order, in this process, each reported as it ends; stops at the first that fails.</summary>
    public async Task RunInlineAsync(long runId, Action<string> report, CancellationToken cancellationToken = default)
    {
        foreach (var stage in Stages)
        {
            await RunStageAsync(runId, stage, cancellationToken);
            var view = (await RunAsync(runId, cancellationToken))!.Stages.Single(s => s.Stage == stage);
            report($"{stage}: {view.Status} — {view.Detail}");
        }
    }

    /// <summary>Runs one stage of a run, unless it already succeeded (or was skipped) for that run.</summary>
    /// <exception cref="TransientStageException">The database could not be reached, or a live worker holds the stage: try again later.</exception>
    public async Task RunStageAsync(long runId, string stage, CancellationToken cancellationToken = default)
    {
        if (!Stages.Contains(stage))
            throw new ArgumentException($"no pipeline stage '{stage}' (stages: {string.Join(", ", Stages)})");
        long stageId;
        try
        {
            var claimed = await ClaimAsync(runId, stage, cancellationToken);
            if (claimed is null)
            {
                var existing = (await RunAsync(runId, cancellationToken))?.Stages.SingleOrDefault(s => s.Stage == stage);
                if (existing?.Status is "succeeded" or "skipped")
                    return;
                throw new TransientStageException($"stage {stage} of pipeline run {runId} is held by {existing?.Worker}, alive", null);
            }
            stageId = claimed.Value;
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            throw new TransientStageException($"stage {stage} of pipeline run {runId} could not start: {e.Message}", e);
        }

        await using var heartbeat = new Heartbeat(dataSource, "UPDATE ops.pipeline_stage SET heartbeat_at = now() WHERE id = $1 AND worker = $2", stageId);
        try
        {
            var (status, detail, key) = stage switch
            {
                "ingest" => await IngestAsync(runId, cancellationToken),
                "features" => await FeaturesAsync(cancellationToken),
                _ => await TrainAsync(runId, cancellationToken),
            };
            await FinishAsync(runId, stageId, stage, status, detail, key, null, cancellationToken);
        }
        catch (Exception e) when (e is not TransientStageException)
        {
            var transient = e is NpgsqlException { IsTransient: true } or TimeoutException;
            await FinishAsync(runId, stageId, stage, "failed", e.Message, null, transient ? null : e.Message, CancellationToken.None);
            if (transient)
                throw new TransientStageException($"stage {stage} of pipeline run {runId}: {e.Message}", e);
            throw;
        }
    }

    /// <summary>The latest runs, newest first, with their stages.</summary>
    public async Task<IReadOnlyList<RunView>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        var ids = new List<long>();
        await using (var command = dataSource.CreateCommand("SELECT id FROM ops.pipeline_run ORDER BY id DESC LIMIT $1"))
        {
            command.Parameters.Add(new() { Value = count });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                ids.Add(reader.GetInt64(0));
        }
        var runs = new List<RunView>();
        foreach (var id in ids)
            runs.Add((await RunAsync(id, cancellationToken))!);
        return runs;
    }

    public async Task<RunView?> RunAsync(long runId, CancellationToken cancellationToken = default)
    {
        var stages = new List<StageView>();
        await using (var command = dataSource.CreateCommand(
            "SELECT stage, status, detail, attempts, started_at, finished_at, worker FROM ops.pipeline_stage WHERE run_id = $1 ORDER BY id"))
        {
            command.Parameters.Add(new() { Value = runId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                stages.Add(new StageView(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6)));
        }
        await using var run = dataSource.CreateCommand(
            "SELECT trigger, requested_by, manifest, status, created_at, finished_at, error FROM ops.pipeline_run WHERE id = $1");
        run.Parameters.Add(new() { Value = runId });
        await using var row = await run.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
            return null;
        return new RunView(runId, row.GetString(0), row.GetString(1), row.IsDBNull(2) ? null : row.GetString(2), row.GetString(3),
            row.GetFieldValue<DateTimeOffset>(4), row.IsDBNull(5) ? null : row.GetFieldValue<DateTimeOffset>(5), row.IsDBNull(6) ? null : row.GetString(6), stages);
    }

    // Inserts the stage's row, or takes over one that failed or whose worker stopped beating; null when it
    // is done or held by a live worker.
    private async Task<long?> ClaimAsync(long runId, string stage, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Database.StageSql.Load("Scheduling/Sql/claim_pipeline_stage.sql"));
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = stage });
        command.Parameters.Add(new() { Value = Leases.Worker });
        command.Parameters.Add(new() { Value = TimeSpan.FromSeconds(jobs.Value.LeaseTimeoutSeconds) });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    // Ends the stage if this worker still holds it; a failure (error not null) fails the run, the last stage ends it.
    private async Task FinishAsync(long runId, long stageId, string stage, string status, string? detail, string? key, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(
            "UPDATE ops.pipeline_stage SET status = $3, detail = $4, input_key = $5, finished_at = $6 WHERE id = $1 AND worker = $2", connection, transaction))
        {
            update.Parameters.Add(new() { Value = stageId });
            update.Parameters.Add(new() { Value = Leases.Worker });
            update.Parameters.Add(new() { Value = status });
            update.Parameters.Add(new() { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new() { Value = (object?)key ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new() { Value = clock.GetUtcNow() });
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new InvalidOperationException($"stage {stage} of pipeline run {runId} was taken over by another worker: this one's result is not recorded");
        }
        var runStatus = error is not null ? "failed" : status != "failed" && stage == Stages[^1] ? "succeeded" : null;
        if (runStatus is not null)
        {
            await using var run = new NpgsqlCommand("UPDATE ops.pipeline_run SET status = $2, finished_at = $3, error = $4 WHERE id = $1", connection, transaction);
            run.Parameters.Add(new() { Value = runId });
            run.Parameters.Add(new() { Value = runStatus });
            run.Parameters.Add(new() { Value = clock.GetUtcNow() });
            run.Parameters.Add(new() { Value = error is null ? DBNull.Value : $"{stage}: {error}", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await run.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<(string, string, string?)> IngestAsync(long runId, CancellationToken cancellationToken)
    {
        var manifestPath = (await RunAsync(runId, cancellationToken))!.Manifest;
        if (manifestPath is null)
            return ("skipped", "no drop manifest configured (Pipeline:DropManifest)", null);
        var manifest = LoadManifest.Read(manifestPath);
        int loaded = 0, unchanged = 0;
        foreach (var entry in manifest.Loads)
        {
            var result = await ingest.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), $"pipeline:{runId}", entry.Options ?? IngestOptions.Default),
                cancellationToken: cancellationToken);
            if (result.Outcome == IngestOutcome.Failed)
                throw new InvalidOperationException($"{entry.File} was refused: {result.Describe()}");
            if (result.Outcome == IngestOutcome.Loaded)
                loaded++;
            else
                unchanged++;
        }
        return (loaded == 0 ? "skipped" : "succeeded", $"{loaded} file(s) loaded, {unchanged} unchanged, from {manifestPath}", null);
    }

    private async Task<(string, string, string?)> FeaturesAsync(CancellationToken cancellationToken)
    {
        var indexPath = Path.GetFullPath(options.Value.IndexDefinition);
        if (!File.Exists(indexPath))
            throw new FileNotFoundException($"the cumulative index definition {indexPath} does not exist (setting {PipelineOptions.Section}:{nameof(PipelineOptions.IndexDefinition)})");
        var definition = await File.ReadAllTextAsync(indexPath, cancellationToken);
        string batches;
        string? latest;
        await using (var command = dataSource.CreateCommand("""
            SELECT (SELECT coalesce(string_agg(id || ':' || file_sha256 || ':' || part, ',' ORDER BY id), '') FROM ingest.batch WHERE status = 'loaded'),
                   (SELECT input_key FROM features.build ORDER BY id DESC LIMIT 1)
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            batches = reader.GetString(0);
            latest = reader.IsDBNull(1) ? null : reader.GetString(1);
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{batches}\n{definition}\n{ModelTraining.CodeVersion}")));
        if (key == latest)
            return ("skipped", "inputs unchanged since the latest build", key);
        var lines = await new FeatureBuild(dataSource, clock).RunAsync(null, CumulativeIndexBuild.ReadDefinition(definition, indexPath), key, cancellationToken);
        return ("succeeded", lines[^1], key);
    }

    private async Task<(string, string, string?)> TrainAsync(long runId, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        var trained = 0;
        foreach (var spec in specifications.All())
        {
            if (await training.SameRunAsync(spec, cancellationToken) is long run)
            {
                done.Add($"{spec.Code}: unchanged (run {run})");
                continue;
            }
            var outcome = await training.RunAsync(spec, $"pipeline:{runId}", cancellationToken);
            trained++;
            done.Add($"{spec.Code}: run {outcome.RunId}" + (outcome.ReleaseId is long release ? $", release {release} pending review" : ", failed its checks"));
        }
        return (trained == 0 ? "skipped" : "succeeded", string.Join("; ", done), null);
    }
}

/// <summary>A stage met a passing problem (database unreachable, lease held): Hangfire retries it with backoff.</summary>
public sealed class TransientStageException(string message, Exception? inner) : Exception(message, inner);
