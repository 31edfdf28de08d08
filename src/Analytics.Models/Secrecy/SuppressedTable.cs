namespace Analytics.Models.Secrecy;

/// <summary>
/// A <see cref="CountTable"/> after primary and secondary suppression: what may be shown, cell by
/// cell, as <see cref="Published{T}"/> figures, and rates derived from them.
/// </summary>
public sealed class SuppressedTable
{
    internal SuppressedTable(CountTable table, SuppressionOutcome outcome)
    {
        Table = table;
        Outcome = outcome;
    }

    public CountTable Table { get; }

    public SuppressionOutcome Outcome { get; }

    public CellStatus Status(int cell) => Outcome.Status[cell];

    public CellStatus Status(params string[] categories) => Status(Table.CellAt(categories));

    public Published<long> Cases(int cell) =>
        Outcome.Status[cell].IsSuppressed() ? Published<long>.Suppressed : Published.Of(Table.Cases(cell));

    public Published<long> Cases(params string[] categories) => Cases(Table.CellAt(categories));

    /// <summary>The cell's rate; suppressed with its count, missing when no population is published.</summary>
    public Published<double> Rate(int cell, double perPopulation = 100_000) =>
        Table.Population(cell) is { } population
            ? DerivedRates.Rate(Cases(cell), Published.Of(population), perPopulation)
            : Published<double>.Missing;

    /// <summary>The table as a reader receives it, ready for <see cref="DisclosureAuditor.Audit"/> with <see cref="CountTable.Relations"/>.</summary>
    public IReadOnlyList<DisclosureCell> AsPublished() =>
        Enumerable.Range(0, Table.CellCount).Select(c => new DisclosureCell(Table.Label(c), Cases(c), Table.Population(c))).ToList();
}
