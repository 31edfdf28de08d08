namespace Analytics.Models.Modelling;

/// <summary>
/// A trained risk model: expected cases μ per territory × period, prediction intervals, per-territory
/// explanations, and a byte form for the model registry (<see cref="RiskModel.Load"/> reads it back).
/// </summary>
/// <remarks>
/// Every implementation models log μ = log(exposure) + f(features) (+ a spatial effect for BYM2), the exposure being expected
/// cases or population (<see cref="ModelRow.Exposure"/>). Same data and options give byte-identical
/// predictions, before and after a round trip through <see cref="Serialize"/>.
/// </remarks>
public interface IRiskModel
{
    RiskModelKind Kind { get; }

    /// <summary>The features the model was trained on; data to score must have the same, in the same order.</summary>
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Pearson dispersion of the training rows (each implementation says how): the default variance inflation of prediction intervals.</summary>
    double Dispersion { get; }

    /// <summary>Expected cases μ for every row of <paramref name="data"/>.</summary>
    double[] ExpectedCases(ModelDataset data);

    /// <summary>μ, predicted rate and SIR with a prediction interval of the count, for every row.</summary>
    IReadOnlyList<TerritoryPrediction> Predict(ModelDataset data, PredictionSettings? settings = null);

    /// <summary>Each feature's contribution to log μ for every row, in <see cref="FeatureNames"/> order (see the implementation for what the numbers mean).</summary>
    IReadOnlyList<TerritoryExplanation> Explain(ModelDataset data);

    /// <summary>The model, its ML.NET part included, as bytes for the registry.</summary>
    byte[] Serialize();
}

/// <summary>Which learner produced a <see cref="IRiskModel"/>.</summary>
public enum RiskModelKind
{
    /// <summary>Poisson regression with a log exposure offset (<see cref="PoissonRiskModel"/>).</summary>
    Poisson = 1,

    /// <summary>Gradient-boosted trees with a Poisson loss (<see cref="BoostedRiskModel"/>).</summary>
    BoostedTrees = 2,

    /// <summary>Poisson regression with a BYM2 spatial effect (<see cref="Bym2RiskModel"/>).</summary>
    Bym2 = 3,
}

/// <summary>Reads a model written by <see cref="IRiskModel.Serialize"/> without knowing its kind in advance.</summary>
public static class RiskModel
{
    /// <exception cref="ArgumentException">The bytes are not a risk model written by this code.</exception>
    public static IRiskModel Load(byte[] bytes) => ModelEnvelope.PeekKind(bytes) switch
    {
        RiskModelKind.Poisson => PoissonRiskModel.Load(bytes),
        RiskModelKind.BoostedTrees => BoostedRiskModel.Load(bytes),
        RiskModelKind.Bym2 => Bym2RiskModel.Load(bytes),
        var kind => throw new ArgumentException($"unknown risk model kind {(int)kind}"),
    };
}
