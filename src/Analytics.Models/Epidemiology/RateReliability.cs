namespace Analytics.Models.Epidemiology;

/// <summary>Whether a rate is stable enough to be shown without a warning.</summary>
public enum Reliability
{
    Reliable,

    /// <summary>Fewer than <see cref="RateReliability.MinimumCases"/> cases.</summary>
    TooFewCases,

    /// <summary>Enough cases, but a relative standard error above <see cref="RateReliability.MaximumRelativeStandardError"/>.</summary>
    TooImprecise,
}

/// <summary>
/// The small-number rule: a rate is flagged unreliable when it rests on fewer than 20 cases, or
/// when its relative standard error (RSE = SE / estimate) exceeds 30%.
/// </summary>
/// <remarks>
/// Why both. For a crude rate the count is Poisson, so RSE = 1/√cases: 20 cases give 22.4%, which is
/// the US National Center for Health Statistics' rule ("rates based on fewer than 20 deaths are
/// unreliable", RSE ≥ 23%; Health, United States, Technical Notes). On its own the count rule
/// misses estimators whose variance is inflated by weights: a directly standardised rate whose cases
/// sit in strata with a small population and a large reference weight can have an RSE far above
/// 1/√cases. The 30% RSE ceiling is NCHS's Data Presentation Standards threshold for estimates
/// (Parker et al., Vital Health Stat 2(175), 2017) and covers that case. For crude rates the RSE test
/// never fires first (30% needs fewer than 12 cases).
/// </remarks>
public static class RateReliability
{
    public const long MinimumCases = 20;

    public const double MaximumRelativeStandardError = 0.30;

    /// <summary>Judges a rate from its case count and its relative standard error.</summary>
    public static Reliability Assess(long cases, double relativeStandardError)
    {
        if (cases < MinimumCases)
            return Reliability.TooFewCases;
        return relativeStandardError > MaximumRelativeStandardError ? Reliability.TooImprecise : Reliability.Reliable;
    }

    /// <summary>Judges a crude rate, whose RSE is 1/√cases.</summary>
    public static Reliability AssessCrude(long cases) => Assess(cases, CrudeRate.RelativeStandardError(cases));

    /// <summary>Judges a directly standardised rate from its own standard error.</summary>
    public static Reliability Assess(StandardisedRate rate) => Assess(rate.Cases, rate.RelativeStandardError);
}
