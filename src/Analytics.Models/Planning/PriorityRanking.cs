namespace Analytics.Models.Planning;

/// <summary>
/// The default priority order for a prevention programme: expected excess cases μ − E, highest first.
/// </summary>
/// <remarks>
/// <para>Why excess cases and not the predicted SIR: a programme prevents cases, not ratios. A commune with
/// 0.24 predicted cases against 0.144 expected has an SIR of 1.67 and would top an SIR list, yet it offers
/// a tenth of a case to prevent; the excess weighs the ratio by the number of cases it concerns, so a small
/// denominator cannot dominate.</para>
/// <para>Territories whose 90% prediction interval is wider than <see cref="MaxRelativeIntervalWidth"/>
/// times their predicted cases are too uncertain to rank: they get no rank and follow the ranked ones, in
/// the same order. For a Poisson count the 90% interval is wider than twice the mean below about 2.5
/// predicted cases (μ = 2.4: [0, 5]; μ = 2.5: [0, 5], width exactly 2); over-dispersion raises that point.</para>
/// <para>Ties are broken by code (ordinal), so the order never depends on input order.</para>
/// </remarks>
public static class PriorityRanking
{
    /// <summary>Largest relative width (high − low) / μ of the 90% prediction interval that still allows a rank.</summary>
    public const double MaxRelativeIntervalWidth = 2.0;

    /// <summary>Floor for μ in the relative width, so that a zero prediction does not divide by zero.</summary>
    public const double MinimumPredictedCases = 1e-9;

    /// <summary>The rule in one French sentence, for the screen.</summary>
    public const string RuleFr =
        "Les territoires sont classés par nombre de cas attendus en excès (cas prédits moins cas attendus au taux de référence), du plus élevé au plus faible, et ceux dont l'intervalle de prédiction à 90 % est plus large que deux fois le nombre de cas prédits ne sont pas classés, faute de précision.";

    /// <summary>The rule in one English sentence, for the screen.</summary>
    public const string RuleEn =
        "Territories are ranked by expected excess cases (predicted cases minus cases expected at the reference rate), highest first, and those whose 90% prediction interval is wider than twice their predicted cases are left unranked as too uncertain.";

    /// <summary>True when the territory's prediction is too imprecise to place it in the order.</summary>
    public static bool IsTooUncertain(PlanningTerritory territory) => IsTooUncertain(territory.PredictedCases, territory.IntervalLow, territory.IntervalHigh);

    /// <summary>
    /// True when a prediction of <paramref name="predictedCases"/> with the 90% interval [low, high] is too imprecise to
    /// place in an order: (high − low) / max(μ, tiny) above <see cref="MaxRelativeIntervalWidth"/>.
    /// </summary>
    public static bool IsTooUncertain(double predictedCases, double low, double high) =>
        (high - low) / Math.Max(predictedCases, MinimumPredictedCases) > MaxRelativeIntervalWidth;

    /// <summary>The territories in priority order: ranked ones first (rank 1, 2, …), then the too uncertain ones.</summary>
    public static IReadOnlyList<RankedTerritory> Rank(IEnumerable<PlanningTerritory> territories)
    {
        var ordered = ByExcess(PlanningTerritory.Validated(territories));
        var ranked = new List<RankedTerritory>(ordered.Count);
        foreach (var t in ordered.Where(t => !IsTooUncertain(t)))
            ranked.Add(new RankedTerritory(t, ranked.Count + 1, false));
        foreach (var t in ordered.Where(IsTooUncertain))
            ranked.Add(new RankedTerritory(t, null, true));
        return ranked;
    }

    /// <summary>Excess cases descending, ties by code (ordinal).</summary>
    private static List<PlanningTerritory> ByExcess(IEnumerable<PlanningTerritory> territories) =>
        territories.OrderByDescending(t => t.ExcessCases).ThenBy(t => t.Code, StringComparer.Ordinal).ToList();
}
