using System.Reflection;
using System.Text.RegularExpressions;

namespace Analytics.Models.AuditTrail;

/// <summary>
/// What happened, as <c>area.action</c>: the vocabulary of the audit log. Stages write the kinds
/// listed here; a new kind is added here, never renamed, since auditors filter on these names.
/// </summary>
public static partial class AuditKinds
{
    /// <summary>Someone opened a web session with their password.</summary>
    public const string SignIn = "auth.sign_in";

    /// <summary>A sign-in was refused (wrong password, unknown or disabled account); the actor is the name given.</summary>
    public const string SignInRefused = "auth.sign_in_refused";

    /// <summary>A session was ended by signing out; the actor is the account.</summary>
    public const string SignOut = "auth.sign_out";

    /// <summary>A second-factor code was refused at sign-in or enrolment; details say whether it was wrong or replayed.</summary>
    public const string SecondFactorRefused = "auth.second_factor_refused";

    /// <summary>A personal API token was issued (its id and display prefix, never its secret).</summary>
    public const string TokenIssue = "auth.token_issue";

    public const string TokenRevoke = "auth.token_revoke";

    /// <summary>An account was created, enabled or disabled, its roles (granted, revoked), password or second factor changed; details say which. The actor is who did it.</summary>
    public const string AccountChange = "account.change";

    /// <summary>A file was loaded or refused (batch id, file hash, rows loaded and quarantined).</summary>
    public const string IngestLoad = "ingest.load";

    /// <summary>Features were built for a dataset.</summary>
    public const string FeaturesBuild = "features.build";

    /// <summary>A model was trained or scored (run id, dataset, code version).</summary>
    public const string ModelRun = "model.run";

    /// <summary>A training run passed its checks and became a release awaiting review.</summary>
    public const string ReleaseCreated = "release.created";

    /// <summary>A reviewer approved a release for publication, naming the evidence read.</summary>
    public const string ReviewApprove = "review.approve";

    public const string ReviewReject = "review.reject";

    /// <summary>A published release was withdrawn.</summary>
    public const string ReviewRevoke = "review.revoke";

    /// <summary>A reviewer kept a territory out of a release's publication.</summary>
    public const string ReviewExclude = "review.exclude";

    /// <summary>An analyst commented on a territory of a model: a review item.</summary>
    public const string ReviewComment = "review.comment";

    /// <summary>A reviewer answered a review item.</summary>
    public const string ReviewAnswer = "review.answer";

    /// <summary>Data left the system (download, report, API export of a release).</summary>
    public const string Export = "export";

    /// <summary>Events older than the retention period were purged (the log records its own purges).</summary>
    public const string AuditPurge = "audit.purge";

    /// <summary>Every kind the product records, in declaration order (the audit screen's filter offers them).</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();

    /// <summary>What an auditor reads for a kind, in French and English (the audit screen); the code stays in the CSV export.</summary>
    /// <exception cref="KeyNotFoundException">A kind the product does not record.</exception>
    public static Specifications.LocalisedText Label(string kind) => kind switch
    {
        SignIn => new("Connexion", "Sign-in"),
        SignInRefused => new("Connexion refusée", "Sign-in refused"),
        SignOut => new("Déconnexion", "Sign-out"),
        SecondFactorRefused => new("Code de second facteur refusé", "Second-factor code refused"),
        TokenIssue => new("Jeton d'API délivré", "API token issued"),
        TokenRevoke => new("Jeton d'API révoqué", "API token revoked"),
        AccountChange => new("Modification de compte", "Account change"),
        IngestLoad => new("Chargement de fichier", "File load"),
        FeaturesBuild => new("Calcul des indicateurs", "Features build"),
        ModelRun => new("Entraînement de modèle", "Model training"),
        ReleaseCreated => new("Publication soumise à la relecture", "Release submitted for review"),
        ReviewApprove => new("Publication approuvée", "Release approved"),
        ReviewReject => new("Publication rejetée", "Release rejected"),
        ReviewRevoke => new("Publication retirée", "Release withdrawn"),
        ReviewExclude => new("Territoire exclu d'une publication", "Territory kept out of a release"),
        ReviewComment => new("Commentaire sur un territoire", "Comment on a territory"),
        ReviewAnswer => new("Réponse à un commentaire", "Answer to a comment"),
        Export => new("Export de données", "Data export"),
        AuditPurge => new("Purge du journal", "Log purge"),
        _ => throw new KeyNotFoundException($"'{kind}' is not a kind of audit event the product records"),
    };

    /// <summary>Lower-case words joined by dots, each word letters, digits and '_', starting with a letter; at most 64 characters.</summary>
    public static bool IsWellFormed(string? kind) => kind is { Length: > 0 and <= 64 } && KindPattern().IsMatch(kind);

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();
}
