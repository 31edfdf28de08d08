namespace Analytics.Models.Planning;

/// <summary>How a targeting simulation orders territories before spending the budget. Every rule breaks ties by code.</summary>
public enum AllocationRule
{
    /// <summary>Predicted SIR μ / E, highest first: shown for comparison, as it favours small denominators.</summary>
    TopSir,

    /// <summary>Expected excess cases μ − E, highest first: the default rule (<see cref="PriorityRanking"/>).</summary>
    TopExcess,

    /// <summary>Excess × (1 + (q − 1)/4) for deprivation quintile q: quintile 1 weighs 1, quintile 5 weighs 2, unknown 1.</summary>
    EquityWeighted,

    /// <summary>Excess × clamp(median GP accessibility / own accessibility, 0.5, 2): poorer access weighs more; unknown 1.</summary>
    AccessWeighted,

    /// <summary>A weighted sum of z-scores of columns the planner names, with weights the planner gives.</summary>
    PlannerWeighted,
}
