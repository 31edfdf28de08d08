using Analytics.Jobs.Demo;

namespace Analytics.Jobs.Tests.Demo;

/// <summary>The region-scale demo world for seed 42, generated once and written to a temporary folder.</summary>
public sealed class RegionWorldFixture : IDisposable
{
    public RegionWorldFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "demo-world-" + Guid.NewGuid().ToString("N"));
        Files = DemoWorldGenerator.GenerateTo(42, DemoScale.Region, Directory);
    }

    public string Directory { get; }
    public IReadOnlyList<string> Files { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class RegionWorldCollection : ICollectionFixture<RegionWorldFixture>
{
    public const string Name = "region demo world";
}
