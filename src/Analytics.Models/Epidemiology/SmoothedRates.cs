namespace Analytics.Models.Epidemiology;

/// <summary>
/// Empirical Bayes rates of a set of areas (per person-year, unscaled) with the prior each was shrunk
/// towards: estimate = m + C(r − m) with C = a / (a + m/n), so small populations move most.
/// </summary>
/// <param name="Raw">The crude rates rᵢ = xᵢ/nᵢ.</param>
/// <param name="Smoothed">The empirical Bayes estimates.</param>
/// <param name="PriorMean">The prior mean mᵢ each rate was shrunk towards (one value repeated for the global method).</param>
/// <param name="PriorVariance">The between-area variance aᵢ (0 means full shrinkage to mᵢ).</param>
/// <param name="Islands">For the local method, the areas without neighbours, which fell back to the global estimate; empty otherwise.</param>
public sealed record SmoothedRates(
    IReadOnlyList<double> Raw,
    IReadOnlyList<double> Smoothed,
    IReadOnlyList<double> PriorMean,
    IReadOnlyList<double> PriorVariance,
    IReadOnlyList<int> Islands);
