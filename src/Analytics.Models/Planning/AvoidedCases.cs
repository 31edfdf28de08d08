namespace Analytics.Models.Planning;

/// <summary>Cases a scenario would avoid in one territory, with the interval from the association's uncertainty.</summary>
/// <param name="Code">Territory code.</param>
/// <param name="Reduction">Exposure reduction Δ applied (0 for an excluded territory).</param>
/// <param name="Avoided">μ(1 − e^(−βΔ)).</param>
/// <param name="Low">The same at β − z·se.</param>
/// <param name="High">The same at β + z·se.</param>
public sealed record AvoidedCases(string Code, double Reduction, double Avoided, double Low, double High);
