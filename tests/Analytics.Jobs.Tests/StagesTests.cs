using System.Text.RegularExpressions;
using Analytics.Testing;

namespace Analytics.Jobs.Tests;

/// <summary>One home per table: <see cref="Stages"/> says which folder owns which table, and the migrations agree.</summary>
public partial class StagesTests
{
    [GeneratedRegex(@"CREATE\s+(?:UNLOGGED\s+|MATERIALIZED\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+\.[a-z_]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Created();

    private static string JobsRoot => Path.Combine(RepositoryFiles.Root, "src", "Analytics.Jobs");

    [Fact]
    public void each_stage_creates_exactly_the_tables_it_lists()
    {
        var problems = new List<string>();
        foreach (var stage in Stages.Flow.Concat(Stages.Platform))
        {
            var folder = Path.Combine(JobsRoot, stage.Folder, "Migrations");
            var created = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.sql").SelectMany(f => Created().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet()
                : [];
            problems.AddRange(created.Except(stage.Tables).Select(t => $"{stage.Folder}/Migrations creates {t}, which Stages does not list for it"));
            problems.AddRange(stage.Tables.Except(created).Select(t => $"Stages lists {t} for {stage.Folder}, whose migrations do not create it"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void every_migrations_folder_belongs_to_a_listed_stage()
    {
        var folders = Stages.Flow.Concat(Stages.Platform).Select(s => s.Folder).ToHashSet();
        var unlisted = Directory.EnumerateDirectories(JobsRoot, "Migrations", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(JobsRoot, Path.GetDirectoryName(d)!))
            .Where(f => !f.StartsWith("bin", StringComparison.Ordinal) && !f.StartsWith("obj", StringComparison.Ordinal) && !folders.Contains(f))
            .ToList();
        Assert.True(unlisted.Count == 0, "Migrations outside a listed stage: " + string.Join(", ", unlisted));
    }

    [Fact]
    public void the_architecture_page_names_every_stage_and_table()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "architecture.md"));
        var missing = Stages.Flow.Concat(Stages.Platform)
            .SelectMany(s => s.Tables.Select(t => $"`{t}`").Append($"`{s.Folder}/`").Concat(s.Readers.Select(r => $"`{r.Name}`")))
            .Where(name => !page.Contains(name, StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md does not name: " + string.Join(", ", missing));
    }
}
