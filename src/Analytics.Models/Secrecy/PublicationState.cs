using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Models.Specifications;

namespace Analytics.Models.Secrecy;

/// <summary>What a reader is shown in place of a number.</summary>
/// <remarks>
/// <see cref="Missing"/> is zero so that a default-initialised <see cref="Published{T}"/> can
/// never pass for a published value of 0.
/// </remarks>
[JsonConverter(typeof(PublicationStateJsonConverter))]
public enum PublicationState
{
    /// <summary>No data: the source did not provide the figure.</summary>
    Missing = 0,

    /// <summary>A figure the reader may see.</summary>
    Value,

    /// <summary>Withheld under statistical secrecy (primary, secondary, or derived from a withheld figure).</summary>
    Suppressed,

    /// <summary>Shown but flagged: too few cases for the figure to be stable.</summary>
    Unreliable,
}

/// <summary>Each publication state's one identifier (as <c>features.*.state</c> stores it) and its words: a reader is never shown a bare null.</summary>
public static class PublicationStates
{
    private static readonly (PublicationState State, string Id, LocalisedText Label)[] Names =
    [
        (PublicationState.Value, "value", new("publié", "published")),
        (PublicationState.Suppressed, "suppressed", new("secret statistique", "withheld for statistical secrecy")),
        (PublicationState.Missing, "missing", new("donnée manquante", "missing")),
        (PublicationState.Unreliable, "unreliable", new("peu fiable", "unreliable")),
    ];

    public static IReadOnlyList<(PublicationState State, string Id, LocalisedText Label)> All => Names;

    public static string Id(PublicationState state) => Names.Single(n => n.State == state).Id;

    public static LocalisedText Label(PublicationState state) => Names.Single(n => n.State == state).Label;

    public static PublicationState Parse(string id) => Names.FirstOrDefault(n => n.Id == id) is { Id: not null } name
        ? name.State
        : throw new ArgumentOutOfRangeException(nameof(id), id, "unknown publication state");
}

/// <summary>A publication state in JSON as its identifier (<c>"suppressed"</c>).</summary>
public sealed class PublicationStateJsonConverter : JsonConverter<PublicationState>
{
    public override PublicationState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PublicationStates.Parse(reader.GetString() ?? throw new JsonException("a publication state is a string"));

    public override void Write(Utf8JsonWriter writer, PublicationState value, JsonSerializerOptions options) => writer.WriteStringValue(PublicationStates.Id(value));
}
