using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Api.Tests.Admin;

[Collection(JobWorkersCollection.Name)]
public class JobsTests(WorkerApiFactory api) : IClassFixture<WorkerApiFactory>
{
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
}
