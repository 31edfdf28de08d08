using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Platform;

/// <summary>
/// Bad input answers 400 with a problem that says what is wrong — a NUL in a query value or the path, a control
/// character in a JSON text, a malformed multipart upload, a body or parameter that cannot be read — where it
/// answered 500 (issue finding 12). The refused value itself is never echoed.
/// </summary>
public class BadRequestTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        // On a wrong status, what the host logged as an error says why.
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}\n" + string.Join("\n", api.Logs.Entries.Where(e => e.Contains("[Error]", StringComparison.Ordinal)).TakeLast(3)));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    [Theory]
    [InlineData("/api/reviews?state=%00", "state")]
    [InlineData("/api/audit/events?kind=a%00b", "kind")]
    [InlineData("/api/audit/events?actor=%1B%5B31m", "actor")]
    public async Task a_control_character_in_a_query_value_is_refused_naming_the_parameter(string path, string parameter)
    {
        var client = await api.ClientWithRolesAsync(Role.Auditor, Role.Reviewer);
        var problem = await ProblemAsync(await client.GetAsync(path));
        var title = problem.GetProperty("title").GetString()!;
        Assert.Contains($"« {parameter} »", title);
        Assert.Contains("U+00", title);
        Assert.DoesNotContain('\0', title);
    }

    [Fact]
    public async Task a_control_character_in_the_path_is_refused()
    {
        // (A NUL in the path never gets this far: Kestrel refuses it itself.)
        var client = await api.ClientWithRolesAsync(Role.Analyst);
        var problem = await ProblemAsync(await client.GetAsync("/api/models/asthma%07commune/priorities"));
        Assert.Contains("U+0007", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task a_nul_in_the_source_of_an_upload_is_refused_before_anything_is_stored()
    {
        var steward = await api.ClientWithRolesAsync(Role.Steward);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM ingest.progress");
        using var form = new MultipartFormDataContent { { new StringContent("{\"type\":\"FeatureCollection\",\"features\":[]}"), "file", "communes.geojson" } };
        await ProblemAsync(await steward.PostAsync("/api/ingest/territories?level=commune&source=INSEE%00", form));
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM ingest.progress"));
    }

    [Fact]
    public async Task a_control_character_in_a_json_text_is_refused_naming_the_field_while_line_breaks_pass()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var problem = await ProblemAsync(await analyst.PostAsJsonAsync("/api/models/asthma_commune/comments", new { territory = "22001", comment = "Centre de santé\u0000 ouvert en 2023." }));
        var errors = problem.GetProperty("errors");
        Assert.Contains("U+0000", errors.GetProperty("$.comment")[0].GetString());

        // Line breaks and tabs are text: this comment gets past reading (and is refused later for another reason: nothing published).
        var multiline = await analyst.PostAsJsonAsync("/api/models/asthma_commune/comments", new { territory = "22001", comment = "Centre de santé ouvert en 2023.\n\tVoir le rapport de l'ARS." });
        Assert.NotEqual(HttpStatusCode.BadRequest, multiline.StatusCode);
    }

    [Theory]
    [InlineData("no boundary at all in this body")]
    [InlineData("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"communes.geojson\"\r\n\r\n{\"type\":\"Feature")]
    [InlineData("--xyz\r\nthis line is not a header\r\n\r\n{}\r\n--xyz--\r\n")]
    public async Task a_malformed_multipart_upload_is_refused_with_a_clear_message(string body)
    {
        var steward = await api.ClientWithRolesAsync(Role.Steward);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");
        var problem = await ProblemAsync(await steward.PostAsync("/api/ingest/territories?level=commune", content));
        Assert.Contains("multipart", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task a_body_that_is_not_json_and_a_parameter_of_the_wrong_type_are_refused_naming_what()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst, Role.Auditor);
        var broken = new StringContent("{\"territory\": \"22001\", \"comment\": ", Encoding.UTF8, "application/json");
        var problem = await ProblemAsync(await analyst.PostAsync("/api/models/asthma_commune/comments", broken));
        Assert.Contains("request", problem.GetProperty("title").GetString());

        problem = await ProblemAsync(await analyst.GetAsync("/api/audit/events?limit=beaucoup"));
        Assert.Contains("limit", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
