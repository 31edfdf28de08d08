using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Api.Platform;
using Analytics.Jobs.Database;
using Analytics.Models.Access;
using Analytics.Testing;

namespace Analytics.Api.Tests.Platform;

/// <summary>
/// While the database is out of reach every API route answers 503 with <c>Retry-After</c> and a generic problem
/// — not only <c>/health</c>, where the others answered 500 (issue finding 12) — and the web app's static files
/// are still served.
/// </summary>
public class DatabaseDownTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task every_api_route_answers_503_with_retry_after_once_the_database_is_gone()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var admin = await api.ClientWithRolesAsync(Role.Admin);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/models")).StatusCode);

        // The database disappears under the running service (its open connections are cut too).
        await TestDatabases.DropAsync(api.Database.ConnectionString);

        var anonymous = api.CreateClient();
        var calls = new (HttpClient Client, HttpMethod Method, string Path)[]
        {
            (analyst, HttpMethod.Get, "/api/me"),
            (analyst, HttpMethod.Get, "/api/models"),
            (analyst, HttpMethod.Get, "/api/models/asthma_commune/priorities"),
            (analyst, HttpMethod.Get, "/api/models/asthma_commune/priorities.csv"),
            (admin, HttpMethod.Get, "/api/admin/accounts"),
            (admin, HttpMethod.Get, "/api/reviews"),
            (admin, HttpMethod.Get, "/api/audit/events"),
            (anonymous, HttpMethod.Post, "/api/auth/sign-in"),
        };
        foreach (var (client, method, path) in calls)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post)
                request.Content = JsonContent.Create(new { userName = "someone", password = "a long test password" });
            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {path}: {(int)response.StatusCode} {body}");
            Assert.Equal(TimeSpan.FromSeconds(DatabaseUnavailable.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
            // Nothing about where the database lives.
            Assert.DoesNotContain("127.0.0.1", body);
            Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(api.Database.ConnectionString).Database!, body);
            Assert.Equal(SecurityHeaders.AppPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/")).StatusCode);
    }
}
