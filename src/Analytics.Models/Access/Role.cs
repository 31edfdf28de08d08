namespace Analytics.Models.Access;

/// <summary>
/// The roles a person can hold. Every endpoint and command states which of these it allows;
/// nothing is allowed by default.
/// </summary>
/// <remarks>
/// Names are stored in the database and carried in sign-in claims, so they are lower-case,
/// stable identifiers — never renamed, only added.
/// </remarks>
public static class Role
{
    /// <summary>ARS / public-health analyst: explores indicators, maps and exports.</summary>
    public const string Analyst = "analyst";

    /// <summary>Prevention planner: reads published priority lists and explanations.</summary>
    public const string Planner = "planner";

    /// <summary>Reviewer (human guarantee): approves, rejects or revokes model releases.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Auditor: reads fairness reports, model cards and the audit log.</summary>
    public const string Auditor = "auditor";

    /// <summary>Data steward: loads data and runs the pipeline.</summary>
    public const string Steward = "steward";

    /// <summary>Administrator: manages accounts and configuration.</summary>
    public const string Admin = "admin";

    /// <summary>All roles, in the order screens list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Analyst, Planner, Reviewer, Auditor, Steward, Admin];

    /// <summary>Each role's name for people, French and English, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<(string Id, string Fr, string En)> Names { get; } =
    [
        (Analyst, "Analyste", "Analyst"), (Planner, "Chargé·e de prévention", "Prevention planner"), (Reviewer, "Relecteur·rice", "Reviewer"),
        (Auditor, "Auditeur·rice", "Auditor"), (Steward, "Gestionnaire de données", "Data steward"), (Admin, "Administrateur·rice", "Administrator"),
    ];

    /// <summary>
    /// Roles that can approve releases, read the audit trail, change data or accounts: whoever
    /// holds one signs in with a second factor (TOTP) besides the password.
    /// </summary>
    public static IReadOnlyList<string> NeedingSecondFactor { get; } = [Reviewer, Auditor, Steward, Admin];

    /// <summary>Roles that read what is published — figures after secrecy, the release in force of each model.</summary>
    public static string[] PublishedReaders => [Analyst, Planner, Reviewer, Auditor];

    /// <summary>True when any of <paramref name="roles"/> is one of <see cref="NeedingSecondFactor"/>.</summary>
    public static bool RequireSecondFactor(IEnumerable<string> roles) => roles.Any(r => NeedingSecondFactor.Contains(r, StringComparer.Ordinal));

    /// <summary>True when <paramref name="name"/> is one of <see cref="All"/> (exact, lower-case).</summary>
    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
