using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// A list of files to load in order — the catalogue, territories from the coarsest level down,
/// then facts — so that a whole data set (the demo world, a yearly refresh) loads with one command.
/// Paths are relative to the manifest. Loading a manifest twice loads nothing the second time.
/// </summary>
public sealed record LoadManifest(IReadOnlyList<ManifestEntry> Loads)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static LoadManifest Read(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<LoadManifest>(File.ReadAllText(path), Json)
                ?? throw new IngestException(Path.GetFileName(path), null, null, "the manifest is empty");
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            return manifest with { Loads = manifest.Loads.Select(l => l with { File = Path.GetFullPath(Path.Combine(folder, l.File)) }).ToList() };
        }
        catch (JsonException e)
        {
            throw new IngestException(Path.GetFileName(path), e.LineNumber + 1, e.Path, $"not a valid load manifest: {e.Message.Split(" Path:")[0]}");
        }
    }
}

/// <summary>One file of a manifest: its kind, its path, how to read it.</summary>
public sealed record ManifestEntry(IngestKind Kind, string File, IngestOptions? Options);
