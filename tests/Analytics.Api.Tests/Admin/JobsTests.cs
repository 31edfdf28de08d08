using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Api.Tests.Admin;

[Collection(JobWorkersCollection.Name)]
public class JobsTests(WorkerApiFactory api) : IClassFixture<WorkerApiFactory>
{
    [Fact]
    public async Task health_counts_the_worker_of_this_host_as_alive()
    {
        var client = api.CreateClient();
        JsonElement health;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            health = await client.GetFromJsonAsync<JsonElement>("/health");
            if (health.GetProperty("workers").GetInt32() > 0)
                break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("workers").GetInt32() >= 1);
        Assert.True(health.GetProperty("latestWorkerHeartbeat").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-2));
    }

    [Fact]
    public async Task a_pipeline_launched_through_the_api_runs_its_stages_as_chained_jobs_and_stops_at_the_one_that_fails()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientWithRolesAsync("analyst")).PostAsync("/api/admin/jobs/pipeline", null)).StatusCode);

        var accepted = await steward.PostAsync("/api/admin/jobs/pipeline", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.OriginalString;

        // Nothing is loaded in this database: ingest is skipped (no drop manifest), the features build fails,
        // and the training job, a continuation of it, never runs.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement run;
        do
        {
            await Task.Delay(250);
            run = await steward.GetFromJsonAsync<JsonElement>(location);
        }
        while (run.GetProperty("status").GetString() is "queued" or "running" && DateTime.UtcNow < deadline);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.StartsWith("features: no communes are loaded", run.GetProperty("error").GetString());
        Assert.Equal(["ingest:skipped", "features:failed"],
            run.GetProperty("stages").EnumerateArray().Select(s => $"{s.GetProperty("stage").GetString()}:{s.GetProperty("status").GetString()}"));
        Assert.Equal("api", run.GetProperty("trigger").GetString());
        var listed = await steward.GetFromJsonAsync<JsonElement>("/api/admin/jobs/pipeline");
        Assert.Equal(run.GetProperty("id").GetInt64(), listed[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task an_enqueued_heartbeat_job_runs_on_the_worker_and_writes_to_the_database()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        var accepted = await steward.PostAsync("/api/admin/jobs/heartbeat", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement runs;
        do
        {
            await Task.Delay(250);
            runs = await steward.GetFromJsonAsync<JsonElement>("/api/admin/jobs/heartbeat");
        }
        while (runs.GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        Assert.Equal(1, runs.GetArrayLength());
        Assert.StartsWith("t-steward", runs[0].GetProperty("requestedBy").GetString());
    }

    [Fact]
    public async Task a_training_launch_is_followed_to_its_end_and_one_that_cannot_train_says_why()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        var accepted = await steward.PostAsync("/api/models/asthma_commune/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var launch = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var progress = launch.GetProperty("progress").GetString()!;
        Assert.Equal(progress, accepted.Headers.Location?.OriginalString);

        // Nothing is built in this database: the job fails before its run begins, and the progress route says why.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement state;
        do
        {
            await Task.Delay(250);
            state = await steward.GetFromJsonAsync<JsonElement>(progress);
        }
        while (state.GetProperty("job").GetString() is "Enqueued" or "Processing" && DateTime.UtcNow < deadline);
        Assert.Equal("Failed", state.GetProperty("job").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("run").ValueKind);
        Assert.Equal("no health batch is loaded", state.GetProperty("error").GetString());

        // The job is this model's only, and the route the steward's and the administrator's only.
        var job = launch.GetProperty("jobId").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await steward.GetAsync($"/api/models/copd_commune/runs/{job}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await steward.GetAsync("/api/models/asthma_commune/runs/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientWithRolesAsync("analyst")).GetAsync(progress)).StatusCode);
    }
}
