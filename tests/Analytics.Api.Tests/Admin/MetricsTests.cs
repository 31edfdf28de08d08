using System.Net;

namespace Analytics.Api.Tests.Admin;

/// <summary>The Prometheus scrape at <c>/metrics</c>: what it shows an administrator, and that nobody else reads it.</summary>
public class MetricsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task an_administrator_scrapes_request_and_database_metrics_after_a_request_that_queries_the_database()
    {
        var admin = await api.ClientWithRolesAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/accounts")).StatusCode);

        var scrape = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        Assert.Matches("""http_server_request_duration_seconds_count\{[^}]*http_route="/api/admin/accounts/"[^}]*\} [1-9]""", text);
        // Npgsql's commands on the product's data source (named "analytics"); pools are named without their password.
        Assert.Matches("""db_client_operation_duration_seconds_count\{[^}]*db_client_connection_pool_name="analytics"[^}]*\} [1-9]""", text);
        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("# TYPE dotnet_gc_heap_total_allocated_bytes_total counter", text);
    }

    [Fact]
    public async Task the_scrape_is_refused_to_anonymous_callers_and_to_every_other_role()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/metrics")).StatusCode);
        foreach (var role in new[] { "analyst", "planner", "reviewer", "auditor", "steward" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientWithRolesAsync(role)).GetAsync("/metrics")).StatusCode);
    }
}
