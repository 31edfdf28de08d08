using Analytics.Jobs.AuditTrail;
using Analytics.Jobs.Release;
using Analytics.Jobs.Scheduling;
using Analytics.Jobs.Training;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Tests.Training;

/// <summary>
/// Work leases: a load or training run whose process died (its heartbeat old) is reaped as failed,
/// reason interrupted, when the jobs server starts and periodically; a live one is left alone; a
/// training launch delivered twice trains once.
/// </summary>
[Collection(DemoPipelineCollection.Name)]
public class LeaseTests(DemoPipeline pipeline)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private ModelTraining Training()
    {
        var audit = new AuditLog(pipeline.Database.DataSource, TimeProvider.System, Options.Create(new AuditOptions()));
        return new ModelTraining(pipeline.Database.DataSource, TimeProvider.System, audit, new Releases(pipeline.Database.DataSource, TimeProvider.System, audit));
    }

    /// <summary>A load shown running, its last heartbeat <paramref name="age"/> ago.</summary>
    private async Task<Guid> RunningLoadAsync(TimeSpan age)
    {
        var loadId = Guid.NewGuid();
        await pipeline.Database.ScalarAsync<int>("""
            WITH i AS (INSERT INTO ingest.progress (load_id, kind, file_name, state, rows_done, bytes_done, bytes_total, updated_at, heartbeat_at, worker)
                       VALUES ($1, 'health', 'health.csv', 'running', 10, 100, 1000, now() - $2, now() - $2, 'gone-host:4242') RETURNING 1)
            SELECT count(*)::int FROM i
            """, loadId, age);
        return loadId;
    }

    /// <summary>A copy of a trained run shown running, its last heartbeat <paramref name="age"/> ago.</summary>
    private async Task<long> RunningRunAsync(long like, TimeSpan age) => await pipeline.Database.ScalarAsync<long>("""
        INSERT INTO ml.model_run (spec_code, specification, matrix_id, dataset_version, seed, code_version, launched_by, started_at, status, heartbeat_at, worker)
        SELECT spec_code, specification, matrix_id, dataset_version, seed, code_version, launched_by, now() - $2, 'running', now() - $2, 'gone-host:4242'
        FROM ml.model_run WHERE id = $1 RETURNING id
        """, like, age);

    [Fact]
    public async Task work_whose_heartbeat_is_older_than_the_lease_is_reaped_as_interrupted_and_live_work_is_left_alone()
    {
        var trained = await pipeline.TrainedAsync("asthma_commune", Training);
        var deadLoad = await RunningLoadAsync(TimeSpan.FromMinutes(10));
        var liveLoad = await RunningLoadAsync(TimeSpan.FromSeconds(5));
        var deadRun = await RunningRunAsync(trained.RunId, TimeSpan.FromMinutes(10));
        var liveRun = await RunningRunAsync(trained.RunId, TimeSpan.FromSeconds(5));
        try
        {
            var (loads, runs) = await Leases.ReapAsync(pipeline.Database.DataSource, Timeout);

            Assert.Equal((1, 1), (loads, runs));
            Assert.Equal("failed", await pipeline.Database.ScalarAsync<string>("SELECT state FROM ingest.progress WHERE load_id = $1", deadLoad));
            Assert.StartsWith("health.csv: interrupted — the process running the load (gone-host:4242) stopped giving signs of life",
                await pipeline.Database.ScalarAsync<string>("SELECT message FROM ingest.progress WHERE load_id = $1", deadLoad));
            Assert.Equal("running", await pipeline.Database.ScalarAsync<string>("SELECT state FROM ingest.progress WHERE load_id = $1", liveLoad));
            Assert.Equal("failed", await pipeline.Database.ScalarAsync<string>("SELECT status FROM ml.model_run WHERE id = $1", deadRun));
            Assert.StartsWith("interrupted:", await pipeline.Database.ScalarAsync<string>("SELECT error FROM ml.model_run WHERE id = $1", deadRun));
            Assert.True(await pipeline.Database.ScalarAsync<bool>("SELECT finished_at IS NOT NULL FROM ml.model_run WHERE id = $1", deadRun));
            Assert.Equal("running", await pipeline.Database.ScalarAsync<string>("SELECT status FROM ml.model_run WHERE id = $1", liveRun));
            // The run trained for real held its lease from this process, and ended by itself.
            Assert.Equal(Leases.Worker, await pipeline.Database.ScalarAsync<string>("SELECT worker FROM ml.model_run WHERE id = $1", trained.RunId));
            Assert.True(await pipeline.Database.ScalarAsync<bool>("SELECT heartbeat_at IS NOT NULL AND status = 'succeeded' FROM ml.model_run WHERE id = $1", trained.RunId));
        }
        finally
        {
            await pipeline.Database.ScalarAsync<int>("WITH d AS (DELETE FROM ml.model_run WHERE id IN ($1, $2) RETURNING 1) SELECT count(*)::int FROM d", deadRun, liveRun);
        }
    }

    [Fact]
    public async Task the_reaper_reaps_as_the_jobs_server_starts()
    {
        var deadLoad = await RunningLoadAsync(TimeSpan.FromMinutes(10));
        using var reaper = new LeaseReaper(pipeline.Database.DataSource, Options.Create(new JobsOptions { LeaseTimeoutSeconds = 60 }), NullLogger<LeaseReaper>.Instance);

        await reaper.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await pipeline.Database.ScalarAsync<string>("SELECT state FROM ingest.progress WHERE load_id = $1", deadLoad) == "running" && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await reaper.StopAsync(CancellationToken.None);

        Assert.Equal("failed", await pipeline.Database.ScalarAsync<string>("SELECT state FROM ingest.progress WHERE load_id = $1", deadLoad));
    }

    [Fact]
    public async Task a_training_launch_delivered_again_finds_its_run_and_trains_nothing_more()
    {
        var trained = await pipeline.TrainedAsync("asthma_commune", Training);
        // The first delivery's run, as ModelTraining stores it for a launch key.
        var key = Guid.NewGuid();
        var firstRun = await RunningRunAsync(trained.RunId, TimeSpan.Zero);
        await pipeline.Database.ScalarAsync<int>("WITH u AS (UPDATE ml.model_run SET job_key = $2 WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM u", firstRun, key);
        var runs = await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM ml.model_run");
        var releases = await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM review.release");
        try
        {
            var job = new TrainingJob(new ModelSpecifications(Options.Create(new TrainingOptions { SpecificationFolder = RepositoryFiles.PathOf("data/models") })), Training(), NullLogger<TrainingJob>.Instance);

            await job.RunAsync("asthma_commune", "demo-steward", key, CancellationToken.None);

            Assert.Equal(runs, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM ml.model_run"));
            Assert.Equal(releases, await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM review.release"));
        }
        finally
        {
            await pipeline.Database.ScalarAsync<int>("WITH d AS (DELETE FROM ml.model_run WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM d", firstRun);
        }
    }

    [Fact]
    public async Task a_launch_key_belongs_to_one_run_only()
    {
        var trained = await pipeline.TrainedAsync("asthma_commune", Training);
        var key = Guid.NewGuid();
        var first = await RunningRunAsync(trained.RunId, TimeSpan.Zero);
        var second = await RunningRunAsync(trained.RunId, TimeSpan.Zero);
        try
        {
            await pipeline.Database.ScalarAsync<int>("WITH u AS (UPDATE ml.model_run SET job_key = $2 WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM u", first, key);
            // Two deliveries racing past the check: the database lets only one run hold the key.
            var clash = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
                pipeline.Database.ScalarAsync<int>("WITH u AS (UPDATE ml.model_run SET job_key = $2 WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM u", second, key));
            Assert.Equal("23505", clash.SqlState);
        }
        finally
        {
            await pipeline.Database.ScalarAsync<int>("WITH d AS (DELETE FROM ml.model_run WHERE id IN ($1, $2) RETURNING 1) SELECT count(*)::int FROM d", first, second);
        }
    }
}
