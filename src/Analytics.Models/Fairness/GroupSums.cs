namespace Analytics.Models.Fairness;

/// <summary>
/// The sums every metric of a group is computed from. Metrics are ratios of these sums, so a
/// bootstrap resample only has to add up its drawn territories.
/// </summary>
/// <param name="Territories">Territories in the group.</param>
/// <param name="Observed">ΣO, recorded cases.</param>
/// <param name="Predicted">ΣE, predicted cases.</param>
/// <param name="AbsoluteError">Σ|O − E|.</param>
/// <param name="Exposure">ΣP, population at risk.</param>
/// <param name="UnderPredicted">Territories under-predicted (<see cref="TerritoryOutcome.IsUnderPredicted"/>).</param>
/// <param name="Selected">Territories in the model's priority list.</param>
/// <param name="ActuallyPriority">Territories in the priority list from recorded outcomes.</param>
/// <param name="TruePositives">Selected and actually priority.</param>
public readonly record struct GroupSums(
    int Territories,
    long Observed,
    double Predicted,
    double AbsoluteError,
    double Exposure,
    int UnderPredicted,
    int Selected,
    int ActuallyPriority,
    int TruePositives)
{
    /// <summary>Selected but not actually priority.</summary>
    public int FalsePositives => Selected - TruePositives;

    /// <summary>Not actually priority: the false positive rate's denominator.</summary>
    public int ActuallyNotPriority => Territories - ActuallyPriority;

    /// <summary>Actually priority but not selected.</summary>
    public int FalseNegatives => ActuallyPriority - TruePositives;

    /// <summary>Neither selected nor actually priority.</summary>
    public int TrueNegatives => ActuallyNotPriority - FalsePositives;

    /// <summary>Left out of the model's priority list: the false omission rate's denominator.</summary>
    public int NotSelected => Territories - Selected;

    /// <summary>The sums of several groups added up: the sums of their territories taken together.</summary>
    public static GroupSums Total(IEnumerable<GroupSums> groups) => groups.Aggregate(default(GroupSums), (a, g) => new GroupSums(
        a.Territories + g.Territories, a.Observed + g.Observed, a.Predicted + g.Predicted, a.AbsoluteError + g.AbsoluteError,
        a.Exposure + g.Exposure, a.UnderPredicted + g.UnderPredicted, a.Selected + g.Selected, a.ActuallyPriority + g.ActuallyPriority,
        a.TruePositives + g.TruePositives));

    /// <summary>The metric's value, or null when its denominator is 0.</summary>
    public double? Value(FairnessMetric metric) => metric switch
    {
        FairnessMetric.MeanAbsoluteError => Divide(AbsoluteError * 100_000, Exposure),
        FairnessMetric.Bias => Divide((Predicted - Observed) * 100_000, Exposure),
        FairnessMetric.Calibration => Divide(Observed, Predicted),
        FairnessMetric.UnderPrediction => Divide(UnderPredicted, Territories),
        FairnessMetric.SelectionRate => Divide(Selected, Territories),
        FairnessMetric.TruePositiveRate => Divide(TruePositives, ActuallyPriority),
        FairnessMetric.FalsePositiveRate => Divide(FalsePositives, ActuallyNotPriority),
        FairnessMetric.Precision => Divide(TruePositives, Selected),
        FairnessMetric.FalseNegativeRate => Divide(FalseNegatives, ActuallyPriority),
        FairnessMetric.TrueNegativeRate => Divide(TrueNegatives, ActuallyNotPriority),
        FairnessMetric.FalseDiscoveryRate => Divide(FalsePositives, Selected),
        FairnessMetric.FalseOmissionRate => Divide(FalseNegatives, NotSelected),
        FairnessMetric.NegativePredictiveValue => Divide(TrueNegatives, NotSelected),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>
    /// The quantity compared as a ratio to the reference group: the metric itself, except for
    /// <see cref="FairnessMetric.Bias"/>, a difference, compared through mean predicted / mean observed (ΣE / ΣO).
    /// </summary>
    public double? Compared(FairnessMetric metric) =>
        metric == FairnessMetric.Bias ? Divide(Predicted, Observed) : Value(metric);

    /// <summary>The metric's own denominator count, checked against <see cref="FairnessPolicy.MinimumDenominator"/> (null: none beyond the group's size).</summary>
    internal int? Denominator(FairnessMetric metric) => metric switch
    {
        FairnessMetric.TruePositiveRate or FairnessMetric.FalseNegativeRate => ActuallyPriority,
        FairnessMetric.FalsePositiveRate or FairnessMetric.TrueNegativeRate => ActuallyNotPriority,
        FairnessMetric.Precision or FairnessMetric.FalseDiscoveryRate => Selected,
        FairnessMetric.FalseOmissionRate or FairnessMetric.NegativePredictiveValue => NotSelected,
        _ => null,
    };

    internal static bool IsRateMetric(FairnessMetric metric) => metric is
        FairnessMetric.MeanAbsoluteError or FairnessMetric.Bias or FairnessMetric.Calibration or FairnessMetric.UnderPrediction;

    private static double? Divide(double numerator, double denominator) => denominator > 0 ? numerator / denominator : null;
}
