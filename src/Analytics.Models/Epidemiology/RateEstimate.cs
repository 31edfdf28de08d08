namespace Analytics.Models.Epidemiology;

/// <summary>
/// A rate or ratio with its confidence interval, in the unit the caller asked for
/// (per 100,000 person-years for a rate, a plain ratio for an SIR or a relative risk).
/// </summary>
public readonly record struct RateEstimate(double Value, ConfidenceInterval Interval)
{
    public double Lower => Interval.Lower;

    public double Upper => Interval.Upper;
}
