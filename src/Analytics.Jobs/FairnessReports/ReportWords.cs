using System.Globalization;
using Analytics.Models.Fairness;

namespace Analytics.Jobs.FairnessReports;

/// <summary>
/// The fairness report's words in one language (French, docs/GLOSSARY terms, or English) and its numbers as that
/// language writes them; and the English identifiers the CSV and JSON use whatever the language.
/// </summary>
internal sealed class ReportWords(bool english)
{
    public static readonly ReportWords French = new(false);
    public static readonly ReportWords English = new(true);

    private readonly CultureInfo culture = CultureInfo.GetCultureInfo(english ? "en-GB" : "fr-FR");

    public bool IsEnglish => english;

    public string Language => english ? "en" : "fr";

    /// <summary>The French or the English of a piece of text, by the page's language.</summary>
    public string T(string french, string englishText) => english ? englishText : french;

    public string Metric(FairnessMetric metric)
    {
        var term = FairnessTerms.Metrics.Single(m => m.Metric == metric);
        return english ? term.En : term.Fr;
    }

    /// <summary>What the ratio of a metric compares (bias is compared through mean predicted / mean observed).</summary>
    public string Compared(FairnessMetric metric) => metric == FairnessMetric.Bias
        ? T("ratio des rapports prédit / observé", "ratio of predicted / observed")
        : T("ratio au groupe de référence", "ratio to the reference group");

    /// <summary>A verdict's words, as a heading or badge writes them (capitalised).</summary>
    public string Verdict(Verdict verdict)
    {
        var words = english ? Verdicts.Label(verdict).En : Verdicts.Label(verdict).Fr;
        return string.Concat(char.ToUpper(words[0], culture).ToString(), words[1..]);
    }

    public string Shortfall(EvidenceShortfall shortfall) => shortfall switch
    {
        EvidenceShortfall.None => "",
        EvidenceShortfall.TooFewTerritories => T("trop peu de territoires", "too few territories"),
        EvidenceShortfall.TooFewObservedCases => T("trop peu de cas observés", "too few observed cases"),
        EvidenceShortfall.TooFewInDenominator => T("dénominateur trop petit", "denominator too small"),
        EvidenceShortfall.ReferenceInsufficient => T("groupe de référence trop petit", "reference group too small"),
        EvidenceShortfall.RatioUndefined => T("valeur de référence nulle : ratio indéfini", "reference value zero: ratio undefined"),
        EvidenceShortfall.UnstableResamples => T("rééchantillonnages instables", "unstable resamples"),
        _ => throw new ArgumentOutOfRangeException(nameof(shortfall), shortfall, null),
    };

    /// <summary>A dimension's name; an intersection "a × b" names each side.</summary>
    public string Dimension(string dimension) =>
        string.Join(" × ", dimension.Split(" × ").Select(d => FairnessTerms.Dimensions.FirstOrDefault(t => t.Id == d) is { Id: not null } t ? (english ? t.En : t.Fr) : d));

    /// <summary>A dimension's short name for chart rows ("densité × quintile").</summary>
    public string ShortDimension(string dimension) =>
        string.Join(" × ", dimension.Split(" × ").Select(d => d switch
        {
            FairnessDimensions.DeprivationQuintile => "quintile",
            FairnessDimensions.DensityClass => T("densité", "density"),
            FairnessDimensions.TerritoryType => T("territoire", "territory"),
            _ => d,
        }));

    /// <summary>A group label ("rural × 5" stays, "urban" is "urbain" in French, "overseas" "outre-mer").</summary>
    public string Group(string label) =>
        string.Join(" × ", label.Split(" × ").Select(l => FairnessTerms.Groups.FirstOrDefault(t => t.Id == l) is { Id: not null } t ? (english ? t.En : t.Fr) : l));

    /// <summary>Why a group's figures are withheld (empty when shown).</summary>
    public string Withholding(Withholding withholding) => withholding switch
    {
        Models.Fairness.Withholding.None => "",
        Models.Fairness.Withholding.TooFewTerritories => T("effectif insuffisant (trop peu de territoires)", "too small to report (too few territories)"),
        Models.Fairness.Withholding.TooFewCases => T("effectif insuffisant (trop peu de cas)", "too small to report (too few cases)"),
        Models.Fairness.Withholding.Complementary => T("masqué pour protéger un groupe à effectif insuffisant", "withheld to protect a group too small to report"),
        _ => throw new ArgumentOutOfRangeException(nameof(withholding), withholding, null),
    };

    /// <summary>Legend text of each residual class, in the order of <see cref="ResidualMap.Colours"/>.</summary>
    public string ClassLabel(int k) => (english ? ClassLabelsEn : ClassLabelsFr)[k];

    private static readonly string[] ClassLabelsFr = ["≤ −3", "de −3 à −2", "de −2 à −1", "de −1 à 1", "de 1 à 2", "de 2 à 3", "≥ 3"];
    private static readonly string[] ClassLabelsEn = ["≤ −3", "−3 to −2", "−2 to −1", "−1 to 1", "1 to 2", "2 to 3", "≥ 3"];

    /// <summary>Each residual colour's name: a code such as #2166ac names nothing for a reader.</summary>
    public string ColourName(int k) => (english ? ColourNamesEn : ColourNamesFr)[k];

    private static readonly string[] ColourNamesFr = ["bleu foncé", "bleu", "bleu pâle", "blanc cassé", "rose pâle", "orange", "rouge foncé"];
    private static readonly string[] ColourNamesEn = ["dark blue", "blue", "pale blue", "off-white", "pale pink", "orange", "dark red"];

    public string Integer(long value) => value.ToString("N0", culture);

    public string Decimal(double? value, int digits) => value is { } v ? v.ToString("N" + digits, culture) : "—";

    /// <summary>Stable English identifier of a metric for CSV (snake_case).</summary>
    public static string MetricId(FairnessMetric metric) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(metric.ToString());

    /// <summary>Stable English identifier of a shortfall for CSV (snake_case; empty for none).</summary>
    public static string ShortfallId(EvidenceShortfall shortfall) =>
        shortfall == EvidenceShortfall.None ? "" : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(shortfall.ToString());

    /// <summary>Stable English identifier of a withholding for CSV (snake_case; empty when shown).</summary>
    public static string WithholdingId(Withholding withholding) =>
        withholding == Models.Fairness.Withholding.None ? "" : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(withholding.ToString());
}
