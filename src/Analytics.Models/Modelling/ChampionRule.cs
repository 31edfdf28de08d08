namespace Analytics.Models.Modelling;

/// <summary>
/// Chooses between the interpretable Poisson model and the boosted challenger from their pooled
/// out-of-fold metrics (<see cref="CrossValidationResult.Pooled"/>).
/// </summary>
/// <remarks>
/// The rule, in order: (1) a challenger whose calibration slope lies outside
/// [<see cref="SlopeLow"/>, <see cref="SlopeHigh"/>] (or cannot be computed) is refused — its
/// predictions are too spread out or too flat to be read as risks; (2) the challenger must lower the
/// mean Poisson deviance by at least <see cref="MinimumImprovement"/> (relative), otherwise the models
/// are tied and (3) ties go to the Poisson model, whose rate ratios and exact contributions can be explained.
/// </remarks>
public static class ChampionRule
{
    public const double SlopeLow = 0.8;
    public const double SlopeHigh = 1.2;

    /// <summary>Relative reduction of the out-of-fold mean deviance the challenger must reach: 1%.</summary>
    public const double MinimumImprovement = 0.01;

    public static ChampionDecision Choose(ModelMetrics poisson, ModelMetrics boosted)
    {
        if (!(boosted.CalibrationSlope >= SlopeLow && boosted.CalibrationSlope <= SlopeHigh))
            return new ChampionDecision(RiskModelKind.Poisson, ChampionReason.ChallengerMiscalibrated);
        if (boosted.MeanPoissonDeviance > poisson.MeanPoissonDeviance * (1 - MinimumImprovement))
            return new ChampionDecision(RiskModelKind.Poisson, ChampionReason.ChallengerNotClearlyBetter);
        return new ChampionDecision(RiskModelKind.BoostedTrees, ChampionReason.ChallengerClearlyBetter);
    }
}

/// <summary>The champion and the step of <see cref="ChampionRule"/> that decided it.</summary>
public sealed record ChampionDecision(RiskModelKind Champion, ChampionReason Reason);

public enum ChampionReason
{
    /// <summary>The boosted model's calibration slope is outside [0.8, 1.2]: the Poisson model stays.</summary>
    ChallengerMiscalibrated = 1,

    /// <summary>The boosted model lowers the out-of-fold deviance by less than 1%: the Poisson model stays.</summary>
    ChallengerNotClearlyBetter = 2,

    /// <summary>The boosted model is calibrated and lowers the out-of-fold deviance by at least 1%.</summary>
    ChallengerClearlyBetter = 3,
}
