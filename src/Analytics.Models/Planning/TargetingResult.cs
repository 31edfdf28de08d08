namespace Analytics.Models.Planning;

/// <summary>What one allocation rule selects under a budget, and what that selection reaches.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Selected">The selected territories, in the rule's order.</param>
/// <param name="PopulationCovered">Total population of the selected territories.</param>
/// <param name="TooUncertain">How many selected territories are too uncertain to rank (<see cref="PriorityRanking.IsTooUncertain(PlanningTerritory)"/>).</param>
/// <param name="ExcessReached">Expected excess cases in the selection, Σμ − ΣE.</param>
/// <param name="ExcessLow">Lower limit of the 90% interval of the excess reached.</param>
/// <param name="ExcessHigh">Upper limit of the 90% interval of the excess reached.</param>
/// <param name="Reach">Who the selection reaches: one row per group of each dimension (<see cref="GroupReach"/>).</param>
public sealed record TargetingResult(
    AllocationRule Rule,
    IReadOnlyList<PlanningTerritory> Selected,
    double PopulationCovered,
    int TooUncertain,
    double ExcessReached,
    double ExcessLow,
    double ExcessHigh,
    IReadOnlyList<GroupReach> Reach)
{
    /// <summary>Number of selected territories.</summary>
    public int Count => Selected.Count;
}
