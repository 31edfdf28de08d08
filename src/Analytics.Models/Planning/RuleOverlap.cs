namespace Analytics.Models.Planning;

/// <summary>How far two rules agree: the territories both select, and the Jaccard index |A ∩ B| / |A ∪ B|.</summary>
/// <param name="First">One rule.</param>
/// <param name="Second">The other rule.</param>
/// <param name="Shared">Codes selected by both, in ordinal order.</param>
/// <param name="Jaccard">Shared territories over territories selected by either (1 = same selection, 0 = disjoint).</param>
public sealed record RuleOverlap(AllocationRule First, AllocationRule Second, IReadOnlyList<string> Shared, double Jaccard);
