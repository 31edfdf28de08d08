using System.Text.RegularExpressions;
using Analytics.Jobs.Database;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Database;

/// <summary>
/// A stage's SQL longer than a few lines is a <c>.sql</c> file in a <c>Sql</c> folder beside the stage,
/// read with <see cref="StageSql"/>, so it can be read, diffed and tried in psql as it is. Statements
/// composed from parts in C# (interpolated strings) stay beside the code that composes them.
/// </summary>
public partial class StageSqlTests
{
    private const int MaxInlineLines = 5;

    [GeneratedRegex("(?<!\\$)\"\"\"\\n(?<body>.*?)\"\"\"", RegexOptions.Singleline)]
    private static partial Regex RawString();

    [GeneratedRegex(@"\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE|WITH)\b")]
    private static partial Regex Sql();

    private static string JobsRoot => Path.Combine(RepositoryFiles.Root, "src", "Analytics.Jobs");

    [Fact]
    public void no_stage_holds_a_long_query_inline()
    {
        var inline = Directory.EnumerateFiles(JobsRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => RawString().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(JobsRoot, f), Body: m.Groups["body"].Value)))
            .Where(q => Sql().IsMatch(q.Body) && q.Body.Split('\n').Count(l => l.Trim().Length > 0) > MaxInlineLines)
            .Select(q => $"{q.File}: {q.Body.Trim().Split('\n')[0].Trim()} …")
            .ToList();
        Assert.True(inline.Count == 0, $"Queries of more than {MaxInlineLines} lines belong in a Sql/*.sql file beside the stage:\n" + string.Join("\n", inline));
    }

    [Fact]
    public void every_stage_sql_file_is_read_by_the_code()
    {
        var sources = string.Join("\n", Directory.EnumerateFiles(JobsRoot, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        var unread = Directory.EnumerateFiles(JobsRoot, "*.sql", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(JobsRoot, f).Replace('\\', '/'))
            .Where(f => f.Contains("/Sql/", StringComparison.Ordinal) && !sources.Contains($"StageSql.Load(\"{f}\")", StringComparison.Ordinal))
            .ToList();
        Assert.True(unread.Count == 0, "Stage SQL files no code loads: " + string.Join(", ", unread));
    }

    [Fact]
    public void a_query_is_loaded_by_its_path_and_an_unknown_path_is_named()
    {
        Assert.StartsWith("-- The priority list", StageSql.Load("Release/Sql/priority_list.sql"));
        var error = Assert.Throws<InvalidOperationException>(() => StageSql.Load("Release/Sql/no_such_query.sql"));
        Assert.Contains("Release/Sql/no_such_query.sql", error.Message);
    }
}
