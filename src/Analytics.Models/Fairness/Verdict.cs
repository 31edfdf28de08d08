using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Models.Specifications;

namespace Analytics.Models.Fairness;

/// <summary>
/// The judgement of one metric, one group or a whole report. A group too small to judge is
/// <see cref="InsufficientEvidence"/>, never <see cref="Pass"/>. In JSON, its identifier (<see cref="Verdicts.Id"/>).
/// </summary>
[JsonConverter(typeof(VerdictJsonConverter))]
public enum Verdict
{
    /// <summary>The ratio's confidence interval lies inside the tolerance.</summary>
    Pass,

    /// <summary>The interval straddles a tolerance bound: neither shown fair nor shown unfair.</summary>
    Warn,

    /// <summary>The interval lies wholly outside the tolerance.</summary>
    Fail,

    /// <summary>Too few territories, cases or denominator events (in the group or its reference) to judge.</summary>
    InsufficientEvidence,

    /// <summary>Not judged: the reference group itself, or a metric the policy reports without judging.</summary>
    NotJudged,
}

/// <summary>How verdicts are named and how they combine: the one place their identifiers and words are written.</summary>
public static class Verdicts
{
    private static readonly (Verdict Verdict, string Id, LocalisedText Label)[] Names =
    [
        (Verdict.Pass, "pass", new("conforme", "pass")),
        (Verdict.Warn, "warn", new("à surveiller", "watch")),
        (Verdict.Fail, "fail", new("non conforme", "fail")),
        (Verdict.InsufficientEvidence, "insufficient_evidence", new("preuves insuffisantes", "insufficient evidence")),
        (Verdict.NotJudged, "not_judged", new("non évalué", "not judged")),
    ];

    /// <summary>Every verdict with its identifier and words, for the web app to show rather than repeat.</summary>
    public static IReadOnlyList<(Verdict Verdict, string Id, LocalisedText Label)> All => Names;

    /// <summary>The stable identifier stored in the database, CSV and JSON (snake_case).</summary>
    public static string Id(Verdict verdict) => Names.Single(n => n.Verdict == verdict).Id;

    /// <summary>The words for a verdict, lower case, French and English.</summary>
    public static LocalisedText Label(Verdict verdict) => Names.Single(n => n.Verdict == verdict).Label;

    public static Verdict Parse(string id) => Names.FirstOrDefault(n => n.Id == id) is { Id: not null } name
        ? name.Verdict
        : throw new ArgumentOutOfRangeException(nameof(id), id, "unknown fairness verdict");

    /// <summary>
    /// The overall verdict of several: <see cref="Verdict.Fail"/> &gt; <see cref="Verdict.InsufficientEvidence"/>
    /// &gt; <see cref="Verdict.Warn"/> &gt; <see cref="Verdict.Pass"/>; <see cref="Verdict.NotJudged"/> is ignored,
    /// and is the result only when nothing was judged. Insufficient evidence outranks a warning because
    /// "we could not look" must never read better than "we looked and it is borderline".
    /// </summary>
    public static Verdict Combine(IEnumerable<Verdict> verdicts)
    {
        var result = Verdict.NotJudged;
        foreach (var v in verdicts)
            if (Rank(v) > Rank(result))
                result = v;
        return result;
    }

    private static int Rank(Verdict v) => v switch
    {
        Verdict.NotJudged => 0,
        Verdict.Pass => 1,
        Verdict.Warn => 2,
        Verdict.InsufficientEvidence => 3,
        Verdict.Fail => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, null),
    };
}

/// <summary>A verdict in JSON as its one identifier (<c>"insufficient_evidence"</c>), wherever it is written or read.</summary>
public sealed class VerdictJsonConverter : JsonConverter<Verdict>
{
    public override Verdict Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Verdicts.Parse(reader.GetString() ?? throw new JsonException("a verdict is a string"));

    public override void Write(Utf8JsonWriter writer, Verdict value, JsonSerializerOptions options) => writer.WriteStringValue(Verdicts.Id(value));
}
