namespace Analytics.Models.Planning;

/// <summary>
/// The association between exposure and the outcome on the log-rate scale: β per unit of exposure and its
/// standard error, from the approved Poisson model's coefficient (or from the literature, <see cref="ConcentrationResponse"/>).
/// </summary>
/// <param name="Beta">Log rate ratio per unit of exposure (e^β = rate ratio per unit).</param>
/// <param name="StandardError">Standard error of β (non-negative).</param>
public sealed record ExposureAssociation(double Beta, double StandardError);
