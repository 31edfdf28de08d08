namespace Analytics.Jobs.Ingest;

/// <summary>Territory levels and the words producers use for them.</summary>
public static class Levels
{
    public const string Iris = "iris", Commune = "commune", Epci = "epci", Departement = "departement", Region = "region", Custom = "custom";

    /// <summary>The whole loaded world, above the régions: a level of published figures (<c>features.whole_indicator</c>), not of territories.</summary>
    public const string Whole = "whole";

    /// <summary>The levels figures are published, looked up and mapped at, finest first.</summary>
    public static IReadOnlyList<string> Published { get; } = [Commune, Epci, Departement, Region];

    /// <summary>From finest to coarsest: the default parent of a level is the next one loaded.</summary>
    public static IReadOnlyList<string> Hierarchy { get; } = [Iris, Commune, Epci, Departement, Region];

    public static string? Parse(string text) => Text.Columns.Normalise(text) switch
    {
        "iris" => Iris,
        "commune" or "communes" or "com" or "comm" or "arm" => Commune,
        "epci" or "interco" or "intercommunalite" => Epci,
        "departement" or "departements" or "dep" or "dept" or "department" => Departement,
        "region" or "regions" or "reg" => Region,
        "custom" or "zonage" or "cpts" => Custom,
        _ => null,
    };
}
