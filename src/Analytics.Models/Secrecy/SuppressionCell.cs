namespace Analytics.Models.Secrecy;

/// <summary>
/// A cell as the suppression sees it: its true count, its population when that is published, and
/// how many leaf cells it adds up (<see cref="LeafCount"/>: 1 for an inner cell, more for a total).
/// Larger totals are withheld last.
/// </summary>
public sealed record SuppressionCell(string Label, long Cases, long? Population = null, int LeafCount = 1);
