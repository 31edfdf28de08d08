using Analytics.Models.Spatial;

namespace Analytics.Models.Tests.Spatial;

/// <summary>Four areas in a row, 0 – 1 – 2 – 3: small enough to work every statistic by hand.</summary>
internal static class Line
{
    public static readonly double[] Values = [1, 2, 3, 4];

    public static SpatialWeights Weights(WeightStyle style) => SpatialWeights.FromNeighbours([[1], [0, 2], [1, 3], [2]], style);
}
