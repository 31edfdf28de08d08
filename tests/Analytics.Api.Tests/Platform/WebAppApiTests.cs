using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Models.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Api.Tests.Platform;

/// <summary>The web app lays itself out from <c>/api/app</c>: each screen it opens must be one the route table lets the caller read, and no other.</summary>
public class WebAppApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Roles() => [.. Role.All];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task a_screen_is_open_exactly_when_its_first_route_lets_the_caller_in(string role)
    {
        var client = await api.ClientWithRolesAsync(role);
        var shell = await client.GetFromJsonAsync<JsonElement>("/api/app");
        var screens = shell.GetProperty("screens").EnumerateArray().Select(s => s.GetString()).ToHashSet();

        Assert.Equal(await AllowedAsync(client.GetAsync("/api/models")), screens.Contains("publications"));
        Assert.Equal(await AllowedAsync(client.GetAsync("/api/reviews")), screens.Contains("reviews"));
        Assert.Equal(await AllowedAsync(client.GetAsync("/api/levels/commune/figures?condition=x&statistic=sir")), screens.Contains("map"));
        Assert.Equal(await AllowedAsync(client.GetAsync("/hangfire")), screens.Contains("dashboard"));
        // No release 999999 and no model "none" exist, and an empty body is no file: a caller allowed in is told so
        // (404, 400, 415), the others are refused (403).
        Assert.Equal(await AllowedAsync(client.PostAsJsonAsync("/api/reviews/999999/approve", new { justification = "x" })), screens.Contains("decide"));
        Assert.Equal(await AllowedAsync(client.PostAsJsonAsync("/api/models/none/comments", new { territory = "x", comment = "x" })), screens.Contains("comment"));
        Assert.Equal(await AllowedAsync(client.PostAsync("/api/ingest/catalog", new StringContent(""))), screens.Contains("data"));
    }

    [Fact]
    public async Task the_verdicts_are_named_by_the_server_in_french_and_english()
    {
        var client = await api.ClientWithRolesAsync(Role.Reviewer);
        var verdicts = (await client.GetFromJsonAsync<JsonElement>("/api/app")).GetProperty("verdicts").EnumerateArray()
            .ToDictionary(v => v.GetProperty("id").GetString()!, v => (Fr: v.GetProperty("fr").GetString(), En: v.GetProperty("en").GetString()));

        Assert.Equal(["pass", "warn", "fail", "insufficient_evidence", "not_judged"], verdicts.Keys);
        Assert.Equal(("non conforme", "fail"), verdicts["fail"]);
        Assert.Equal(("preuves insuffisantes", "insufficient evidence"), verdicts["insufficient_evidence"]);
    }

    [Fact]
    public async Task the_accountable_team_models_and_kinds_of_files_come_from_the_server()
    {
        var client = await api.ClientWithRolesAsync(Role.Analyst);
        var shell = await client.GetFromJsonAsync<JsonElement>("/api/app");
        var contact = shell.GetProperty("contact");
        Assert.Equal(api.Services.GetRequiredService<IConfiguration>()["Contact:Email"], contact.GetProperty("email").GetString());
        Assert.False(string.IsNullOrWhiteSpace(contact.GetProperty("name").GetString()));
        Assert.Contains("asthma_commune", shell.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("code").GetString()));
        var health = shell.GetProperty("ingestKinds").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "health");
        Assert.Equal("Données de santé agrégées", health.GetProperty("fr").GetString());
        // The words of the statistics a map is made on and of the publication states come from the server too.
        Assert.Equal(["crude_rate", "standardised_rate", "sir", "smoothed_rr"], shell.GetProperty("statistics").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var suppressed = shell.GetProperty("states").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "suppressed");
        Assert.Equal("secret statistique", suppressed.GetProperty("fr").GetString());
    }

    [Fact]
    public async Task an_anonymous_caller_gets_no_layout()
    {
        var response = await api.CreateClient().GetAsync("/api/app");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<bool> AllowedAsync(Task<HttpResponseMessage> request) =>
        (await request).StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
}
