namespace Analytics.Models.Epidemiology;

/// <summary>A two-sided confidence interval at <see cref="Level"/> (0.95 for a 95% interval).</summary>
public readonly record struct ConfidenceInterval(double Lower, double Upper, double Level);
