namespace Analytics.Models.Fairness;

/// <summary>
/// Why a group's figures are withheld from the analyst-facing fairness report (<see cref="PublishedFairness"/>),
/// or <see cref="None"/> when they are shown. A withheld group keeps its label, its number of territories and its
/// verdicts; its sums, metric values, ratios and intervals are not shown.
/// </summary>
public enum Withholding
{
    /// <summary>Shown.</summary>
    None,

    /// <summary>Fewer territories than <see cref="FairnessPolicy.MinimumTerritories"/>: "effectif insuffisant".</summary>
    TooFewTerritories,

    /// <summary>
    /// Fewer recorded cases than <see cref="FairnessPolicy.MinimumObservedCases"/>, or a count the secrecy rule
    /// protects (1 to threshold − 1): "effectif insuffisant".
    /// </summary>
    TooFewCases,

    /// <summary>
    /// Large enough, withheld so that a withheld group's count (or any territory's) cannot be computed or narrowly
    /// bounded from the published groups, margins and total (secondary suppression).
    /// </summary>
    Complementary,
}
