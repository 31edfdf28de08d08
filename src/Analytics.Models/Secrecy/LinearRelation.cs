namespace Analytics.Models.Secrecy;

/// <summary>
/// A published equation between cells: Σ coefficient × cell = <see cref="Constant"/>.
/// A margin "total = part₁ + … + partₖ" is −1·total + 1·part₁ + … = 0. The label says, in words,
/// which table line it is, so that an audit can name the equations a reader would combine.
/// </summary>
public sealed record LinearRelation(string Label, IReadOnlyList<LinearRelation.Term> Terms, long Constant = 0)
{
    public readonly record struct Term(int Cell, long Coefficient);

    /// <summary>total = Σ parts, as a relation.</summary>
    public static LinearRelation Sum(string label, int total, IEnumerable<int> parts) =>
        new(label, [new Term(total, -1), .. parts.Select(p => new Term(p, 1))]);
}
