namespace Analytics.Models.Fairness;

/// <summary>
/// One territory as the fairness audit sees it: what was recorded, what the model expected, whether
/// the territory made the model's priority list and whether it belongs on the list drawn from what
/// was recorded, and the groups it belongs to.
/// </summary>
/// <param name="Code">Territory code (INSEE commune code or any zoning's code), for messages and maps.</param>
/// <param name="Observed">Recorded cases over the audited period.</param>
/// <param name="Predicted">The model's expected cases for the same period and population (positive).</param>
/// <param name="Exposure">Population at risk (person-years), the denominator of rates per 100,000.</param>
/// <param name="Selected">In the model's priority list.</param>
/// <param name="ActuallyPriority">
/// In the priority list computed from the recorded outcome (see <see cref="PriorityList.TopShare"/>):
/// the "truth" that true and false positive rates and precision are measured against.
/// </param>
/// <param name="Groups">
/// Group membership by dimension, e.g. <c>deprivation_quintile → "5"</c>, <c>density_class → "rural"</c>,
/// <c>territory_type → "overseas"</c> (<see cref="FairnessDimensions"/>), plus any dimension an admin
/// configures. A territory without a label for a dimension is left out of that dimension only.
/// </param>
/// <param name="PredictionUpper">
/// Upper bound of the model's prediction interval for the count, when the model gives one: a territory
/// whose <paramref name="Observed"/> exceeds it counts as under-predicted
/// (<see cref="FairnessMetric.UnderPrediction"/>).
/// </param>
public sealed record TerritoryOutcome(
    string Code,
    long Observed,
    double Predicted,
    double Exposure,
    bool Selected,
    bool ActuallyPriority,
    IReadOnlyDictionary<string, string> Groups,
    double? PredictionUpper = null)
{
    /// <summary>
    /// Observed above the prediction interval when there is one, else observed above predicted.
    /// </summary>
    public bool IsUnderPredicted => Observed > (PredictionUpper ?? Predicted);

    /// <summary>Pearson residual (observed − predicted) / √predicted: the residual on the scale of Poisson noise.</summary>
    public double PearsonResidual => (Observed - Predicted) / Math.Sqrt(Predicted);
}
