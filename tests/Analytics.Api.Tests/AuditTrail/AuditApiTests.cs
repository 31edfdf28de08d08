using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Jobs.AuditTrail;
using Analytics.Models.AuditTrail;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.AuditTrail;

/// <summary>Reading and verifying the audit log over HTTP, as auditors and administrators do — and nobody else.</summary>
public class AuditApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task AppendAsync(params AuditEntry[] entries)
    {
        var log = api.Services.GetRequiredService<AuditLog>();
        await using var connection = await api.Database.DataSource.OpenConnectionAsync();
        foreach (var entry in entries)
            await log.AppendAsync(connection, null, entry);
    }

    [Fact]
    public async Task an_auditor_sees_the_chain_verified_an_analyst_is_forbidden_and_an_anonymous_caller_must_sign_in()
    {
        await AppendAsync(
            new AuditEntry("jdupont", AuditKinds.SignIn, "account:jdupont"),
            new AuditEntry("jdupont", AuditKinds.ReviewApprove, "release:12", new JsonObject { ["evidence"] = "fairness-report:4" }));

        var auditor = await api.ClientWithRolesAsync("auditor");
        var response = await auditor.GetAsync("/api/audit/verify");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(report.GetProperty("intact").GetBoolean());
        var count = report.GetProperty("eventsChecked").GetInt64();
        Assert.True(count >= 2);
        Assert.Equal(count, report.GetProperty("lastSequence").GetInt64());
        Assert.StartsWith("Journal intact", report.GetProperty("message").GetString());
        Assert.Equal("None", report.GetProperty("checkpoint").GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("firstBrokenLink").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await (await api.ClientWithRolesAsync("admin")).GetAsync("/api/audit/verify")).StatusCode);
        foreach (var role in new[] { "analyst", "planner", "reviewer", "steward" })
        {
            var other = await api.ClientWithRolesAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/audit/verify")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/audit/events")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/audit/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/audit/events")).StatusCode);
    }

    [Fact]
    public async Task events_are_listed_newest_first_filtered_and_paged_back()
    {
        var actor = $"p{Guid.NewGuid():N}"[..12];
        await AppendAsync([.. Enumerable.Range(1, 7).Select(i => new AuditEntry(actor, i % 2 == 0 ? AuditKinds.Export : AuditKinds.ModelRun, $"release:{i}",
            new JsonObject { ["i"] = i }))]);
        var auditor = await api.ClientWithRolesAsync("auditor");

        var first = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/events?actor={actor}&limit=3");
        var events = first.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([7, 6, 5], events.Select(e => e.GetProperty("details").GetProperty("i").GetInt32()));
        Assert.Equal(64, events[0].GetProperty("hash").GetString()!.Length);
        Assert.Equal(events[1].GetProperty("hash").GetString(), events[0].GetProperty("previousHash").GetString());
        var next = first.GetProperty("nextBefore").GetInt64();
        Assert.Equal(events[2].GetProperty("sequence").GetInt64(), next);

        var second = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/events?actor={actor}&limit=3&before={next}");
        Assert.Equal([4, 3, 2], second.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("details").GetProperty("i").GetInt32()));

        var exports = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/events?actor={actor}&kind=export");
        Assert.Equal(["release:6", "release:4", "release:2"], exports.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("subject").GetString()));
        Assert.Equal(JsonValueKind.Null, exports.GetProperty("nextBefore").ValueKind);

        var sixth = events[1].GetProperty("occurredAt").GetDateTimeOffset();
        var window = await auditor.GetFromJsonAsync<JsonElement>(
            $"/api/audit/events?actor={actor}&from={Uri.EscapeDataString(sixth.ToString("O"))}&to={Uri.EscapeDataString(sixth.AddTicks(10).ToString("O"))}");
        Assert.Equal([6], window.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("details").GetProperty("i").GetInt32()));
    }

    [Fact]
    public async Task an_export_of_the_log_follows_the_filters_and_is_itself_in_the_log()
    {
        var actor = $"x{Guid.NewGuid():N}"[..12];
        await AppendAsync([.. Enumerable.Range(1, 4).Select(i => new AuditEntry(actor, AuditKinds.ReviewApprove, $"release:{i % 2}", new JsonObject { ["i"] = i }))]);
        var auditorAccount = await api.NewAccountAsync(["auditor"]);
        var auditor = await api.ClientForAsync(auditorAccount);

        var bySubject = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/events?actor={actor}&subject=release:1");
        Assert.Equal([3, 1], bySubject.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("details").GetProperty("i").GetInt32()));

        var response = await auditor.GetAsync($"/api/audit/events.csv?actor={actor}&subject=release:1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"# journal_audit;exporte_par={auditorAccount.UserName};", lines[0]);
        Assert.Equal("sequence;horodatage;acteur;type;objet;details;empreinte_precedente;empreinte", lines[1]);
        Assert.Equal(2, lines.Length - 2);
        Assert.All(lines[2..], l => Assert.Contains($";{actor};review.approve;release:1;", l));
        Assert.Matches("""
            ;"{""i"": ?3}";
            """, lines[2]);

        // The export is recorded before it is written, with its filters; an unfiltered export carries it.
        var recorded = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/events?actor={auditorAccount.UserName}&kind=export&subject=audit:events");
        var details = Assert.Single(recorded.GetProperty("events").EnumerateArray()).GetProperty("details");
        Assert.Equal(actor, details.GetProperty("filters").GetProperty("actor").GetString());
        var everything = await auditor.GetStringAsync("/api/audit/events.csv");
        Assert.Equal(2, everything.Split('\n').Count(l => l.Contains($";{auditorAccount.UserName};export;audit:events;", StringComparison.Ordinal)));

        foreach (var role in new[] { "analyst", "planner", "reviewer", "steward" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await api.ClientWithRolesAsync(role)).GetAsync("/api/audit/events.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit/events.csv?kind=Not%20A%20Kind")).StatusCode);
    }

    [Theory]
    [InlineData("limit=0", "« limit » doit être entre 1 et 500")]
    [InlineData("limit=501", "'limit' must be between 1 and 500")]
    [InlineData("kind=Review%20Approve", "n'est pas un type d'événement")]
    [InlineData("from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z", "« from » doit précéder « to »")]
    public async Task a_bad_filter_gets_a_problem_response_in_french_first(string query, string expected)
    {
        var response = await (await api.ClientWithRolesAsync("auditor")).GetAsync($"/api/audit/events?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public void the_api_host_schedules_the_daily_audit_maintenance()
    {
        using var connection = api.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == AuditMaintenanceJob.RecurringJobId);
        Assert.Equal(Cron.Daily(3), job.Cron);
    }
}
