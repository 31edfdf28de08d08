namespace Analytics.Models.Secrecy;

/// <summary>The result of <see cref="SecondarySuppression.Protect"/>.</summary>
/// <param name="Status">Per cell: published, or why it is withheld.</param>
/// <param name="Unresolved">
/// Leaks on primary cells that no further suppression among the cells of the tables could close
/// (e.g. a commune whose population is published and below the threshold). Empty when the
/// protection succeeded; otherwise those tables must not be published as they are.
/// </param>
/// <param name="Rounds">Audit rounds run.</param>
public sealed record SuppressionOutcome(IReadOnlyList<CellStatus> Status, DisclosureReport Unresolved, int Rounds)
{
    public bool IsProtected => Unresolved.IsClean;

    public int SuppressedCount => Status.Count(s => s.IsSuppressed());
}
