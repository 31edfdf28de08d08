namespace Analytics.Models.Indices;

/// <summary>
/// Ranks of every territory under several aggregations of the same indicators, and each
/// territory's rank interval (best – worst), so a planner sees whether its priority holds
/// whatever the method, or depends on it.
/// </summary>
public static class RankRobustness
{
    public static RobustnessView Compute(
        IReadOnlyList<Indicator> indicators,
        IReadOnlyList<TerritoryIndicators> territories,
        IReadOnlyList<Aggregation> aggregations,
        double minimumShareOfIndicators = CumulativeIndex.DefaultMinimumShareOfIndicators)
    {
        if (aggregations.Count == 0)
            throw new ArgumentException("at least one aggregation is needed", nameof(aggregations));
        var core = IndexCore.Build(indicators, territories, minimumShareOfIndicators);
        var ranks = aggregations.Select(a => Ranks(a.Scores(core.Components))).ToList();
        var rows = territories.Select((t, i) => new TerritoryRanks(t.Territory, ranks.Select(r => r[i]).ToList())).ToList();
        return new RobustnessView(aggregations, rows);
    }

    /// <summary>Competition ranking, highest score first ("1, 2, 2, 4"): tied territories share the better rank.</summary>
    internal static int?[] Ranks(double?[] scores) =>
        scores.Select(s => s is { } x
            ? 1 + scores.Count(o => o is { } y && y - x > 1e-9 * Math.Max(1, Math.Abs(x)))
            : (int?)null).ToArray();
}

/// <summary>The ranks of every territory under each aggregation, in the order of <see cref="Aggregations"/>.</summary>
public sealed record RobustnessView(IReadOnlyList<Aggregation> Aggregations, IReadOnlyList<TerritoryRanks> Territories)
{
    public TerritoryRanks For(string territory) =>
        Territories.FirstOrDefault(t => t.Territory == territory)
        ?? throw new KeyNotFoundException($"no territory '{territory}' in the robustness view");
}

/// <summary>One territory's rank (1 = highest priority) under each aggregation; null where it has no score.</summary>
public sealed record TerritoryRanks(string Territory, IReadOnlyList<int?> Ranks)
{
    /// <summary>Best (smallest) rank across aggregations.</summary>
    public int? Best => Ranks.Min();

    /// <summary>Worst (largest) rank across aggregations.</summary>
    public int? Worst => Ranks.Max();

    /// <summary>Under how many aggregations the territory is among the first <paramref name="k"/>.</summary>
    public int TimesInTop(int k) => Ranks.Count(r => r <= k);
}
