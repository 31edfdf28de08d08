namespace Analytics.Models.Fairness;

/// <summary>
/// The per-group metrics of the audit. Sums run over the group's territories; O = observed
/// cases, E = predicted cases, P = exposure (population). The priority-list metrics count territories: selected =
/// in the model's priority list ("predicted positive"), actually priority = in the list drawn from the recorded
/// outcome ("label positive").
/// </summary>
/// <remarks>
/// New values go at the end: the order is the report's order of metrics. The last five, the rest of the confusion
/// matrix's rates as Aequitas reports them (fnr, tnr, fdr, for, npv), are not judged by default
/// (<see cref="FairnessPolicy.JudgedMetrics"/>). Aequitas' pprev (predicted positives / group size) is
/// <see cref="SelectionRate"/>; its ppr (the group's share of all predicted positives) depends on the other groups and
/// is <see cref="DimensionResult.ListShare"/>.
/// </remarks>
public enum FairnessMetric
{
    /// <summary>
    /// Mean absolute error of rates per 100,000, population-weighted: Σ|O − E| / ΣP × 100,000.
    /// Not judged by default: Poisson noise alone makes it larger in groups of small territories even
    /// for a perfect model, so a gap says "noisier", not "short-changed" (see <see cref="FairnessPolicy.JudgedMetrics"/>).
    /// </summary>
    MeanAbsoluteError,

    /// <summary>
    /// Mean predicted − observed rate per 100,000, population-weighted: (ΣE − ΣO) / ΣP × 100,000 (negative: the
    /// model under-predicts the group). A difference cannot be judged as a ratio (the reference's is near 0), so it
    /// is compared through mean predicted / mean observed, ΣE / ΣO, as a ratio to the reference group's — the
    /// reciprocal of the calibration ratio, so with a tolerance symmetric on the log scale (0.8 = 1/1.25) its
    /// verdict agrees with <see cref="Calibration"/>'s; it is kept so that the report states the bias in rate units.
    /// </summary>
    Bias,

    /// <summary>Calibration, observed / expected: ΣO / ΣE (1 = calibrated, below 1 = the model over-predicts the group).</summary>
    Calibration,

    /// <summary>
    /// Under-prediction share: the share of the group's territories whose observed count exceeds the upper bound of
    /// its prediction interval (<see cref="TerritoryOutcome.PredictionUpper"/>) or, without an interval, exceeds the
    /// prediction. Without intervals, note that P(O &gt; E) is below ½ for a small expected count even when the
    /// model is right (Poisson skew: 0.26 at E = 1), so groups of very small territories read lower.
    /// </summary>
    UnderPrediction,

    /// <summary>Selection rate: share of the group's territories in the model's priority list.</summary>
    SelectionRate,

    /// <summary>True positive rate (recall): selected among the territories that are actually priority.</summary>
    TruePositiveRate,

    /// <summary>False positive rate: selected among the territories that are not actually priority.</summary>
    FalsePositiveRate,

    /// <summary>Precision: actually priority among the selected territories.</summary>
    Precision,

    /// <summary>False negative rate, 1 − <see cref="TruePositiveRate"/>: left out of the list among the territories that are actually priority.</summary>
    FalseNegativeRate,

    /// <summary>True negative rate, 1 − <see cref="FalsePositiveRate"/>: left out of the list among the territories that are not actually priority.</summary>
    TrueNegativeRate,

    /// <summary>False discovery rate, 1 − <see cref="Precision"/>: not actually priority among the selected territories.</summary>
    FalseDiscoveryRate,

    /// <summary>False omission rate: actually priority among the territories left out of the list.</summary>
    FalseOmissionRate,

    /// <summary>Negative predictive value, 1 − <see cref="FalseOmissionRate"/>: not actually priority among the territories left out of the list.</summary>
    NegativePredictiveValue,
}
