namespace Analytics.Models.Planning;

/// <summary>How a targeting simulation orders territories before spending the budget. Every rule breaks ties by code.</summary>
public enum AllocationRule
{
    /// <summary>Predicted SIR μ / E, highest first: shown for comparison, as it favours small denominators.</summary>
    TopSir,

    /// <summary>Expected excess cases μ − E, highest first: the default rule (<see cref="PriorityRanking"/>).</summary>
    TopExcess,

    /// <summary>
    /// Risk × deprivation: predicted SIR × (1 + (q − 1)/4) for deprivation quintile q (quintile 1 weighs 1, quintile 5
    /// weighs 2, unknown 1), among the territories precise enough to rank (<see cref="PriorityRanking.IsTooUncertain(PlanningTerritory)"/>);
    /// the too uncertain come after them. On the demo world, where deprivation already raises the SIR, a weight on
    /// excess cases instead (which favour populous, less deprived communes) reached fewer of the most deprived than
    /// the SIR alone.
    /// </summary>
    EquityWeighted,

    /// <summary>Excess × clamp(median GP accessibility / own accessibility, 0.5, 2): poorer access weighs more; unknown 1.</summary>
    AccessWeighted,

    /// <summary>A weighted sum of z-scores of columns the planner names, with weights the planner gives.</summary>
    PlannerWeighted,
}
