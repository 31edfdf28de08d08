using System.Runtime.CompilerServices;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>Where the committed demo world (data/demo) and indicator catalogue (data/catalog) are.</summary>
public static class DemoWorld
{
    public static string Folder { get; } = DataFolder();

    public static string Manifest => File("load.json");

    public static string Catalogue => Path.Combine(Folder, "..", "catalog", "indicators.csv");

    public static string File(string name) => Path.Combine(Folder, name);

    private static string DataFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "data", "demo"));
}
