namespace Analytics.Models.Indices;

/// <summary>One territory's way through the index, step by step, so the score can be explained.</summary>
/// <param name="Territory">Territory code.</param>
/// <param name="Percentiles">Percentile of each indicator (index order); null when the value is missing or suppressed.</param>
/// <param name="Components">Mean percentile per component.</param>
/// <param name="PollutionBurden">(exposures + ½ environmental effects) / 1.5, 0–100.</param>
/// <param name="PopulationCharacteristics">(sensitive populations + socio-economic factors) / 2, 0–100.</param>
/// <param name="PollutionBurdenScore">10 × burden / the largest burden among territories, 0–10.</param>
/// <param name="PopulationCharacteristicsScore">10 × characteristics / the largest among territories, 0–10.</param>
/// <param name="Score">Burden score × characteristics score, 0–100.</param>
/// <param name="ScorePercentile">Percentile of the score among scored territories.</param>
/// <param name="Gaps">Why a step has no value (which component lacked indicators), empty when scored.</param>
public sealed record TerritoryScore(
    string Territory,
    IReadOnlyList<double?> Percentiles,
    ComponentScores Components,
    double? PollutionBurden,
    double? PopulationCharacteristics,
    double? PollutionBurdenScore,
    double? PopulationCharacteristicsScore,
    double? Score,
    double? ScorePercentile,
    IReadOnlyList<string> Gaps);
