using System.Security.Cryptography;
using Analytics.Jobs.Demo;

namespace Analytics.Jobs.Tests.Demo;

[Collection(RegionWorldCollection.Name)]
public class DemoDeterminismTests(RegionWorldFixture region)
{
    [Fact]
    public void same_seed_gives_byte_identical_files()
    {
        var again = Path.Combine(Path.GetTempPath(), "demo-world-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = DemoWorldGenerator.GenerateTo(42, DemoScale.Region, again);

            Assert.Equal(region.Files, files);
            foreach (var file in files)
                Assert.True(Hash(region.PathOf(file)) == Hash(Path.Combine(again, file)), $"{file} differs between two runs with seed 42");
        }
        finally
        {
            Directory.Delete(again, recursive: true);
        }
    }

    [Fact]
    public void another_seed_gives_different_territories_exposures_and_counts()
    {
        var a = Path.Combine(Path.GetTempPath(), "demo-world-" + Guid.NewGuid().ToString("N"));
        var b = Path.Combine(Path.GetTempPath(), "demo-world-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = DemoWorldGenerator.GenerateTo(42, DemoScale.Test, a);
            DemoWorldGenerator.GenerateTo(43, DemoScale.Test, b);

            foreach (var file in new[] { "territories.gpkg", "territories_commune.geojson", "environment_grid_1km.csv.gz", "health_commune.csv.gz" })
            {
                Assert.Contains(file, files);
                Assert.NotEqual(Hash(Path.Combine(a, file)), Hash(Path.Combine(b, file)));
            }
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }

    [Fact]
    public void no_output_file_carries_a_timestamp_or_a_machine_path()
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var file in region.Files.Where(f => !f.EndsWith(".gz", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(region.PathOf(file));
            Assert.DoesNotContain(today, text);
            Assert.DoesNotContain(region.Directory, text);
        }
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
