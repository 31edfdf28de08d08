namespace Analytics.Models.Secrecy;

/// <summary>
/// Rates and standardised incidence ratios computed from published counts, with the state the
/// secrecy rule gives them: a figure built on a suppressed count is suppressed too (a rate times
/// the published population, or an SIR times the published expected count, is the count).
/// </summary>
public static class DerivedRates
{
    /// <summary>
    /// Below this many cases a rate is published as <see cref="PublicationState.Unreliable"/>.
    /// NCHS presentation standard (Health, United States; National Vital Statistics Reports):
    /// rates on fewer than 20 events have a relative standard error of 23 % or more.
    /// </summary>
    public const long DefaultMinimumCasesForStableRate = 20;

    /// <summary>
    /// Cases per <paramref name="perPopulation"/> people. Suppressed when either count is
    /// suppressed; missing when either is missing or the population is zero; unreliable when
    /// there are fewer than <paramref name="minimumCasesForStableRate"/> cases.
    /// </summary>
    public static Published<double> Rate(
        Published<long> cases,
        Published<long> population,
        double perPopulation = 100_000,
        long minimumCasesForStableRate = DefaultMinimumCasesForStableRate)
    {
        if (population.HasValue && population.Value == 0)
            return cases.State == PublicationState.Suppressed
                ? Published<double>.Suppressed
                : Published<double>.Missing;
        var rate = Published.Derive(cases, population, (c, n) => perPopulation * c / n);
        return MarkUnstable(rate, cases, minimumCasesForStableRate);
    }

    /// <summary>
    /// Observed / expected cases (indirect standardisation). Same states as <see cref="Rate"/>;
    /// an expected count of zero or less gives a missing ratio.
    /// </summary>
    public static Published<double> StandardisedIncidenceRatio(
        Published<long> observed,
        Published<double> expected,
        long minimumCasesForStableRate = DefaultMinimumCasesForStableRate)
    {
        if (expected.HasValue && expected.Value <= 0)
            return observed.State == PublicationState.Suppressed ? Published<double>.Suppressed : Published<double>.Missing;
        var ratio = Published.Derive(observed, expected, (o, e) => o / e);
        return MarkUnstable(ratio, observed, minimumCasesForStableRate);
    }

    private static Published<double> MarkUnstable(Published<double> figure, Published<long> cases, long minimumCases) =>
        figure.State == PublicationState.Value && cases.Value < minimumCases
            ? Published<double>.Unreliable(figure.Value)
            : figure;
}
