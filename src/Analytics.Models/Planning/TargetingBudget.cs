namespace Analytics.Models.Planning;

/// <summary>
/// What a programme can afford: a number of territories, or a share of the total population (territories
/// are taken in rule order until their cumulative population reaches the share; the one that crosses it
/// is included).
/// </summary>
public sealed record TargetingBudget
{
    private TargetingBudget(int? territories, double? populationShare)
    {
        Territories = territories;
        PopulationShare = populationShare;
    }

    /// <summary>Number of territories, when the budget is a count.</summary>
    public int? Territories { get; }

    /// <summary>Share of the total population in (0, 1], when the budget is a population share.</summary>
    public double? PopulationShare { get; }

    /// <summary>The first <paramref name="count"/> territories (all of them when there are fewer).</summary>
    public static TargetingBudget Count(int count) =>
        count >= 1 ? new(count, null) : throw new ArgumentOutOfRangeException(nameof(count), count, "must be at least 1");

    /// <summary>Territories until their population reaches <paramref name="share"/> of the total (0 &lt; share ≤ 1).</summary>
    public static TargetingBudget Population(double share) =>
        share > 0 && share <= 1 ? new(null, share) : throw new ArgumentOutOfRangeException(nameof(share), share, "must lie in (0, 1]");
}
