using System.Text.RegularExpressions;
using Analytics.Testing;

namespace Analytics.Api.Tests.Conventions;

/// <summary>
/// The API reads only through the readers the stages own (Analytics.Jobs): no SQL text in its
/// handlers and no database access outside its composition root, so every route that serves a
/// figure lands on the one publication gate and the one secrecy path of the stage that made it.
/// </summary>
public partial class ApiHoldsNoSqlTests
{
    /// <summary>Files that wire the application together and may name the database's types.</summary>
    private static readonly string[] CompositionRoot = ["Program.cs", Path.Combine("Platform", "PlatformSetup.cs")];

    [GeneratedRegex(@"\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+[\w.]+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|VIEW|INDEX)|jsonb_build_object|FROM\s+(review|ml|geo|features|ingest|audit|auth|ops)\.)")]
    private static partial Regex SqlText();

    [Fact]
    public void no_api_source_file_holds_sql_text()
    {
        var offending = ApiSources().SelectMany(f => File.ReadLines(Path.Combine(ApiRoot, f)).Select((line, i) => (f, i, line)))
            .Where(x => SqlText().IsMatch(x.line))
            .Select(x => $"src/Analytics.Api/{x.f}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offending.Count == 0, "SQL in the API; move it to the reader of the stage that owns the table:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void only_the_composition_root_touches_the_database_driver()
    {
        var offending = ApiSources().Where(f => !CompositionRoot.Contains(f))
            .SelectMany(f => File.ReadLines(Path.Combine(ApiRoot, f)).Select((line, i) => (f, i, line)))
            .Where(x => x.line.Contains("Npgsql", StringComparison.Ordinal))
            .Select(x => $"src/Analytics.Api/{x.f}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offending.Count == 0, "Database access in an API handler; read through a stage's reader:\n" + string.Join("\n", offending));
    }

    [Theory]
    [InlineData("SELECT id FROM review.release WHERE id = $1")]
    [InlineData("        await using var command = dataSource.CreateCommand(\"SELECT f.html FROM x\");")]
    [InlineData("UPDATE review.item SET state = 'open'")]
    [InlineData("'reports', jsonb_build_object('verdict', verdict)")]
    [InlineData("    FROM ml.prediction p JOIN geo.territory t ON t.id = p.territory_id")]
    public void the_sql_detector_recognises_the_queries_the_api_used_to_hold(string line) => Assert.Matches(SqlText(), line);

    [Theory]
    [InlineData("/// <summary>Select the release in force.</summary>")]
    [InlineData("return ApiProblems.Create(StatusCodes.Status404NotFound, \"Aucune publication approuvée en vigueur\");")]
    public void the_sql_detector_leaves_prose_alone(string line) => Assert.DoesNotMatch(SqlText(), line);

    private static string ApiRoot => Path.Combine(RepositoryFiles.Root, "src", "Analytics.Api");

    private static IEnumerable<string> ApiSources() =>
        Directory.EnumerateFiles(ApiRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ApiRoot, f))
            .Where(f => !f.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
}
