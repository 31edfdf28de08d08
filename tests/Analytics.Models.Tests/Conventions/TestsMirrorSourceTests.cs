using Analytics.Testing;

namespace Analytics.Models.Tests.Conventions;

/// <summary>
/// Tests mirror src folder for folder: the tests of <c>src/Analytics.Jobs/Features/FeatureMatrix.cs</c> are
/// <c>tests/Analytics.Jobs.Tests/Features/FeatureMatrixTests.cs</c>, so a newcomer finds them without searching.
/// </summary>
public class TestsMirrorSourceTests
{
    [Fact]
    public void every_tests_file_named_after_a_source_file_sits_in_the_same_folder_of_its_project()
    {
        var misplaced = new List<string>();
        foreach (var project in new[] { "Analytics.Models", "Analytics.Jobs", "Analytics.Api" })
        {
            var sources = Files(Path.Combine(RepositoryFiles.Root, "src", project))
                .ToLookup(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
            foreach (var test in Files(Path.Combine(RepositoryFiles.Root, "tests", project + ".Tests")).Where(f => f.EndsWith("Tests.cs", StringComparison.Ordinal)))
            {
                var subject = Path.GetFileNameWithoutExtension(test)[..^"Tests".Length];
                var folders = sources[subject].Select(Path.GetDirectoryName).ToList();
                if (folders.Count > 0 && !folders.Contains(Path.GetDirectoryName(test)))
                    misplaced.Add($"tests/{project}.Tests/{test} should be in the folder of src/{project}/{string.Join(" or ", sources[subject])}");
            }
        }
        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
    }

    /// <summary>The C# files under <paramref name="root"/>, relative to it, build output left out.</summary>
    private static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
}
