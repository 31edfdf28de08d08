namespace Analytics.Models.Fairness;

/// <summary>
/// An intersection of two dimensions audited as a dimension of its own: density class ×
/// deprivation quintile gives groups such as "rural × 5", where a bias hidden in each margin can
/// show (Crenshaw's point, taken up by every fairness toolkit).
/// </summary>
public sealed record GroupIntersection(string First, string Second)
{
    /// <summary>The intersection's dimension name, e.g. <c>density_class × deprivation_quintile</c>.</summary>
    public string Dimension => $"{First} × {Second}";

    /// <summary>The territory's label in this intersection ("rural × 5"), or null when it lacks either label.</summary>
    internal string? LabelOf(IReadOnlyDictionary<string, string> groups) =>
        groups.TryGetValue(First, out var a) && groups.TryGetValue(Second, out var b) ? $"{a} × {b}" : null;
}
