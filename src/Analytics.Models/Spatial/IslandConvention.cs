namespace Analytics.Models.Spatial;

/// <summary>
/// What a spatial statistic does with islands, the areas without a neighbour. No spatial relationship
/// can be measured for an island; the conventions differ in whether its value still counts in the mean,
/// the variance and n. The last two are named after the <c>spdep</c> arguments they reproduce.
/// </summary>
public enum IslandConvention
{
    /// <summary>
    /// Islands are left out entirely: n, the mean, the variance and the permutations are those of the
    /// connected areas, as if the islands were not on the map (spdep on the weights subset to the connected
    /// areas). The default, and the convention of every figure the product publishes.
    /// </summary>
    Exclude,

    /// <summary>
    /// spdep's <c>zero.policy = TRUE</c> with <c>adjust.n = FALSE</c>: islands stay in n, in the mean, in
    /// the variance and among the permuted values; their spatial lag is 0.
    /// </summary>
    ZeroPolicy,

    /// <summary>
    /// spdep's <c>zero.policy = TRUE</c> with its default <c>adjust.n = TRUE</c> (<c>moran.test</c>,
    /// <c>moran.mc</c>): as <see cref="ZeroPolicy"/>, but the n of global Moran's I and of its moments is
    /// the number of connected areas, while the mean, the variance and the kurtosis still take every area.
    /// Global statistics only: spdep's local statistics have no such adjustment.
    /// </summary>
    ZeroPolicyAdjustN,
}
