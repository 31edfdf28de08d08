using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Api.Tests.Admin;

public class JobsTests(ApiFactory api) : IClassFixture<ApiFactory>
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

public class TwoHostsTests
{
    [Fact]
    public async Task two_hosts_in_one_process_each_run_their_jobs_on_their_own_database()
    {
        await using var first = new ApiFactory();
        await using var second = new ApiFactory();
        await first.InitializeAsync();
        await second.InitializeAsync();
        var firstClient = await first.ClientWithRolesAsync("steward");
        var secondClient = await second.ClientWithRolesAsync("admin");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await firstClient.PostAsync("/api/admin/jobs/heartbeat", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await secondClient.PostAsync("/api/admin/jobs/heartbeat", null)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline
               && (await first.Database.ScalarAsync<long>("SELECT count(*) FROM ops.heartbeat") == 0
                   || await second.Database.ScalarAsync<long>("SELECT count(*) FROM ops.heartbeat") == 0))
            await Task.Delay(250);

        Assert.Equal(["steward"], await RequestersAsync(first));
        Assert.Equal(["admin"], await RequestersAsync(second));
    }

    private static async Task<string[]> RequestersAsync(ApiFactory api) =>
        await api.Database.ScalarAsync<string[]>("SELECT coalesce(array_agg(split_part(requested_by, '-', 2)), '{}') FROM ops.heartbeat");
}
