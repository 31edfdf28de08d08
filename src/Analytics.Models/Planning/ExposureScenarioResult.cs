namespace Analytics.Models.Planning;

/// <summary>A scenario's avoided cases, per territory (in code order) and in total, with intervals at <see cref="Level"/>.</summary>
/// <param name="Territories">Avoided cases per territory, in code order.</param>
/// <param name="Total">Avoided cases over all territories.</param>
/// <param name="TotalLow">Lower limit of the total's interval.</param>
/// <param name="TotalHigh">Upper limit of the total's interval.</param>
/// <param name="Level">Confidence level of the intervals.</param>
public sealed record ExposureScenarioResult(IReadOnlyList<AvoidedCases> Territories, double Total, double TotalLow, double TotalHigh, double Level);
