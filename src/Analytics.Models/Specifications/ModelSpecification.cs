using System.Text.Json;
using System.Text.RegularExpressions;

namespace Analytics.Models.Specifications;

/// <summary>Text in French and English; French is shown first.</summary>
public sealed record LocalisedText(string Fr, string En);

/// <summary>Where a model's exposure offset comes from.</summary>
public enum ExposureKind
{
    /// <summary>Expected cases by indirect standardisation (sex × age band): the model predicts SIRs.</summary>
    Expected,

    /// <summary>Population: the model predicts crude rates.</summary>
    Population,
}

/// <summary>
/// A risk model, declared as data (one JSON file per model in <c>data/models/</c>): which counts
/// it predicts, against which exposure, from which catalogue indicators, which territories' groups
/// its fairness audit compares, and what share of territories its priority list holds.
/// </summary>
/// <param name="Code">Stable identifier (lower case, digits, underscores).</param>
/// <param name="Label">What the model predicts, fr/en.</param>
/// <param name="IntendedUse">What the model is for and not for, fr/en — copied into the model card.</param>
/// <param name="Condition">Condition code of the health counts (the catalogue's, e.g. <c>hosp_asthma</c>).</param>
/// <param name="Level">Territory level the model works at.</param>
/// <param name="Exposure">The offset.</param>
/// <param name="Features">Catalogue indicator codes used as covariates.</param>
/// <param name="Groups">Group dimensions the fairness audit compares; <c>a*b</c> is the intersection of two.</param>
/// <param name="PriorityShare">Share of territories in the priority list (top predicted SIR).</param>
/// <param name="Folds">Folds of the spatially blocked cross-validation.</param>
/// <param name="Seed">Seed of everything random (blocks, trees, bootstrap): same inputs and seed, same outputs.</param>
public sealed record ModelSpecification(
    string Code,
    LocalisedText Label,
    LocalisedText IntendedUse,
    string Condition,
    string Level,
    ExposureKind Exposure,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Groups,
    double PriorityShare,
    int Folds,
    ulong Seed)
{
    /// <summary>The group dimensions every territory carries (derived by the Features stage).</summary>
    public static readonly IReadOnlyList<string> KnownGroupDimensions = ["deprivation_quintile", "density_class", "territory_type"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads and checks a specification; every error names the source and the field.</summary>
    /// <exception cref="FormatException">The text is not a valid specification.</exception>
    public static ModelSpecification Parse(string json, string source)
    {
        ModelSpecification? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpecification>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: {(e.Path is null ? "" : $"field {e.Path}: ")}{e.Message}", e);
        }
        if (spec is null)
            throw new FormatException($"{source}: empty specification");
        var errors = spec.Problems().ToList();
        if (errors.Count > 0)
            throw new FormatException($"{source}: {string.Join("; ", errors)}");
        return spec;
    }

    /// <summary>Each field that breaks a rule, with why.</summary>
    public IEnumerable<string> Problems()
    {
        if (Code is null || !Regex.IsMatch(Code, "^[a-z][a-z0-9_]{1,62}$"))
            yield return "code: lower-case letters, digits and underscores, starting with a letter";
        if (Label is null || string.IsNullOrWhiteSpace(Label.Fr) || string.IsNullOrWhiteSpace(Label.En))
            yield return "label: needs fr and en";
        if (IntendedUse is null || string.IsNullOrWhiteSpace(IntendedUse.Fr) || string.IsNullOrWhiteSpace(IntendedUse.En))
            yield return "intendedUse: needs fr and en (it goes into the model card)";
        if (string.IsNullOrWhiteSpace(Condition))
            yield return "condition: required";
        if (string.IsNullOrWhiteSpace(Level))
            yield return "level: required";
        if (Features is null || Features.Count == 0)
            yield return "features: at least one indicator";
        else if (Features.Distinct(StringComparer.Ordinal).Count() != Features.Count)
            yield return "features: an indicator is listed twice";
        if (Groups is null || Groups.Count == 0)
            yield return "groups: at least one group dimension to audit";
        else
            foreach (var group in Groups.Where(g => g.Split('*').Any(d => !KnownGroupDimensions.Contains(d)) || g.Split('*').Length > 2))
                yield return $"groups: '{group}' is not one of {string.Join(", ", KnownGroupDimensions)} or an intersection a*b of two";
        if (!(PriorityShare > 0 && PriorityShare <= 0.5))
            yield return "priorityShare: between 0 (excluded) and 0.5";
        if (Folds is < 2 or > 20)
            yield return "folds: between 2 and 20";
    }
}
