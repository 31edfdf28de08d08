namespace Analytics.Jobs.Ingest;

/// <summary>What a file holds, which decides how it is read and where it goes.</summary>
public enum IngestKind
{
    /// <summary>The indicator catalogue (CSV).</summary>
    Catalog,
    /// <summary>Territory boundaries of one level and vintage (GeoJSON, GeoPackage, zipped Shapefile).</summary>
    Territories,
    /// <summary>Territory code changes of a COG vintage: mergers, splits (CSV).</summary>
    CodeChanges,
    /// <summary>Health aggregates by territory, period, condition, sex and age band (CSV).</summary>
    Health,
    /// <summary>Socio-economic values by territory code (CSV).</summary>
    Socio,
    /// <summary>Animal and vector health: values by territory code (CSV) or point/polygon layers.</summary>
    Animal,
    /// <summary>Environment: values by territory code (CSV), grids (cell centres CSV), stations (CSV), polygon or point layers.</summary>
    Environment,
    /// <summary>A custom zoning (health contracts, CPTS…): zones as sets of communes (CSV), each accepted or refused under the secrecy rules.</summary>
    Zoning,
}

public static class IngestKinds
{
    /// <summary>The name used on the command line, in the API and in <c>ingest.batch.kind</c>.</summary>
    public static string Name(this IngestKind kind) => kind switch
    {
        IngestKind.CodeChanges => "code-changes",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string name, out IngestKind kind)
    {
        foreach (var candidate in Enum.GetValues<IngestKind>())
        {
            if (candidate.Name() == name.Trim().ToLowerInvariant())
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<IngestKind>().Select(k => k.Name()).ToList();

    /// <summary>What a steward calls the kind, in French and English (the upload form, the batches' list).</summary>
    public static Analytics.Models.Specifications.LocalisedText Label(this IngestKind kind) => kind switch
    {
        IngestKind.Catalog => new("Catalogue des indicateurs", "Indicator catalogue"),
        IngestKind.Territories => new("Contours des territoires", "Territory boundaries"),
        IngestKind.CodeChanges => new("Évolutions du code officiel géographique (COG)", "Territory code changes (COG)"),
        IngestKind.Health => new("Données de santé agrégées", "Aggregated health data"),
        IngestKind.Socio => new("Données socio-économiques", "Socio-economic data"),
        IngestKind.Animal => new("Santé animale et vecteurs", "Animal and vector health"),
        IngestKind.Environment => new("Environnement (valeurs, grilles, stations, couches)", "Environment (values, grids, stations, layers)"),
        IngestKind.Zoning => new("Zonage personnalisé (contrats locaux de santé, CPTS…)", "Custom zoning (local health contracts, CPTS…)"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
