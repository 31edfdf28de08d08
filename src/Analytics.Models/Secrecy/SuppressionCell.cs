namespace Analytics.Models.Secrecy;

/// <summary>
/// A cell as the suppression sees it: its true count, its population when that is published, and
/// how many leaf cells it adds up. Larger totals are withheld last.
/// </summary>
/// <param name="Label">Says which cell it is, in audit reports.</param>
/// <param name="Cases">The true count.</param>
/// <param name="Population">The cell's population when it is published (it bounds the count), else null.</param>
/// <param name="LeafCount">Leaf cells the cell adds up: 1 for an inner cell, more for a total.</param>
/// <param name="Withheld">
/// Withheld on the publisher's own grounds whatever its count — a figure never published (a
/// territory's count behind published group sums), or a group too small to report on — and
/// protected like a primary cell: no published figure may give it back or bound it more narrowly
/// than the threshold.
/// </param>
public sealed record SuppressionCell(string Label, long Cases, long? Population = null, int LeafCount = 1, bool Withheld = false);
