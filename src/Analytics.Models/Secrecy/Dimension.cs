namespace Analytics.Models.Secrecy;

/// <summary>
/// One classification of a table (territory, sex, age band, period) with its published totals:
/// each <see cref="Breakdown"/> says that one category is the sum of others.
/// </summary>
/// <remarks>
/// A flat classification has one breakdown ("all" = F + M). A hierarchy has one per parent
/// (région = its départements, département = its EPCI, EPCI = its communes). A category may have
/// several breakdowns — an EPCI that straddles two départements makes the région both the sum of
/// its départements and the sum of its EPCI — as long as every breakdown of a category splits the
/// same leaves (categories that are never a total) without overlap. Every breakdown is published,
/// so every one of them is an equation a reader can use.
/// </remarks>
public sealed class Dimension
{
    private readonly Dictionary<string, int> _index;
    private readonly int[][] _leavesUnder;

    /// <param name="name">Name of the classification, e.g. "sex".</param>
    /// <param name="categories">Every category, totals included, in display order.</param>
    /// <param name="breakdowns">Each (total, parts): total = sum of parts.</param>
    public Dimension(string name, IEnumerable<string> categories, IEnumerable<(string Total, IReadOnlyList<string> Parts)> breakdowns)
    {
        Name = name;
        Categories = categories.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Categories.Count; i++)
            if (!_index.TryAdd(Categories[i], i))
                throw new ArgumentException($"dimension '{name}': category '{Categories[i]}' is listed twice", nameof(categories));

        var list = new List<Breakdown>();
        foreach (var (total, parts) in breakdowns)
        {
            if (parts.Count == 0)
                throw new ArgumentException($"dimension '{name}': total '{total}' has no parts", nameof(breakdowns));
            list.Add(new Breakdown(IndexOf(total), parts.Select(IndexOf).ToArray()));
        }
        Breakdowns = list;
        _leavesUnder = LeavesOfEveryCategory();
    }

    public string Name { get; }

    public IReadOnlyList<string> Categories { get; }

    public IReadOnlyList<Breakdown> Breakdowns { get; }

    /// <summary>A total and the parts it is published as the sum of (category positions).</summary>
    public sealed record Breakdown(int Total, IReadOnlyList<int> Parts);

    /// <summary>"all" = each part, e.g. <c>Flat("sex", "all", "F", "M")</c>.</summary>
    public static Dimension Flat(string name, string total, params string[] parts) =>
        new(name, [total, .. parts], [(total, parts)]);

    /// <summary>A tree given as (child, parent) links; the roots are the categories that have no parent.</summary>
    public static Dimension Tree(string name, IEnumerable<(string Child, string Parent)> links)
    {
        var pairs = links.ToList();
        var categories = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (child, parent) in pairs)
        {
            if (seen.Add(parent))
                categories.Add(parent);
            if (seen.Add(child))
                categories.Add(child);
        }
        var breakdowns = pairs.GroupBy(p => p.Parent, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(p => p.Child).ToList()));
        return new Dimension(name, categories, breakdowns);
    }

    public int Count => Categories.Count;

    public int IndexOf(string category) =>
        _index.TryGetValue(category, out var i)
            ? i
            : throw new ArgumentException($"dimension '{Name}' has no category '{category}'");

    /// <summary>True for a category that is never a total.</summary>
    public bool IsLeaf(int category) => _leavesUnder[category].Length == 1 && _leavesUnder[category][0] == category;

    /// <summary>The leaves a category adds up (itself for a leaf).</summary>
    public IReadOnlyList<int> LeavesUnder(int category) => _leavesUnder[category];

    private int[][] LeavesOfEveryCategory()
    {
        var byTotal = Breakdowns.GroupBy(b => b.Total).ToDictionary(g => g.Key, g => g.ToList());
        var result = new int[Count][];
        var visiting = new bool[Count];

        int[] Resolve(int category)
        {
            if (result[category] is { } done)
                return done;
            if (!byTotal.TryGetValue(category, out var ways))
                return result[category] = [category];
            if (visiting[category])
                throw new ArgumentException($"dimension '{Name}': category '{Categories[category]}' is part of itself");
            visiting[category] = true;
            int[]? leaves = null;
            foreach (var way in ways)
            {
                var union = new List<int>();
                foreach (var part in way.Parts)
                    union.AddRange(Resolve(part));
                union.Sort();
                if (union.Distinct().Count() != union.Count)
                    throw new ArgumentException($"dimension '{Name}': the parts of '{Categories[category]}' overlap");
                if (leaves is null)
                    leaves = union.ToArray();
                else if (!leaves.SequenceEqual(union))
                    throw new ArgumentException(
                        $"dimension '{Name}': two breakdowns of '{Categories[category]}' do not cover the same leaves");
            }
            visiting[category] = false;
            return result[category] = leaves!;
        }

        for (var c = 0; c < Count; c++)
            Resolve(c);
        return result;
    }
}
