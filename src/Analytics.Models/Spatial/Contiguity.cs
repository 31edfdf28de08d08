namespace Analytics.Models.Spatial;

/// <summary>What makes two areas contiguous, as the chess pieces move.</summary>
public enum Contiguity
{
    /// <summary>Their boundaries share at least a point: a corner is enough.</summary>
    Queen,

    /// <summary>Their boundaries share a stretch of positive length: a corner is not enough.</summary>
    Rook,
}
