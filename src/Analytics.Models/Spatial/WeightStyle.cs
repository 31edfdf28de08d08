namespace Analytics.Models.Spatial;

/// <summary>How a neighbour list is turned into weights.</summary>
public enum WeightStyle
{
    /// <summary>wᵢⱼ = 1 for each neighbour j of i (spdep style "B").</summary>
    Binary,

    /// <summary>wᵢⱼ = 1/kᵢ for each of the kᵢ neighbours of i, so each row sums to 1 (spdep style "W").</summary>
    RowStandardised,
}
