using Analytics.Models.Fairness;

namespace Analytics.Jobs.FairnessReports;

/// <summary>
/// The words of the fairness audit's dimensions, groups and metrics, French and English: the report writes the French,
/// the web app reads both from <c>/api/app</c>. Metrics by their JSON identifier (<c>selectionRate</c>).
/// </summary>
public static class FairnessTerms
{
    public static IReadOnlyList<(string Id, string Fr, string En)> Dimensions { get; } =
    [
        (FairnessDimensions.DeprivationQuintile, "quintile de défavorisation", "deprivation quintile"),
        (FairnessDimensions.DensityClass, "classe de densité", "density class"),
        (FairnessDimensions.TerritoryType, "type de territoire", "territory type"),
    ];

    public static IReadOnlyList<(string Id, string Fr, string En)> Groups { get; } =
    [
        ("urban", "urbain", "urban"), ("intermediate", "intermédiaire", "intermediate"), ("rural", "rural", "rural"),
        (FairnessDimensions.Overseas, "outre-mer", "overseas"), (FairnessDimensions.Mainland, "métropole", "mainland"),
    ];

    public static IReadOnlyList<(FairnessMetric Metric, string Fr, string En)> Metrics { get; } =
    [
        (FairnessMetric.MeanAbsoluteError, "Erreur absolue moyenne (taux pour 100 000)", "Mean absolute error (rate per 100,000)"),
        (FairnessMetric.Bias, "Biais moyen, prédit − observé (taux pour 100 000)", "Mean bias, predicted − observed (rate per 100,000)"),
        (FairnessMetric.Calibration, "Calibration, observé / attendu", "Calibration, observed / expected"),
        (FairnessMetric.UnderPrediction, "Part de territoires sous-prédits", "Share of territories under-predicted"),
        (FairnessMetric.SelectionRate, "Taux de sélection dans la liste prioritaire", "Selection rate in the priority list"),
        (FairnessMetric.TruePositiveRate, "Taux de vrais positifs", "True positive rate"),
        (FairnessMetric.FalsePositiveRate, "Taux de faux positifs", "False positive rate"),
        (FairnessMetric.Precision, "Précision de la liste prioritaire", "Precision of the priority list"),
        (FairnessMetric.FalseNegativeRate, "Taux de faux négatifs", "False negative rate"),
        (FairnessMetric.TrueNegativeRate, "Taux de vrais négatifs", "True negative rate"),
        (FairnessMetric.FalseDiscoveryRate, "Taux de fausses découvertes de la liste prioritaire", "False discovery rate of the priority list"),
        (FairnessMetric.FalseOmissionRate, "Taux de fausses omissions hors de la liste prioritaire", "False omission rate outside the priority list"),
        (FairnessMetric.NegativePredictiveValue, "Valeur prédictive négative hors de la liste prioritaire", "Negative predictive value outside the priority list"),
    ];

    /// <summary>
    /// "dimension = group" in words, French and English, an intersection's parts joined by " × " as in the audit
    /// (<c>density_class × deprivation_quintile</c> = <c>rural × 5</c>); a part without words keeps its code.
    /// </summary>
    public static (string Fr, string En) GroupWords(string dimension, string group)
    {
        static string Join(string value, IReadOnlyList<(string Id, string Fr, string En)> terms, Func<(string Id, string Fr, string En), string> pick) =>
            string.Join(" × ", value.Split(" × ").Select(part => terms.FirstOrDefault(t => t.Id == part) is { Id: not null } t ? pick(t) : part));
        return ($"{Join(dimension, Dimensions, t => t.Fr)} = {Join(group, Groups, t => t.Fr)}", $"{Join(dimension, Dimensions, t => t.En)} = {Join(group, Groups, t => t.En)}");
    }

    /// <summary>A metric's identifier as the report's JSON writes it (camelCase).</summary>
    public static string JsonId(FairnessMetric metric) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(metric.ToString());
}
