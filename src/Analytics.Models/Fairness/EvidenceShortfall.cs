namespace Analytics.Models.Fairness;

/// <summary>Why a metric was judged <see cref="Verdict.InsufficientEvidence"/> (or <see cref="None"/>).</summary>
public enum EvidenceShortfall
{
    None,

    /// <summary>The group has fewer territories than <see cref="FairnessPolicy.MinimumTerritories"/>.</summary>
    TooFewTerritories,

    /// <summary>The group recorded fewer cases than <see cref="FairnessPolicy.MinimumObservedCases"/> (rate metrics).</summary>
    TooFewObservedCases,

    /// <summary>
    /// The metric's own denominator is below <see cref="FairnessPolicy.MinimumDenominator"/>: actual priority
    /// territories for the true positive rate, the others for the false positive rate, selected ones for precision.
    /// </summary>
    TooFewInDenominator,

    /// <summary>The reference group falls short of a minimum for this metric, so no ratio can be trusted.</summary>
    ReferenceInsufficient,

    /// <summary>The reference group's value is 0 (or undefined), so the ratio is undefined.</summary>
    RatioUndefined,

    /// <summary>
    /// More than 1 − confidence of the bootstrap resamples gave no ratio (a denominator fell to 0 in them),
    /// so the percentile interval would rest on a biased subset.
    /// </summary>
    UnstableResamples,
}
