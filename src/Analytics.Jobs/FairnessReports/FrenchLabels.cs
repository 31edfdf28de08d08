using Analytics.Models.Fairness;

namespace Analytics.Jobs.FairnessReports;

/// <summary>The report's words in French (docs/GLOSSARY terms), with the English identifiers used in CSV and JSON.</summary>
internal static class FrenchLabels
{
    public static string Metric(FairnessMetric metric) => FairnessTerms.Metrics.Single(m => m.Metric == metric).Fr;

    /// <summary>What the ratio of a metric compares (bias is compared through mean predicted / mean observed).</summary>
    public static string Compared(FairnessMetric metric) =>
        metric == FairnessMetric.Bias ? "ratio des rapports prédit / observé" : "ratio au groupe de référence";

    /// <summary>A verdict's French words, as a heading or badge writes them (capitalised).</summary>
    public static string Verdict(Verdict verdict) => Capitalised(Verdicts.Label(verdict).Fr);

    private static string Capitalised(string words) => string.Concat(char.ToUpper(words[0], System.Globalization.CultureInfo.GetCultureInfo("fr-FR")).ToString(), words[1..]);

    public static string Shortfall(EvidenceShortfall shortfall) => shortfall switch
    {
        EvidenceShortfall.None => "",
        EvidenceShortfall.TooFewTerritories => "trop peu de territoires",
        EvidenceShortfall.TooFewObservedCases => "trop peu de cas observés",
        EvidenceShortfall.TooFewInDenominator => "dénominateur trop petit",
        EvidenceShortfall.ReferenceInsufficient => "groupe de référence trop petit",
        EvidenceShortfall.RatioUndefined => "valeur de référence nulle : ratio indéfini",
        EvidenceShortfall.UnstableResamples => "rééchantillonnages instables",
        _ => throw new ArgumentOutOfRangeException(nameof(shortfall), shortfall, null),
    };

    /// <summary>A dimension's name in French; an intersection "a × b" translates each side.</summary>
    public static string Dimension(string dimension) =>
        string.Join(" × ", dimension.Split(" × ").Select(d => FairnessTerms.Dimensions.FirstOrDefault(t => t.Id == d).Fr ?? d));

    /// <summary>A dimension's short name for chart rows ("densité × quintile").</summary>
    public static string ShortDimension(string dimension) =>
        string.Join(" × ", dimension.Split(" × ").Select(d => d switch
        {
            FairnessDimensions.DeprivationQuintile => "quintile",
            FairnessDimensions.DensityClass => "densité",
            FairnessDimensions.TerritoryType => "territoire",
            _ => d,
        }));

    /// <summary>A group label in French ("rural × 5" stays, "urban" becomes "urbain", "overseas" "outre-mer").</summary>
    public static string Group(string label) =>
        string.Join(" × ", label.Split(" × ").Select(l => FairnessTerms.Groups.FirstOrDefault(t => t.Id == l).Fr ?? l));

    /// <summary>Stable English identifier of a metric for CSV (snake_case).</summary>
    public static string MetricId(FairnessMetric metric) => metric switch
    {
        FairnessMetric.MeanAbsoluteError => "mean_absolute_error",
        FairnessMetric.Bias => "bias",
        FairnessMetric.Calibration => "calibration",
        FairnessMetric.UnderPrediction => "under_prediction",
        FairnessMetric.SelectionRate => "selection_rate",
        FairnessMetric.TruePositiveRate => "true_positive_rate",
        FairnessMetric.FalsePositiveRate => "false_positive_rate",
        FairnessMetric.Precision => "precision",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>Stable English identifier of a shortfall for CSV (snake_case; empty for none).</summary>
    public static string ShortfallId(EvidenceShortfall shortfall) => shortfall switch
    {
        EvidenceShortfall.None => "",
        EvidenceShortfall.TooFewTerritories => "too_few_territories",
        EvidenceShortfall.TooFewObservedCases => "too_few_observed_cases",
        EvidenceShortfall.TooFewInDenominator => "too_few_in_denominator",
        EvidenceShortfall.ReferenceInsufficient => "reference_insufficient",
        EvidenceShortfall.RatioUndefined => "ratio_undefined",
        EvidenceShortfall.UnstableResamples => "unstable_resamples",
        _ => throw new ArgumentOutOfRangeException(nameof(shortfall), shortfall, null),
    };

    /// <summary>Why a group's figures are withheld, in French (empty when shown).</summary>
    public static string Withholding(Withholding withholding) => withholding switch
    {
        Models.Fairness.Withholding.None => "",
        Models.Fairness.Withholding.TooFewTerritories => "effectif insuffisant (trop peu de territoires)",
        Models.Fairness.Withholding.TooFewCases => "effectif insuffisant (trop peu de cas)",
        Models.Fairness.Withholding.Complementary => "masqué pour protéger un groupe à effectif insuffisant",
        _ => throw new ArgumentOutOfRangeException(nameof(withholding), withholding, null),
    };

    /// <summary>Stable English identifier of a withholding for CSV (snake_case; empty when shown).</summary>
    public static string WithholdingId(Withholding withholding) => withholding switch
    {
        Models.Fairness.Withholding.None => "",
        Models.Fairness.Withholding.TooFewTerritories => "too_few_territories",
        Models.Fairness.Withholding.TooFewCases => "too_few_cases",
        Models.Fairness.Withholding.Complementary => "complementary",
        _ => throw new ArgumentOutOfRangeException(nameof(withholding), withholding, null),
    };
}
