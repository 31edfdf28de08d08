using Analytics.Models.Secrecy;

namespace Analytics.Models.Indices;

/// <summary>
/// One territory's indicator values, in the order of the index's indicators. A value may be
/// missing or suppressed (a health rate under statistical secrecy): either way it is not ranked —
/// ranking a suppressed rate would publish its place among the others, and so roughly its value.
/// An unreliable value is ranked like any other.
/// </summary>
public sealed record TerritoryIndicators(string Territory, IReadOnlyList<Published<double>> Values);
