using System.Text.Json;

namespace Analytics.Jobs.Demo;

/// <summary>
/// The demo world's load manifest — data/demo/load.json, embedded — written beside every generated world with the
/// path to the indicator catalogue from there and the world's seed, so that one command loads any scale.
/// </summary>
public static class DemoManifest
{
    public const string FileName = "load.json";

    /// <summary>The manifest for a world written to <paramref name="directory"/> with seed <paramref name="seed"/>, loading the catalogue <paramref name="catalogue"/>.</summary>
    public static string Text(string directory, ulong seed, string catalogue)
    {
        using var stream = typeof(DemoManifest).Assembly.GetManifestResourceStream("demo/load.json")
            ?? throw new InvalidOperationException("the demo load manifest is not embedded in this build");
        var path = Path.GetRelativePath(Path.GetFullPath(directory), Path.GetFullPath(catalogue)).Replace('\\', '/');
        return new StreamReader(stream).ReadToEnd()
            .Replace("\"../catalog/indicators.csv\"", JsonSerializer.Serialize(path), StringComparison.Ordinal)
            .Replace("(seed 42)", $"(seed {seed})", StringComparison.Ordinal);
    }
}
