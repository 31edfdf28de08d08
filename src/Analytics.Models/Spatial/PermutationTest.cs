namespace Analytics.Models.Spatial;

/// <summary>
/// A Monte Carlo permutation test of a statistic: the values are reshuffled over the areas
/// <see cref="Permutations"/> times (seeded, so the same seed gives the same p-value).
/// </summary>
/// <param name="Permutations">Number of random permutations R.</param>
/// <param name="PseudoPValue">(1 + number of permuted statistics at least as extreme as the observed one, in the observed direction) / (R + 1).</param>
/// <param name="Mean">Mean of the permuted statistics.</param>
/// <param name="StandardDeviation">Standard deviation of the permuted statistics.</param>
public sealed record PermutationTest(int Permutations, double PseudoPValue, double Mean, double StandardDeviation);
