namespace Analytics.Jobs.Features;

/// <summary>A statistic the features stage publishes for a territory, condition and period, named in French and English.</summary>
public sealed record HealthStatistic(string Id, string Fr, string En, bool IsRateOrRatio);

/// <summary>The statistics of <c>features.health_indicator</c>: what each id means, and which can be compared, ranked and mapped (rates and ratios, never a count).</summary>
public static class HealthStatistics
{
    public static HealthStatistic Cases { get; } = new("cases", "Cas", "Cases", false);
    public static HealthStatistic Population { get; } = new("population", "Population", "Population", false);
    public static HealthStatistic CrudeRate { get; } = new("crude_rate", "Taux brut pour 100 000", "Crude rate per 100,000", true);
    public static HealthStatistic StandardisedRate { get; } = new("standardised_rate", "Taux standardisé pour 100 000", "Standardised rate per 100,000", true);
    public static HealthStatistic Expected { get; } = new("expected", "Cas attendus", "Expected cases", false);
    public static HealthStatistic Sir { get; } = new("sir", "Ratio standardisé d'incidence (SIR)", "Standardised incidence ratio (SIR)", true);
    public static HealthStatistic SmoothedRr { get; } = new("smoothed_rr", "Risque relatif lissé", "Smoothed relative risk", true);
    public static HealthStatistic PRrAbove1 { get; } = new("p_rr_above_1", "Probabilité que le risque relatif dépasse 1", "Probability that the relative risk exceeds 1", false);

    public static IReadOnlyList<HealthStatistic> All { get; } = [Cases, Population, CrudeRate, StandardisedRate, Expected, Sir, SmoothedRr, PRrAbove1];

    /// <summary>The rates and ratios: what a comparison, a ranking, a map or a chart is made on.</summary>
    public static IReadOnlyList<HealthStatistic> Comparable { get; } = All.Where(s => s.IsRateOrRatio).ToList();

    public static HealthStatistic? Find(string? id) => All.FirstOrDefault(s => s.Id == id);
}
