using System.Net;
using System.Text;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Platform;

/// <summary>
/// Test classes run in parallel, each with its own host in one process. Hangfire keeps process-wide state: a host
/// must keep working when another one is disposed before it (this failed with a 500 on uploads, depending on which
/// test class finished first).
/// </summary>
public class TestHostIsolationTests
{
    [Fact]
    public async Task an_upload_is_answered_on_a_live_host_after_the_host_configured_last_is_disposed()
    {
        var live = new ApiFactory();
        await live.InitializeAsync();
        try
        {
            var steward = await live.ClientWithRolesAsync(Role.Steward);
            var gone = new ApiFactory();
            await gone.InitializeAsync();
            Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(await gone.ClientWithRolesAsync(Role.Steward))).StatusCode);
            await gone.DisposeAsync();

            var response = await UploadAsync(steward);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode}: " + string.Join("\n", live.Logs.Entries.Where(e => e.Contains("[Error]", StringComparison.Ordinal)).TakeLast(2)));
        }
        finally
        {
            await live.DisposeAsync();
        }
    }

    /// <summary>A malformed upload: refused with 400 once the handler, and the job client it takes, are built.</summary>
    private static Task<HttpResponseMessage> UploadAsync(HttpClient steward)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("no boundary at all in this body"));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");
        return steward.PostAsync("/api/ingest/territories?level=commune", content);
    }
}
