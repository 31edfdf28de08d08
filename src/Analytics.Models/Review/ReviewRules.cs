using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Models.Fairness;
using Analytics.Models.Text;

namespace Analytics.Models.Review;

/// <summary>Where a release stands. <c>pending_review → approved → superseded | revoked</c>, or <c>pending_review → rejected</c>.</summary>
[JsonConverter(typeof(ReleaseStateJsonConverter))]
public enum ReleaseState
{
    PendingReview,
    Approved,
    Rejected,
    Revoked,
    Superseded,
}

/// <summary>The one identifier of each release state, as the database, the API and the web app write it.</summary>
public static class ReleaseStates
{
    private static readonly (ReleaseState State, string Id)[] Names =
    [
        (ReleaseState.PendingReview, "pending_review"), (ReleaseState.Approved, "approved"), (ReleaseState.Rejected, "rejected"),
        (ReleaseState.Revoked, "revoked"), (ReleaseState.Superseded, "superseded"),
    ];

    /// <summary>Each state's identifier and its words for people, French and English.</summary>
    public static IReadOnlyList<(string Id, string Fr, string En)> Labels { get; } =
    [
        ("pending_review", "en attente de relecture", "pending review"), ("approved", "approuvée, en vigueur", "approved, in force"),
        ("rejected", "rejetée", "rejected"), ("revoked", "révoquée", "revoked"), ("superseded", "remplacée par une plus récente", "superseded by a newer one"),
    ];

    public static string Id(ReleaseState state) => Names.Single(n => n.State == state).Id;

    /// <summary>The state named <paramref name="id"/>; false for an unknown name.</summary>
    public static bool TryParse(string id, out ReleaseState state)
    {
        var found = Names.FirstOrDefault(n => n.Id == id);
        state = found.State;
        return found.Id is not null;
    }

    public static ReleaseState Parse(string id) => TryParse(id, out var state) ? state
        : throw new ArgumentOutOfRangeException(nameof(id), id, "unknown release state");
}

/// <summary>A release state in JSON as its identifier (<c>"pending_review"</c>).</summary>
public sealed class ReleaseStateJsonConverter : JsonConverter<ReleaseState>
{
    public override ReleaseState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReleaseStates.Parse(reader.GetString() ?? throw new JsonException("a release state is a string"));

    public override void Write(Utf8JsonWriter writer, ReleaseState value, JsonSerializerOptions options) => writer.WriteStringValue(ReleaseStates.Id(value));
}

/// <summary>What the rules need to know about a release to judge a decision on it.</summary>
/// <param name="State">Its state now.</param>
/// <param name="LaunchedBy">Who launched the training run it comes from.</param>
/// <param name="Fairness">The overall fairness verdict of its model as trained.</param>
/// <param name="OpenReviewItems">Analyst comments on the model's territories not yet answered.</param>
public sealed record ReleaseFacts(ReleaseState State, string LaunchedBy, Verdict Fairness, int OpenReviewItems);

/// <summary>A reviewer's decision: who, and the texts given.</summary>
public sealed record Decision(string Reviewer, string? Justification, string? Acknowledgement = null);

/// <summary>One reason a decision is refused, in French and English.</summary>
public sealed record Refusal(string Code, string Fr, string En)
{
    public override string ToString() => $"{Fr} / {En}";
}

/// <summary>
/// The human-guarantee rules on a release: four eyes (the person who launched the run cannot approve
/// it), a written justification for every decision, an explicit acknowledgement when the fairness
/// audit did not pass cleanly, every analyst comment answered before approval, and the allowed
/// transitions. Pure: the Release stage asks, then writes.
/// </summary>
public static class ReviewRules
{
    /// <summary>Shortest justification or reason accepted, in visible characters (<see cref="FreeText"/>): a sentence, not "ok".</summary>
    public const int MinimumTextLength = 20;

    public static IReadOnlyList<Refusal> CheckApproval(ReleaseFacts release, Decision decision)
    {
        var refusals = new List<Refusal>();
        if (release.State != ReleaseState.PendingReview)
            refusals.Add(NotPending(release.State));
        if (string.Equals(release.LaunchedBy, decision.Reviewer, StringComparison.OrdinalIgnoreCase))
            refusals.Add(new Refusal("four_eyes",
                "La personne qui a lancé l'entraînement ne peut pas approuver sa publication.",
                "The person who launched the training run cannot approve its release."));
        if (!IsText(decision.Justification))
            refusals.Add(TextNeeded("justification", "une justification écrite", "a written justification"));
        if (release.Fairness is Verdict.Fail or Verdict.InsufficientEvidence && !IsText(decision.Acknowledgement))
            refusals.Add(new Refusal("acknowledgement",
                $"L'audit d'équité conclut « {Verdicts.Label(release.Fairness).Fr} » : une reconnaissance explicite d'au moins {MinimumTextLength} caractères est requise.",
                $"The fairness audit says '{release.Fairness}': an explicit acknowledgement of at least {MinimumTextLength} characters is required."));
        if (release.OpenReviewItems > 0)
            refusals.Add(new Refusal("open_review_items",
                $"{release.OpenReviewItems} commentaire(s) d'analyste attendent une réponse (accepté ou refusé avec motif).",
                $"{release.OpenReviewItems} analyst comment(s) await an answer (accepted, or declined with a reason)."));
        return refusals;
    }

    public static IReadOnlyList<Refusal> CheckRejection(ReleaseFacts release, Decision decision)
    {
        var refusals = new List<Refusal>();
        if (release.State != ReleaseState.PendingReview)
            refusals.Add(NotPending(release.State));
        if (!IsText(decision.Justification))
            refusals.Add(TextNeeded("reason", "un motif écrit", "a written reason"));
        return refusals;
    }

    public static IReadOnlyList<Refusal> CheckRevocation(ReleaseFacts release, Decision decision)
    {
        var refusals = new List<Refusal>();
        if (release.State != ReleaseState.Approved)
            refusals.Add(new Refusal("not_published",
                "Seule une publication approuvée et en vigueur peut être révoquée.",
                "Only an approved release in force can be revoked."));
        if (!IsText(decision.Justification))
            refusals.Add(TextNeeded("reason", "un motif écrit", "a written reason"));
        return refusals;
    }

    /// <summary>An answer to an analyst's comment: accepting needs no text, declining needs a reason.</summary>
    public static IReadOnlyList<Refusal> CheckAnswer(bool accepted, string? reason) =>
        accepted || IsText(reason) ? [] : [TextNeeded("reason", "un motif pour refuser le commentaire", "a reason to decline the comment")];

    /// <summary>A reviewer excluding a territory from publication must say why.</summary>
    public static IReadOnlyList<Refusal> CheckExclusion(ReleaseFacts release, string? reason)
    {
        var refusals = new List<Refusal>();
        if (release.State != ReleaseState.PendingReview)
            refusals.Add(NotPending(release.State));
        if (!IsText(reason))
            refusals.Add(TextNeeded("reason", "un motif d'exclusion", "a reason for the exclusion"));
        return refusals;
    }

    private static bool IsText(string? text) => FreeText.HasContent(text, MinimumTextLength);

    private static Refusal NotPending(ReleaseState state) => new("not_pending",
        $"Cette publication n'attend plus de revue (état : {ReleaseStates.Id(state)}).",
        $"This release is no longer awaiting review (state: {ReleaseStates.Id(state)}).");

    private static Refusal TextNeeded(string code, string fr, string en) => new(code,
        $"Il faut {fr} d'au moins {MinimumTextLength} caractères visibles (espaces et caractères invisibles non comptés).",
        $"{char.ToUpperInvariant(en[0])}{en[1..]} of at least {MinimumTextLength} visible characters is required (spaces and invisible characters do not count).");
}
