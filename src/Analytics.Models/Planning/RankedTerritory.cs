namespace Analytics.Models.Planning;

/// <summary>A territory's place in the default priority order.</summary>
/// <param name="Territory">The territory.</param>
/// <param name="Rank">1 for the first priority; null when the territory is too uncertain to rank.</param>
/// <param name="TooUncertain">True when its prediction interval is too wide, relative to its predicted cases, to place it.</param>
public sealed record RankedTerritory(PlanningTerritory Territory, int? Rank, bool TooUncertain);
