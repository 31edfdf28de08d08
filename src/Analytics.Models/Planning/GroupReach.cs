namespace Analytics.Models.Planning;

/// <summary>How much of one group a selection covers, next to the group's weight in the whole population.</summary>
/// <param name="Dimension">One of <see cref="TargetingSimulator.DeprivationDimension"/>, <see cref="TargetingSimulator.DensityDimension"/>, <see cref="TargetingSimulator.OverseasDimension"/>.</param>
/// <param name="Group">The group: "1" … "5" or "unknown"; a density class or "unknown"; "mainland" or "overseas".</param>
/// <param name="CoveredPopulation">Population of the group's selected territories.</param>
/// <param name="ShareOfCovered">Covered population of the group over the whole covered population (sums to 1 over a dimension).</param>
/// <param name="GroupPopulation">Population of all the group's territories.</param>
/// <param name="ShareOfPopulation">The group's population over the whole population: the share it would have in a blind selection.</param>
public sealed record GroupReach(
    string Dimension,
    string Group,
    double CoveredPopulation,
    double ShareOfCovered,
    double GroupPopulation,
    double ShareOfPopulation);
