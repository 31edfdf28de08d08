namespace Analytics.Models.Modelling;

/// <summary>
/// Chooses among the interpretable Poisson model and its two challengers, the BYM2 spatial model and
/// the boosted trees, from their pooled out-of-fold metrics (<see cref="CrossValidationResult.Pooled"/>).
/// </summary>
/// <remarks>
/// The rule, in order: (1) a challenger whose calibration slope lies outside
/// [<see cref="SlopeLow"/>, <see cref="SlopeHigh"/>] (or cannot be computed) is refused — its
/// predictions are too spread out or too flat to be read as risks; (2) a challenger must lower the
/// Poisson model's mean deviance by at least <see cref="MinimumImprovement"/> (relative), otherwise the
/// models are tied and (3) ties go to the Poisson model, whose rate ratios and exact contributions can be
/// explained; (4) when both challengers pass, the boosted trees win only if they also lower the BYM2
/// model's deviance by that much: BYM2 keeps rate ratios and a spatial effect a reviewer can read.
/// </remarks>
public static class ChampionRule
{
    public const double SlopeLow = 0.8;
    public const double SlopeHigh = 1.2;

    /// <summary>Relative reduction of the out-of-fold mean deviance a challenger must reach: 1%.</summary>
    public const double MinimumImprovement = 0.01;

    /// <summary>The step of the rule that decided, in a reviewer's words, French and English (the model card, the review page).</summary>
    public static Specifications.LocalisedText Words(ChampionReason reason) => reason switch
    {
        ChampionReason.ChallengerMiscalibrated => new(
            "aucun challenger n'est calibré (pente de calibration hors de [0,8 ; 1,2]), le modèle de Poisson reste",
            "no challenger is calibrated (calibration slope outside [0.8, 1.2]), the Poisson model stays"),
        ChampionReason.ChallengerNotClearlyBetter => new(
            "aucun challenger calibré ne réduit la déviance hors échantillon d'au moins 1 %, le modèle de Poisson, plus explicable, reste",
            "no calibrated challenger lowers the out-of-fold deviance by 1% or more, the more explainable Poisson model stays"),
        ChampionReason.ChallengerClearlyBetter => new(
            "les arbres boostés sont calibrés et réduisent la déviance hors échantillon d'au moins 1 % (celle du modèle BYM2 aussi)",
            "the boosted trees are calibrated and lower the out-of-fold deviance by 1% or more (the BYM2 model's too)"),
        ChampionReason.SpatialClearlyBetter => new(
            "le modèle BYM2 est calibré et réduit la déviance hors échantillon d'au moins 1 %, sans que les arbres boostés le battent de 1 %",
            "the BYM2 model is calibrated and lowers the out-of-fold deviance by 1% or more, and the boosted trees do not beat it by 1%"),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>
    /// Whose coefficients a run stands behind when <paramref name="champion"/> is chosen, and which standard errors they
    /// carry (<c>ml.champion_coefficients</c>): the review page's caption, planning's scenario.
    /// </summary>
    public static Specifications.LocalisedText CoefficientWords(RiskModelKind champion) => champion switch
    {
        RiskModelKind.Bym2 => new("régression de Poisson avec effet spatial BYM2, le modèle retenu ; erreur type : la plus large de l'a posteriori et de la robuste par blocs",
            "Poisson regression with a BYM2 spatial effect, the champion; standard error: the wider of the posterior and the block-robust one"),
        RiskModelKind.BoostedTrees => new("régression de Poisson, référence interprétable des arbres retenus", "Poisson regression, the interpretable reference beside the champion trees"),
        _ => new("régression de Poisson, le modèle retenu", "Poisson regression, the champion"),
    };

    public static ChampionDecision Choose(ModelMetrics poisson, ModelMetrics boosted, ModelMetrics bym2)
    {
        static bool Calibrated(ModelMetrics m) => m.CalibrationSlope >= SlopeLow && m.CalibrationSlope <= SlopeHigh;
        static bool ClearlyBetter(ModelMetrics challenger, ModelMetrics than) =>
            challenger.MeanPoissonDeviance <= than.MeanPoissonDeviance * (1 - MinimumImprovement);

        var spatial = Calibrated(bym2) && ClearlyBetter(bym2, poisson);
        var trees = Calibrated(boosted) && ClearlyBetter(boosted, poisson);
        if (trees && (!spatial || ClearlyBetter(boosted, bym2)))
            return new ChampionDecision(RiskModelKind.BoostedTrees, ChampionReason.ChallengerClearlyBetter);
        if (spatial)
            return new ChampionDecision(RiskModelKind.Bym2, ChampionReason.SpatialClearlyBetter);
        return new ChampionDecision(RiskModelKind.Poisson,
            Calibrated(bym2) || Calibrated(boosted) ? ChampionReason.ChallengerNotClearlyBetter : ChampionReason.ChallengerMiscalibrated);
    }
}

/// <summary>The champion and the step of <see cref="ChampionRule"/> that decided it.</summary>
public sealed record ChampionDecision(RiskModelKind Champion, ChampionReason Reason);

public enum ChampionReason
{
    /// <summary>Both challengers' calibration slopes are outside [0.8, 1.2]: the Poisson model stays.</summary>
    ChallengerMiscalibrated = 1,

    /// <summary>No calibrated challenger lowers the out-of-fold deviance by 1%: the Poisson model stays.</summary>
    ChallengerNotClearlyBetter = 2,

    /// <summary>The boosted model is calibrated and lowers the out-of-fold deviance by at least 1%, the BYM2 model's too.</summary>
    ChallengerClearlyBetter = 3,

    /// <summary>The BYM2 model is calibrated and lowers the Poisson model's out-of-fold deviance by at least 1%, and the boosted model does not beat it by 1%.</summary>
    SpatialClearlyBetter = 4,
}
