namespace Analytics.Models.Secrecy;

/// <summary>What a reader is shown in place of a number.</summary>
/// <remarks>
/// <see cref="Missing"/> is zero so that a default-initialised <see cref="Published{T}"/> can
/// never pass for a published value of 0.
/// </remarks>
public enum PublicationState
{
    /// <summary>No data: the source did not provide the figure.</summary>
    Missing = 0,

    /// <summary>A figure the reader may see.</summary>
    Value,

    /// <summary>Withheld under statistical secrecy (primary, secondary, or derived from a withheld figure).</summary>
    Suppressed,

    /// <summary>Shown but flagged: too few cases for the figure to be stable.</summary>
    Unreliable,
}
