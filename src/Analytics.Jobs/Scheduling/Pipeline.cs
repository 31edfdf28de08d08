using System.Security.Cryptography;
using System.Text;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Training;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Scheduling;

/// <summary>
/// The whole pipeline, stage by stage: ingest of the drop folder's manifest → features build → training, split
/// into one unit per model specification. <see cref="PipelineJob"/> runs the ingest and the features build as one
/// Hangfire job each and every training unit as its own job, all chained by continuations, so that the units run
/// in parallel across workers; the command line may run the same stages and units in sequence in its own process
/// (<c>pipeline run --inline</c>).
/// </summary>
/// <remarks>
/// <para><b>Idempotent, keyed by inputs.</b> A stage (or unit) that succeeded is not run again for its run (a second
/// delivery does nothing). Across runs, unchanged inputs do nothing: a file already loaded is not loaded again (its
/// SHA-256), a features build whose input key (the loaded batches, the index definition, the build of the code)
/// equals the latest build's is skipped, and a model already trained on the same dataset version by the same build
/// is not trained again.</para>
/// <para><b>Leases.</b> A running stage beats every 3 s (<see cref="Heartbeat"/>); another delivery takes it
/// over only once that beat is older than the lease timeout, and a worker that lost its lease cannot mark
/// the stage finished. A failed stage or unit fails its run with the reason: the chain stops, and no unit starts
/// once its run has failed; what is published is untouched (the features steps replace their own outputs;
/// releases need a reviewer). The run succeeds when every stage and unit it planned has succeeded or been
/// skipped.</para>
/// </remarks>
public sealed class Pipeline(
    NpgsqlDataSource dataSource, TimeProvider clock, IngestService ingest, ModelSpecifications specifications, ModelTraining training,
    IOptions<PipelineOptions> options, IOptions<JobsOptions> jobs)
{
    public static IReadOnlyList<string> Stages { get; } = ["ingest", "features", "training"];

    /// <summary>A stage of a run, or a unit of a split stage: <c>Unit</c> is, for training, the model specification's code; null for ingest and features.</summary>
    public sealed record StageView(string Stage, string? Unit, string Status, string? Detail, int Attempts, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Worker)
    {
        public override string ToString() => Unit is null ? Stage : $"{Stage} {Unit}";
    }

    /// <summary>A run; <c>TrainingUnits</c> are the model specifications it trains, one training unit each (read when the run was created).</summary>
    public sealed record RunView(long Id, string Trigger, string RequestedBy, string? Manifest, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
        string? Error, IReadOnlyList<string> TrainingUnits, IReadOnlyList<StageView> Stages);

    /// <summary>
    /// Records a run and its training units (the codes of the model specifications found now); its stages are then
    /// run by <see cref="PipelineJob.Enqueue"/> or <see cref="RunInlineAsync"/>.
    /// </summary>
    /// <param name="trigger"><c>schedule</c>, <c>command_line</c> or <c>api</c>.</param>
    /// <param name="requestedBy">Who or what asked.</param>
    /// <param name="manifest">Load manifest of the ingest stage; null: <see cref="PipelineOptions.DropManifest"/>.</param>
    /// <param name="cancellationToken">Stops the insert.</param>
    public async Task<long> CreateRunAsync(string trigger, string requestedBy, string? manifest = null, CancellationToken cancellationToken = default)
    {
        manifest ??= options.Value.DropManifest;
        var units = specifications.All().Select(s => s.Code).ToArray();
        await using var command = dataSource.CreateCommand("INSERT INTO ops.pipeline_run (trigger, requested_by, manifest, training_units) VALUES ($1, $2, $3, $4) RETURNING id");
        command.Parameters.Add(new() { Value = trigger });
        command.Parameters.Add(new() { Value = requestedBy });
        command.Parameters.Add(new() { Value = (object?)manifest ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = units });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Every stage in order, then every training unit one after the other, in this process, each reported as it
    /// ends; stops at the first that fails. Nothing retries here, so a transient failure fails the run too.
    /// </summary>
    public async Task RunInlineAsync(long runId, Action<string> report, CancellationToken cancellationToken = default)
    {
        var run = await RunAsync(runId, cancellationToken) ?? throw new ArgumentException($"no pipeline run {runId}");
        var work = Stages.Where(s => s != "training").Select(s => (Stage: s, Unit: (string?)null))
            .Concat(run.TrainingUnits.Select(u => ("training", (string?)u)));
        foreach (var (stage, unit) in work)
        {
            await RunStageAsync(runId, stage, unit, retried: false, cancellationToken);
            var view = (await RunAsync(runId, cancellationToken))!.Stages.Single(s => s.Stage == stage && s.Unit == unit);
            report($"{view}: {view.Status} — {view.Detail}");
        }
    }

    /// <summary>
    /// Runs one stage of a run — for training, one unit: the model specification <paramref name="unit"/> — unless it
    /// already succeeded (or was skipped) for that run, or the run is over.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="stage">One of <see cref="Stages"/>.</param>
    /// <param name="unit">For training, the model specification's code; null otherwise.</param>
    /// <param name="retried">Whether a <see cref="TransientStageException"/> will be retried (a Hangfire job with retries
    /// left): when not, a transient failure fails the run with its reason instead of leaving it running.</param>
    /// <param name="cancellationToken">Stops the stage.</param>
    /// <exception cref="TransientStageException">The database could not be reached, or a live worker holds the stage: try again later.</exception>
    public async Task RunStageAsync(long runId, string stage, string? unit = null, bool retried = false, CancellationToken cancellationToken = default)
    {
        if (!Stages.Contains(stage))
            throw new ArgumentException($"no pipeline stage '{stage}' (stages: {string.Join(", ", Stages)})");
        if ((stage == "training") != (unit is not null))
            throw new ArgumentException(stage == "training" ? "a training unit names its model specification" : $"stage {stage} has no units");
        var name = unit is null ? stage : $"{stage} {unit}";
        long stageId;
        try
        {
            var run = await RunAsync(runId, cancellationToken) ?? throw new ArgumentException($"no pipeline run {runId}");
            if (unit is not null && !run.TrainingUnits.Contains(unit))
                throw new ArgumentException($"pipeline run {runId} plans no training unit '{unit}' (units: {string.Join(", ", run.TrainingUnits)})");
            var claimed = await ClaimAsync(runId, stage, unit, cancellationToken);
            if (claimed is null && await SilentForAsync(runId, stage, unit, cancellationToken) is TimeSpan silent && silent > 2 * Leases.HeartbeatInterval)
            {
                // The holder has missed beats: most likely it died, and this is Hangfire handing its job out again,
                // which happens about when the lease expires. Waiting out the lease spares a retry: a worker killed
                // again and again would otherwise exhaust the job's retries and leave its run without a job.
                var lease = TimeSpan.FromSeconds(jobs.Value.LeaseTimeoutSeconds);
                if (silent < lease)
                    await Task.Delay(lease - silent + TimeSpan.FromSeconds(1), clock, cancellationToken);
                claimed = await ClaimAsync(runId, stage, unit, cancellationToken);
            }
            if (claimed is null)
            {
                run = (await RunAsync(runId, cancellationToken))!;
                var existing = run.Stages.SingleOrDefault(s => s.Stage == stage && s.Unit == unit);
                // Done already, or the run ended (a stage or unit failed): a second delivery does nothing.
                if (existing?.Status is "succeeded" or "skipped" || run.Status is "succeeded" or "failed")
                    return;
                throw new TransientStageException($"{name} of pipeline run {runId} is held by {existing?.Worker}, alive", null);
            }
            stageId = claimed.Value;
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw new TransientStageException($"{name} of pipeline run {runId} could not start: {e.Message}", e);
        }

        await using var heartbeat = new Heartbeat(dataSource, "UPDATE ops.pipeline_stage SET heartbeat_at = now() WHERE id = $1 AND worker = $2", stageId);
        (string Status, string Detail, string? Key) outcome;
        try
        {
            outcome = stage switch
            {
                "ingest" => await IngestAsync(runId, cancellationToken),
                "features" => await FeaturesAsync(cancellationToken),
                _ => await TrainAsync(runId, unit!, cancellationToken),
            };
        }
        catch (Exception e) when (e is not TransientStageException)
        {
            var transient = IsTransient(e);
            var error = transient && retried ? null : transient ? $"{e.Message} (a passing failure, not retried further)" : e.Message;
            await FinishOrRetryAsync(runId, stageId, name, "failed", e.Message, null, error, retried, e);
            if (transient)
                throw new TransientStageException($"{name} of pipeline run {runId}: {e.Message}", e);
            throw;
        }
        await FinishOrRetryAsync(runId, stageId, name, outcome.Status, outcome.Detail, outcome.Key, null, retried, null);
    }

    /// <summary>
    /// Whether <paramref name="e"/>, or one it wraps, is a passing failure: the database unreachable, restarting, or
    /// too slow to answer. A loader or a parallel step may wrap the driver's exception in its own.
    /// </summary>
    public static bool IsTransient(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is NpgsqlException { IsTransient: true } or TimeoutException)
                return true;
            // The server shut down (restart, fail-over) or was not yet accepting connections.
            if (inner is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow })
                return true;
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient))
                return true;
        }
        return false;
    }

    // Records how the stage ended. When the database cannot record it (it is what failed), a delivery with retries
    // left asks to be retried: its row, still "running" without beats, is taken over after the lease timeout.
    private async Task FinishOrRetryAsync(long runId, long stageId, string name, string status, string? detail, string? key, string? error, bool retried, Exception? cause)
    {
        try
        {
            await FinishAsync(runId, stageId, name, status, detail, key, error, CancellationToken.None);
        }
        catch (Exception e) when (retried && IsTransient(e))
        {
            throw new TransientStageException($"{name} of pipeline run {runId}: its end could not be recorded: {e.Message}", cause ?? e);
        }
    }

    /// <summary>The latest runs, newest first, with their stages.</summary>
    public Task<IReadOnlyList<RunView>> LatestAsync(int count, CancellationToken cancellationToken = default) =>
        ReadRunsAsync("ORDER BY id DESC LIMIT $1", count, cancellationToken);

    public async Task<RunView?> RunAsync(long runId, CancellationToken cancellationToken = default) =>
        (await ReadRunsAsync("WHERE id = $1", runId, cancellationToken)).SingleOrDefault();

    // The runs the clause selects, in its order, with their stages: two statements however many runs (the data screen
    // reads the latest runs each time it opens and while it follows one).
    private async Task<IReadOnlyList<RunView>> ReadRunsAsync(string selection, object argument, CancellationToken cancellationToken)
    {
        var runs = new List<RunView>();
        await using (var command = dataSource.CreateCommand(
            "SELECT id, trigger, requested_by, manifest, status, created_at, finished_at, error, training_units FROM ops.pipeline_run " + selection))
        {
            command.Parameters.Add(new() { Value = argument });
            await using var row = await command.ExecuteReaderAsync(cancellationToken);
            while (await row.ReadAsync(cancellationToken))
                runs.Add(new RunView(row.GetInt64(0), row.GetString(1), row.GetString(2), row.IsDBNull(3) ? null : row.GetString(3), row.GetString(4),
                    row.GetFieldValue<DateTimeOffset>(5), row.IsDBNull(6) ? null : row.GetFieldValue<DateTimeOffset>(6), row.IsDBNull(7) ? null : row.GetString(7),
                    row.GetFieldValue<string[]>(8), []));
        }
        if (runs.Count == 0)
            return runs;
        var stages = runs.ToDictionary(run => run.Id, _ => new List<StageView>());
        await using (var command = dataSource.CreateCommand(
            "SELECT run_id, stage, unit, status, detail, attempts, started_at, finished_at, worker FROM ops.pipeline_stage WHERE run_id = ANY($1) ORDER BY id"))
        {
            command.Parameters.Add(new() { Value = stages.Keys.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                stages[reader.GetInt64(0)].Add(new StageView(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8)));
        }
        return runs.Select(run => run with { Stages = stages[run.Id] }).ToList();
    }

    // Inserts the stage's row, or takes over one that failed or whose worker stopped beating; null when it
    // is done, held by a live worker, or its run is over.
    private async Task<long?> ClaimAsync(long runId, string stage, string? unit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Database.StageSql.Load("Scheduling/Sql/claim_pipeline_stage.sql"));
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = stage });
        command.Parameters.Add(new() { Value = Leases.Worker });
        command.Parameters.Add(new() { Value = TimeSpan.FromSeconds(jobs.Value.LeaseTimeoutSeconds) });
        command.Parameters.Add(new() { Value = (object?)unit ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    // How long the worker running the stage has not beaten, by the database's clock; null when it is not running.
    private async Task<TimeSpan?> SilentForAsync(long runId, string stage, string? unit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT now() - heartbeat_at FROM ops.pipeline_stage WHERE run_id = $1 AND stage = $2 AND unit IS NOT DISTINCT FROM $3 AND status = 'running'");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = stage });
        command.Parameters.Add(new() { Value = (object?)unit ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(cancellationToken) as TimeSpan?;
    }

    // Ends the stage if this worker still holds it; a failure (error not null) fails the run, and the run succeeds
    // with the last of its planned stages and units. The run's row is locked first: units end concurrently.
    private async Task FinishAsync(long runId, long stageId, string name, string status, string? detail, string? key, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockRun = new NpgsqlCommand("SELECT 1 FROM ops.pipeline_run WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            lockRun.Parameters.Add(new() { Value = runId });
            await lockRun.ExecuteNonQueryAsync(cancellationToken);
        }
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
                throw new InvalidOperationException($"{name} of pipeline run {runId} was taken over by another worker: this one's result is not recorded");
        }
        if (error is not null)
        {
            await using var run = new NpgsqlCommand(
                "UPDATE ops.pipeline_run SET status = 'failed', finished_at = $2, error = $3 WHERE id = $1 AND status IN ('queued', 'running')", connection, transaction);
            run.Parameters.Add(new() { Value = runId });
            run.Parameters.Add(new() { Value = clock.GetUtcNow() });
            run.Parameters.Add(new() { Value = $"{name}: {error}" });
            await run.ExecuteNonQueryAsync(cancellationToken);
        }
        else if (status != "failed")
        {
            await using var run = new NpgsqlCommand(Database.StageSql.Load("Scheduling/Sql/finish_pipeline_run.sql"), connection, transaction);
            run.Parameters.Add(new() { Value = runId });
            run.Parameters.Add(new() { Value = clock.GetUtcNow() });
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

    private async Task<(string, string, string?)> TrainAsync(long runId, string code, CancellationToken cancellationToken)
    {
        var spec = specifications.Find(code)
            ?? throw new InvalidOperationException($"no model specification '{code}' any more in the specification folder (setting {TrainingOptions.Section}:{nameof(TrainingOptions.SpecificationFolder)})");
        if (await training.SameRunAsync(spec, cancellationToken) is long run)
            return ("skipped", $"unchanged (run {run})", null);
        var outcome = await training.RunAsync(spec, $"pipeline:{runId}", cancellationToken);
        return ("succeeded", $"run {outcome.RunId}" + (outcome.ReleaseId is long release ? $", release {release} pending review" : ", failed its checks"), null);
    }
}

/// <summary>A stage met a passing problem (database unreachable, lease held): Hangfire retries it with backoff.</summary>
public sealed class TransientStageException(string message, Exception? inner) : Exception(message, inner);
