namespace Analytics.Models.Modelling;

/// <summary>A model's prediction for one territory in one period.</summary>
/// <param name="Territory">Territory code.</param>
/// <param name="Period">Period label.</param>
/// <param name="Observed">Observed cases (as given in the data).</param>
/// <param name="Expected">Predicted (expected) cases μ.</param>
/// <param name="RatePer100000">μ / population × 100,000.</param>
/// <param name="Sir">Predicted standardised incidence ratio: μ / expected cases (see <see cref="PredictionSettings.ReferenceRate"/>).</param>
/// <param name="Lower">Lower limit of the prediction interval of the count (see <see cref="PredictionIntervals"/>).</param>
/// <param name="Upper">Upper limit of the prediction interval of the count.</param>
public sealed record TerritoryPrediction(
    string Territory,
    string Period,
    double Observed,
    double Expected,
    double RatePer100000,
    double Sir,
    long Lower,
    long Upper);

/// <summary>How to turn expected cases into predictions.</summary>
/// <param name="Level">Coverage of the prediction interval of the count; 0.90 by default.</param>
/// <param name="Dispersion">
/// Variance inflation φ of the counts (variance φμ when φ &gt; 1). Null: the model's own
/// <see cref="IRiskModel.Dispersion"/>. For boosted trees pass the out-of-fold value
/// (<see cref="CrossValidationResult.Dispersion"/>): in-sample residuals of trees are too small.
/// </param>
/// <param name="ReferenceRate">
/// Cases per person for the SIR when the data have no expected cases: SIR = μ / (population × rate).
/// Null: the crude rate of the data scored (Σ cases / Σ population), i.e. internal standardisation.
/// Ignored when the data carry expected cases (SIR = μ / expected).
/// </param>
public sealed record PredictionSettings(double Level = 0.90, double? Dispersion = null, double? ReferenceRate = null);

/// <summary>Each feature's contribution to log μ for one territory × period, in the model's feature order.</summary>
public sealed record TerritoryExplanation(string Territory, string Period, IReadOnlyList<double> Contributions);
