namespace Analytics.Models.Planning;

/// <summary>One territory in an exposure scenario.</summary>
/// <param name="Code">Territory code, unique in a scenario.</param>
/// <param name="PredictedCases">Cases μ the model predicts at current exposure; non-negative.</param>
/// <param name="Exposure">Current exposure x (e.g. annual PM2.5 in µg/m³); non-negative, since the reduction cannot take it below 0.</param>
/// <param name="Included">False for a territory the scenario leaves unchanged (its reduction is 0).</param>
public sealed record ExposureTerritory(string Code, double PredictedCases, double Exposure, bool Included = true);
