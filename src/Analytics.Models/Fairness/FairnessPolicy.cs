namespace Analytics.Models.Fairness;

/// <summary>
/// The audit's rules, declared once and stored with every report so that a verdict can be read
/// against the policy that produced it.
/// </summary>
public sealed record FairnessPolicy
{
    /// <summary>Lowest acceptable ratio to the reference group (default 0.8, the "four-fifths" convention).</summary>
    public double LowerTolerance { get; init; } = 0.8;

    /// <summary>Highest acceptable ratio (default 1.25 = 1/0.8, so the band is symmetric on the log scale).</summary>
    public double UpperTolerance { get; init; } = 1.25;

    /// <summary>Fewer territories than this in a group (or its reference): every metric is insufficient evidence.</summary>
    public int MinimumTerritories { get; init; } = 20;

    /// <summary>
    /// Fewer recorded cases than this in a group: its rate metrics (error, bias, calibration, under-prediction)
    /// are insufficient evidence. 50 cases give an observed/expected ratio a relative standard error of about 14%.
    /// </summary>
    public long MinimumObservedCases { get; init; } = 50;

    /// <summary>
    /// Fewer than this in a priority metric's denominator (actual priority territories for the true positive and false
    /// negative rates, the others for the false positive and true negative rates, selected territories for precision
    /// and the false discovery rate, the territories left out for the false omission rate and the negative predictive
    /// value): insufficient evidence.
    /// </summary>
    public int MinimumDenominator { get; init; } = 10;

    /// <summary>Bootstrap resamples for the confidence intervals (default 1,000).</summary>
    public int BootstrapResamples { get; init; } = 1_000;

    /// <summary>Seed of the bootstrap (and of the residuals' permutation test): same seed, same report.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Level of the percentile confidence intervals (default 0.95).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// Share of territories in a priority list (default 10%): what the caller passes to
    /// <see cref="PriorityList.TopShare"/> for both the model's list and the list from recorded rates.
    /// </summary>
    public double PriorityShare { get; init; } = 0.10;

    /// <summary>
    /// Reference group per dimension (dimension → label). A dimension not listed takes its largest group
    /// (most territories; ties to the label first in ordinal order): the most stable baseline, and usually the
    /// majority that a disparity is measured against.
    /// </summary>
    public IReadOnlyDictionary<string, string> ReferenceGroups { get; init; } = new Dictionary<string, string>();

    /// <summary>Intersections audited as dimensions of their own (default: density class × deprivation quintile).</summary>
    public IReadOnlyList<GroupIntersection> Intersections { get; init; } =
        [new(FairnessDimensions.DensityClass, FairnessDimensions.DeprivationQuintile)];

    /// <summary>
    /// Metrics that receive a verdict; the others are reported with their ratios and intervals but
    /// <see cref="Verdict.NotJudged"/>. Default: bias, calibration, under-prediction, selection rate, true and false
    /// positive rates and precision. Not <see cref="FairnessMetric.MeanAbsoluteError"/>, whose disparities mostly
    /// measure the size of the territories (see its documentation); nor the rates added to report what Aequitas
    /// reports (false negative, true negative, false discovery, false omission rates and negative predictive value),
    /// each the complement of a judged rate or of one another, so that judging them stays a decision of the policy
    /// and adding them changed no verdict.
    /// </summary>
    public IReadOnlySet<FairnessMetric> JudgedMetrics { get; init; } = new SortedSet<FairnessMetric>
    {
        FairnessMetric.Bias, FairnessMetric.Calibration, FairnessMetric.UnderPrediction, FairnessMetric.SelectionRate,
        FairnessMetric.TruePositiveRate, FairnessMetric.FalsePositiveRate, FairnessMetric.Precision,
    };

    /// <summary>Throws when a value is out of range, naming the property.</summary>
    public void Validate()
    {
        if (!(LowerTolerance > 0 && LowerTolerance < 1))
            throw new ArgumentException($"{nameof(LowerTolerance)} must lie in (0, 1), not {LowerTolerance}");
        if (!(UpperTolerance > 1 && double.IsFinite(UpperTolerance)))
            throw new ArgumentException($"{nameof(UpperTolerance)} must be a finite number above 1, not {UpperTolerance}");
        if (MinimumTerritories < 1)
            throw new ArgumentException($"{nameof(MinimumTerritories)} must be at least 1, not {MinimumTerritories}");
        if (MinimumObservedCases < 0)
            throw new ArgumentException($"{nameof(MinimumObservedCases)} must not be negative, not {MinimumObservedCases}");
        if (MinimumDenominator < 1)
            throw new ArgumentException($"{nameof(MinimumDenominator)} must be at least 1, not {MinimumDenominator}");
        if (BootstrapResamples < 100)
            throw new ArgumentException($"{nameof(BootstrapResamples)} must be at least 100 for a percentile interval, not {BootstrapResamples}");
        if (!(ConfidenceLevel > 0.5 && ConfidenceLevel < 1))
            throw new ArgumentException($"{nameof(ConfidenceLevel)} must lie in (0.5, 1), not {ConfidenceLevel}");
        if (!(PriorityShare > 0 && PriorityShare < 1))
            throw new ArgumentException($"{nameof(PriorityShare)} must lie in (0, 1), not {PriorityShare}");
    }
}
