using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Testing;

namespace Analytics.Api.Tests.Platform;

/// <summary>
/// The OpenAPI document clients generate code from is committed (docs/openapi.json) and must match
/// what the running API serves: a route, a parameter or a schema changed without the document is a
/// failure, not a surprise for the scripts that use it.
/// </summary>
public class OpenApiDocumentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Committed = "docs/openapi.json";

    /// <summary>Set to 1 to write the served document over the committed one (then review the diff).</summary>
    private const string UpdateVariable = "ANALYTICS_UPDATE_OPENAPI";

    [Fact]
    public async Task the_committed_document_is_the_one_the_api_serves()
    {
        var served = JsonNode.Parse(await api.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var path = Path.Combine(RepositoryFiles.Root, Committed);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
            await File.WriteAllTextAsync(path, served);

        Assert.True(File.Exists(path), $"{Committed} is missing: run {UpdateVariable}=1 dotnet test tests/Analytics.Api.Tests --filter OpenApiDocumentTests");
        var committed = await File.ReadAllTextAsync(path);
        Assert.True(committed.ReplaceLineEndings("\n") == served,
            $"{Committed} differs from the document the API serves: run {UpdateVariable}=1 dotnet test tests/Analytics.Api.Tests --filter OpenApiDocumentTests and commit the diff.");
    }

    [Fact]
    public async Task every_operation_has_a_summary_and_states_its_roles()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, Committed)))!;
        var missing = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!)))
            .Where(o => string.IsNullOrWhiteSpace((string?)o.Operation["summary"]) || !((string?)o.Operation["description"] ?? "").Contains("Roles:", StringComparison.Ordinal))
            .Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}")
            .ToList();
        Assert.True(missing.Count == 0, "operations without a summary or their roles: " + string.Join(", ", missing));
    }
}
