using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Release;
using Analytics.Jobs.Scheduling;
using Analytics.Jobs.Training;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Tests.Scheduling;

/// <summary>The pipeline run in this process (as <c>pipeline run --inline</c> does) on a fresh database with the demo world's manifest.</summary>
public sealed class PipelineTests : IAsyncLifetime
{
    private readonly PostgisDatabase database = new();
    private readonly string specifications = Path.Combine(Path.GetTempPath(), "pipeline-specs-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        // One model keeps the test short; the stage trains every specification of the folder.
        Directory.CreateDirectory(specifications);
        File.Copy(RepositoryFiles.PathOf("data/models/asthma_commune.json"), Path.Combine(specifications, "asthma_commune.json"));
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(specifications, recursive: true);
        await database.DisposeAsync();
    }

    private Pipeline Pipeline(string? manifest = null)
    {
        var audit = new AuditLog(database.DataSource, TimeProvider.System, Options.Create(new AuditOptions()));
        var training = new ModelTraining(database.DataSource, TimeProvider.System, audit, new Releases(database.DataSource, TimeProvider.System, audit));
        return new Pipeline(database.DataSource, TimeProvider.System, new IngestService(database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance),
            new ModelSpecifications(Options.Create(new TrainingOptions { SpecificationFolder = specifications })), training,
            Options.Create(new PipelineOptions { DropManifest = manifest, IndexDefinition = RepositoryFiles.PathOf("data/catalog/cumulative_index.json") }),
            Options.Create(new JobsOptions()));
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
        Assert.Equal(["succeeded", "succeeded", "succeeded"], one.Stages.Select(s => s.Status));
        Assert.Equal("succeeded", two.Status);
        Assert.Equal(["skipped", "skipped", "skipped"], two.Stages.Select(s => s.Status));
        Assert.Contains("unchanged", two.Stages[0].Detail);
        Assert.Equal("inputs unchanged since the latest build", two.Stages[1].Detail);
        Assert.Contains("asthma_commune: unchanged", two.Stages[2].Detail);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM features.build"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ml.model_run"));

        // A second delivery of a stage that succeeded does nothing.
        await pipeline.RunStageAsync(first, "features");
        Assert.Equal(1, (await pipeline.RunAsync(first))!.Stages.Single(s => s.Stage == "features").Attempts);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM features.build"));
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
    }
}
