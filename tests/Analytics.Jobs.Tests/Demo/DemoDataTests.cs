using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Demo;

/// <summary>The committed data/ folder: the demo set matches the generator, the catalogue points at real columns.</summary>
[Collection(RegionWorldCollection.Name)]
public class DemoDataTests(RegionWorldFixture region)
{
    [Fact]
    public void the_committed_demo_set_is_what_the_generator_writes_for_seed_42()
    {
        var committed = Path.Combine(DataFolder(), "demo");
        foreach (var file in region.Files)
        {
            var path = Path.Combine(committed, file);
            Assert.True(File.Exists(path), $"data/demo/{file} is missing: regenerate with `demo generate --seed 42 --scale region --out data/demo`");
            Assert.True(Hash(path) == Hash(region.PathOf(file)),
                $"data/demo/{file} differs from what the generator writes now: regenerate with `demo generate --seed 42 --scale region --out data/demo`");
        }
    }

    [Fact]
    public void every_catalogue_indicator_names_a_demo_file_that_has_its_column()
    {
        var catalogue = SemicolonCsv.Read(Path.Combine(DataFolder(), "catalog", "indicators.csv")).ToList();
        Assert.Equal(catalogue.Count, catalogue.Select(r => r["code"]).Distinct().Count());
        foreach (var indicator in catalogue)
        {
            Assert.Contains(indicator["domain"], new[] { "human", "animal", "environment", "socio-economic" });
            Assert.False(string.IsNullOrWhiteSpace(indicator["licence"]), $"{indicator["code"]} has no licence");
            Assert.False(string.IsNullOrWhiteSpace(indicator["source_stands_for"]), $"{indicator["code"]} names no real-world source");
            var file = region.PathOf(indicator["demo_file"]);
            Assert.True(File.Exists(file), $"{indicator["code"]}: no demo file {indicator["demo_file"]}");
            var text = indicator["demo_file"].EndsWith(".csv", StringComparison.Ordinal) || indicator["demo_file"].EndsWith(".gz", StringComparison.Ordinal)
                ? string.Join(';', SemicolonCsv.Read(file).First().Keys)
                : File.ReadAllText(file);
            var column = indicator["demo_column"].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)[0].Replace("YYYY", "2019", StringComparison.Ordinal);
            Assert.Contains(column, text);
        }
        Assert.All(catalogue.Where(r => r["domain"] == "human"), r => Assert.Matches("^[A-Z][0-9]{2}", r["cim10_codes"]));
    }

    private static string DataFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "data"));

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
