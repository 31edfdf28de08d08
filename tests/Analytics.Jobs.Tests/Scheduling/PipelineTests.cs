using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Database;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Release;
using Analytics.Jobs.Scheduling;
using Analytics.Jobs.Training;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Analytics.Jobs.Tests.Scheduling;

/// <summary>The pipeline run in this process (as <c>pipeline run --inline</c> does) on a fresh database with the demo world's manifest.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private readonly PostgisDatabase database = new();
    private readonly string specifications = Path.Combine(Path.GetTempPath(), "pipeline-specs-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        // One model keeps the test short; a run plans one training unit per specification of the folder.
        Directory.CreateDirectory(specifications);
        AddSpecification("asthma_commune");
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(specifications, recursive: true);
        await database.DisposeAsync();
    }

    private void AddSpecification(string code) =>
        File.Copy(RepositoryFiles.PathOf($"data/models/{code}.json"), Path.Combine(specifications, $"{code}.json"));

    private const int LeaseTimeoutSeconds = 15;

    private Pipeline Pipeline(string? manifest = null, NpgsqlDataSource? dataSource = null)
    {
        var data = dataSource ?? database.DataSource;
        var audit = new AuditLog(data, TimeProvider.System, Options.Create(new AuditOptions()));
        var training = new ModelTraining(data, TimeProvider.System, audit, new Releases(data, TimeProvider.System, audit));
        return new Pipeline(data, TimeProvider.System, new IngestService(data, TimeProvider.System, NullLogger<IngestService>.Instance),
            new ModelSpecifications(Options.Create(new TrainingOptions { SpecificationFolder = specifications })), training,
            Options.Create(new PipelineOptions { DropManifest = manifest, IndexDefinition = RepositoryFiles.PathOf("data/catalog/cumulative_index.json") }),
            Options.Create(new JobsOptions { LeaseTimeoutSeconds = LeaseTimeoutSeconds }));
    }

    [Fact]
    public async Task a_run_ingests_builds_and_trains_and_a_second_run_on_unchanged_inputs_does_nothing()
    {
        var pipeline = Pipeline(RepositoryFiles.PathOf("data/demo/load.json"));
        var lines = new List<string>();

        var first = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await pipeline.RunInlineAsync(first, lines.Add);
        var second = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await pipeline.RunInlineAsync(second, lines.Add);

        var one = (await pipeline.RunAsync(first))!;
        var two = (await pipeline.RunAsync(second))!;
        Assert.Equal("succeeded", one.Status);
        Assert.Equal(["asthma_commune"], one.TrainingUnits);
        Assert.Equal(["ingest:succeeded", "features:succeeded", "training asthma_commune:succeeded"], one.Stages.Select(s => $"{s}:{s.Status}"));
        Assert.Equal("succeeded", two.Status);
        Assert.Equal(["skipped", "skipped", "skipped"], two.Stages.Select(s => s.Status));
        Assert.Contains("unchanged", two.Stages[0].Detail);
        Assert.Equal("inputs unchanged since the latest build", two.Stages[1].Detail);
        Assert.StartsWith("unchanged (run ", two.Stages[2].Detail);
        Assert.Equal("training asthma_commune: skipped — " + two.Stages[2].Detail, lines[^1]);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM features.build"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.model_run"));
        // The data screen's list: newest first, each run with its own stages.
        var latest = await pipeline.LatestAsync(5);
        Assert.Equal([second, first], latest.Select(run => run.Id));
        Assert.Equal(["skipped", "skipped", "skipped"], latest[0].Stages.Select(s => s.Status));
        Assert.Equal(["succeeded", "succeeded", "succeeded"], latest[1].Stages.Select(s => s.Status));
        Assert.Equal([second], (await pipeline.LatestAsync(1)).Select(run => run.Id));
        Assert.Null(await pipeline.RunAsync(second + 1));

        // A second delivery of a stage that succeeded does nothing.
        await pipeline.RunStageAsync(first, "features");
        await pipeline.RunStageAsync(first, "training", "asthma_commune");
        Assert.Equal([1, 1, 1], (await pipeline.RunAsync(first))!.Stages.Select(s => s.Attempts));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM features.build"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.model_run"));
        // A unit the run did not plan is refused.
        await Assert.ThrowsAsync<ArgumentException>(() => pipeline.RunStageAsync(first, "training", "copd_commune"));
    }

    [Fact]
    public async Task training_runs_one_unit_per_model_concurrently_and_the_run_succeeds_once_the_last_unit_has()
    {
        AddSpecification("copd_commune");
        var pipeline = Pipeline(RepositoryFiles.PathOf("data/demo/load.json"));
        var run = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await pipeline.RunStageAsync(run, "ingest");
        await pipeline.RunStageAsync(run, "features");
        Assert.Equal(["asthma_commune", "copd_commune"], (await pipeline.RunAsync(run))!.TrainingUnits);

        // Two workers, each on its unit, at once: whichever ends last ends the run.
        await Task.WhenAll(
            Task.Run(() => pipeline.RunStageAsync(run, "training", "asthma_commune", retried: true)),
            Task.Run(() => pipeline.RunStageAsync(run, "training", "copd_commune", retried: true)));

        var view = (await pipeline.RunAsync(run))!;
        Assert.Equal("succeeded", view.Status);
        Assert.Equal(["training asthma_commune:succeeded", "training copd_commune:succeeded"],
            view.Stages.Where(s => s.Stage == "training").Select(s => $"{s}:{s.Status}").Order());
        Assert.Equal(["asthma_commune", "copd_commune"],
            await ListAsync("SELECT spec_code FROM ml.model_run WHERE status = 'succeeded' ORDER BY spec_code"));
    }

    [Fact]
    public async Task a_failing_unit_fails_its_run_and_no_unit_starts_after_it()
    {
        AddSpecification("copd_commune");
        var pipeline = Pipeline(RepositoryFiles.PathOf("data/demo/load.json"));
        var run = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await pipeline.RunStageAsync(run, "ingest");
        await pipeline.RunStageAsync(run, "features");
        // The specification planned with the run is gone by the time its unit runs.
        File.Delete(Path.Combine(specifications, "asthma_commune.json"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.RunStageAsync(run, "training", "asthma_commune", retried: true));
        await pipeline.RunStageAsync(run, "training", "copd_commune", retried: true);

        var view = (await pipeline.RunAsync(run))!;
        Assert.Equal("failed", view.Status);
        Assert.StartsWith("training asthma_commune: no model specification 'asthma_commune'", view.Error);
        Assert.Equal(["ingest:succeeded", "features:succeeded", "training asthma_commune:failed"], view.Stages.Select(s => $"{s}:{s.Status}"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.model_run"));
    }

    [Fact]
    public async Task a_passing_failure_asks_for_a_retry_while_retries_are_left_then_fails_the_run_with_its_reason()
    {
        // A one-second command timeout, and the features build's table locked by another session: the stage's
        // first statement times out, a passing failure.
        await using var impatient = AnalyticsDatabase.CreateDataSource(database.ConnectionString + ";Command Timeout=1");
        var pipeline = Pipeline(dataSource: impatient);
        var run = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await using var holder = await database.OwnerDataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockBuild = new NpgsqlCommand("LOCK TABLE features.build IN ACCESS EXCLUSIVE MODE", holder, transaction))
            await lockBuild.ExecuteNonQueryAsync();

        var retry = await Assert.ThrowsAsync<TransientStageException>(() => pipeline.RunStageAsync(run, "features", retried: true));
        Assert.IsType<TimeoutException>(retry.InnerException?.InnerException);
        var waiting = (await pipeline.RunAsync(run))!;
        Assert.Equal(("running", "failed"), (waiting.Status, waiting.Stages.Single().Status));

        // The last attempt: nothing will retry it, so the run fails with the reason rather than stay running.
        await Assert.ThrowsAsync<TransientStageException>(() => pipeline.RunStageAsync(run, "features", retried: false));
        await transaction.RollbackAsync();
        var failed = (await pipeline.RunAsync(run))!;
        Assert.Equal("failed", failed.Status);
        Assert.Equal(2, failed.Stages.Single().Attempts);
        Assert.StartsWith("features: ", failed.Error);
        Assert.EndsWith("(a passing failure, not retried further)", failed.Error);
    }

    [Fact]
    public void a_driver_failure_wrapped_by_a_step_is_still_passing_and_a_refusal_is_not()
    {
        Assert.True(Analytics.Jobs.Scheduling.Pipeline.IsTransient(new InvalidOperationException("step", new NpgsqlException("read", new TimeoutException()))));
        Assert.True(Analytics.Jobs.Scheduling.Pipeline.IsTransient(new AggregateException(new NpgsqlException("lost", new IOException("reset")))));
        Assert.False(Analytics.Jobs.Scheduling.Pipeline.IsTransient(new InvalidOperationException("no communes are loaded")));
        Assert.False(Analytics.Jobs.Scheduling.Pipeline.IsTransient(new NpgsqlException("refused by a constraint")));
    }

    private async Task<List<string>> ListAsync(string sql)
    {
        var values = new List<string>();
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    [Fact]
    public async Task a_failing_stage_fails_its_run_with_the_reason_and_a_stage_held_by_a_live_worker_is_left_to_it()
    {
        // Nothing loaded and no manifest: ingest is skipped, the features build has no communes to work on.
        var pipeline = Pipeline();
        var run = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.RunInlineAsync(run, _ => { }));

        var view = (await pipeline.RunAsync(run))!;
        Assert.Equal("failed", view.Status);
        Assert.StartsWith("features: no communes are loaded", view.Error);
        Assert.Equal(["skipped", "failed"], view.Stages.Select(s => s.Status));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM features.build"));

        // Another worker holds a live lease on a stage: this one leaves it and asks to be retried later.
        var other = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await database.ScalarAsync<int>($"INSERT INTO ops.pipeline_stage (run_id, stage, status, worker) VALUES ({other}, 'ingest', 'running', 'elsewhere:1') RETURNING 1");
        var held = await Assert.ThrowsAsync<TransientStageException>(() => pipeline.RunStageAsync(other, "ingest"));
        Assert.Contains("elsewhere:1", held.Message);
        // Its beat stops: after the lease timeout the stage is taken over.
        await database.ScalarAsync<int>($"UPDATE ops.pipeline_stage SET heartbeat_at = now() - interval '10 minutes' WHERE run_id = {other} RETURNING 1");
        await pipeline.RunStageAsync(other, "ingest");
        var taken = (await pipeline.RunAsync(other))!.Stages.Single();
        Assert.Equal(("skipped", 2), (taken.Status, taken.Attempts));
        Assert.Equal(Leases.Worker, taken.Worker);

        // A holder that has missed beats but whose lease has not yet expired (a killed worker's job handed out
        // again): the delivery waits the lease out and takes the stage over, spending no retry.
        var third = await pipeline.CreateRunAsync("command_line", "test", cancellationToken: default);
        await database.ScalarAsync<int>($"INSERT INTO ops.pipeline_stage (run_id, stage, status, worker, heartbeat_at) VALUES ({third}, 'ingest', 'running', 'killed:2', now() - interval '{LeaseTimeoutSeconds - 3} seconds') RETURNING 1");
        await pipeline.RunStageAsync(third, "ingest", retried: true);
        var waited = (await pipeline.RunAsync(third))!.Stages.Single();
        Assert.Equal(("skipped", 2, Leases.Worker), (waited.Status, waited.Attempts, waited.Worker));
    }
}
