namespace Analytics.Models.Secrecy;

/// <summary>Why a cell of a table is shown or withheld.</summary>
public enum CellStatus
{
    Published,

    /// <summary>1 to threshold − 1 cases, or withheld on the publisher's own grounds (<see cref="SuppressionCell.Withheld"/>).</summary>
    Primary,

    /// <summary>Population − cases is 1 to threshold − 1 (the complement would be small).</summary>
    PrimaryComplement,

    /// <summary>Not small itself, withheld so that no primary cell can be computed from published figures.</summary>
    Secondary,
}

public static class CellStatusExtensions
{
    public static bool IsSuppressed(this CellStatus status) => status != CellStatus.Published;

    /// <summary>Primary cells are the ones whose value must stay unknown; secondary ones only shield them.</summary>
    public static bool IsSensitive(this CellStatus status) => status is CellStatus.Primary or CellStatus.PrimaryComplement;
}
