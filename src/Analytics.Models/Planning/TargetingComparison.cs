namespace Analytics.Models.Planning;

/// <summary>The allocation rules side by side under one budget.</summary>
/// <param name="Results">One result per rule, in <see cref="AllocationRule"/> order.</param>
/// <param name="Overlaps">One overlap per pair of rules compared, in the same order.</param>
public sealed record TargetingComparison(IReadOnlyList<TargetingResult> Results, IReadOnlyList<RuleOverlap> Overlaps)
{
    /// <summary>The result of one rule.</summary>
    public TargetingResult this[AllocationRule rule] =>
        Results.FirstOrDefault(r => r.Rule == rule) ?? throw new KeyNotFoundException($"rule {rule} was not compared");
}
