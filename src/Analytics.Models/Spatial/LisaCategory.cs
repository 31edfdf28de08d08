namespace Analytics.Models.Spatial;

/// <summary>
/// The cluster map category of an area in a LISA analysis (Anselin 1995): its own value above or below
/// the mean, and the mean of its neighbours above or below it, when the local test is significant.
/// </summary>
public enum LisaCategory
{
    NotSignificant,

    /// <summary>High value among high neighbours: a hot spot.</summary>
    HighHigh,

    /// <summary>Low value among low neighbours: a cold spot.</summary>
    LowLow,

    /// <summary>High value among low neighbours: a spatial outlier.</summary>
    HighLow,

    /// <summary>Low value among high neighbours: a spatial outlier.</summary>
    LowHigh,

    /// <summary>No neighbour: not tested.</summary>
    Island,
}
