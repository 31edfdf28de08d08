namespace Analytics.Models.Secrecy;

/// <summary>
/// Counts of cases cross-classified by several dimensions, with every total of every dimension
/// (one row per combination of categories, totals included), and optionally the population of
/// each cell. Grain: one cell per (category of dimension 1, …, category of dimension d).
/// </summary>
/// <remarks>
/// Build it with <see cref="FromLeaves"/>: totals are computed here, so the table always adds up.
/// The equations a reader can use are <see cref="Relations"/>: for every breakdown of every
/// dimension, and every combination of categories of the other dimensions, total = Σ parts.
/// </remarks>
public sealed class CountTable
{
    private readonly int[] _strides;
    private readonly long[] _cases;
    private readonly long[]? _population;

    private CountTable(IReadOnlyList<Dimension> dimensions, long[] cases, long[]? population)
    {
        Dimensions = dimensions;
        _strides = new int[dimensions.Count];
        var stride = 1;
        for (var d = dimensions.Count - 1; d >= 0; d--)
        {
            _strides[d] = stride;
            stride *= dimensions[d].Count;
        }
        _cases = cases;
        _population = population;
    }

    public IReadOnlyList<Dimension> Dimensions { get; }

    public int CellCount => _cases.Length;

    /// <summary>
    /// A table from the counts of its leaf cells (one leaf category per dimension); every total is
    /// the sum of the leaves under it. <paramref name="population"/>, when given, is published too.
    /// Each function is called once per leaf cell, in cell order, <paramref name="cases"/> first.
    /// </summary>
    public static CountTable FromLeaves(
        IReadOnlyList<Dimension> dimensions,
        Func<IReadOnlyList<string>, long> cases,
        Func<IReadOnlyList<string>, long>? population = null)
    {
        if (dimensions.Count == 0)
            throw new ArgumentException("a table needs at least one dimension", nameof(dimensions));
        var size = dimensions.Aggregate(1, (n, d) => checked(n * d.Count));
        var table = new CountTable(dimensions, new long[size], population is null ? null : new long[size]);
        var leafCases = new Dictionary<int, long>();
        var leafPopulation = new Dictionary<int, long>();
        for (var cell = 0; cell < size; cell++)
        {
            var categories = table.Coordinates(cell);
            if (!categories.Select((c, d) => dimensions[d].IsLeaf(c)).All(leaf => leaf))
                continue;
            var names = table.CategoriesOf(cell);
            var n = cases(names);
            if (n < 0)
                throw new ArgumentException($"negative count {n} at {table.Label(cell)}", nameof(cases));
            leafCases[cell] = n;
            if (population is not null)
            {
                var p = population(names);
                if (p < n)
                    throw new ArgumentException($"population {p} below the {n} cases at {table.Label(cell)}", nameof(population));
                leafPopulation[cell] = p;
            }
        }
        for (var cell = 0; cell < size; cell++)
        {
            long sumCases = 0, sumPopulation = 0;
            foreach (var leaf in table.LeafCellsUnder(cell))
            {
                sumCases += leafCases[leaf];
                if (population is not null)
                    sumPopulation += leafPopulation[leaf];
            }
            table._cases[cell] = sumCases;
            if (table._population is not null)
                table._population[cell] = sumPopulation;
        }
        return table;
    }

    /// <summary>Position of the cell with one category name per dimension, in dimension order.</summary>
    public int CellAt(params string[] categories)
    {
        if (categories.Length != Dimensions.Count)
            throw new ArgumentException($"a cell needs {Dimensions.Count} categories ({string.Join(", ", Dimensions.Select(d => d.Name))})");
        var cell = 0;
        for (var d = 0; d < Dimensions.Count; d++)
            cell += _strides[d] * Dimensions[d].IndexOf(categories[d]);
        return cell;
    }

    public long Cases(int cell) => _cases[cell];

    public long? Population(int cell) => _population?[cell];

    public IReadOnlyList<string> CategoriesOf(int cell) =>
        Coordinates(cell).Select((c, d) => Dimensions[d].Categories[c]).ToArray();

    /// <summary>"territory=01001, sex=F, age=all".</summary>
    public string Label(int cell) =>
        string.Join(", ", CategoriesOf(cell).Select((c, d) => $"{Dimensions[d].Name}={c}"));

    /// <summary>How many leaf cells the cell adds up (1 for an inner cell): the larger, the later it is withheld.</summary>
    public int LeafCount(int cell) => Coordinates(cell).Select((c, d) => Dimensions[d].LeavesUnder(c).Count).Aggregate(1, (a, b) => a * b);

    /// <summary>Every published equation of the table: each breakdown, at each combination of the other dimensions.</summary>
    public IReadOnlyList<LinearRelation> Relations()
    {
        var relations = new List<LinearRelation>();
        for (var cell = 0; cell < CellCount; cell++)
        {
            var coordinates = Coordinates(cell);
            for (var d = 0; d < Dimensions.Count; d++)
            {
                foreach (var breakdown in Dimensions[d].Breakdowns)
                {
                    if (breakdown.Total != coordinates[d])
                        continue;
                    var parts = breakdown.Parts.Select(p => cell + (p - coordinates[d]) * _strides[d]).ToList();
                    var dimension = Dimensions[d];
                    var where = string.Join(", ", CategoriesOf(cell).Select((c, k) => (c, k)).Where(x => x.k != d)
                        .Select(x => $"{Dimensions[x.k].Name}={x.c}"));
                    var label = $"{dimension.Name}: {dimension.Categories[breakdown.Total]} = "
                                + string.Join(" + ", breakdown.Parts.Select(p => dimension.Categories[p]))
                                + (where.Length > 0 ? $" at {where}" : "");
                    relations.Add(LinearRelation.Sum(label, cell, parts));
                }
            }
        }
        return relations;
    }

    /// <summary>Applies primary and secondary suppression (see <see cref="SecondarySuppression"/>).</summary>
    public SuppressedTable Suppress(SecrecyRule rule)
    {
        var cells = Enumerable.Range(0, CellCount)
            .Select(c => new SuppressionCell(Label(c), _cases[c], _population?[c], LeafCount(c)))
            .ToList();
        var outcome = SecondarySuppression.Protect(cells, Relations(), rule);
        return new SuppressedTable(this, outcome);
    }

    private int[] Coordinates(int cell)
    {
        var coordinates = new int[Dimensions.Count];
        for (var d = 0; d < Dimensions.Count; d++)
        {
            coordinates[d] = cell / _strides[d];
            cell %= _strides[d];
        }
        return coordinates;
    }

    private IEnumerable<int> LeafCellsUnder(int cell)
    {
        var coordinates = Coordinates(cell);
        IEnumerable<int> cells = [0];
        for (var d = 0; d < Dimensions.Count; d++)
        {
            var stride = _strides[d];
            var leaves = Dimensions[d].LeavesUnder(coordinates[d]);
            cells = cells.SelectMany(_ => leaves, (partial, leaf) => partial + leaf * stride);
        }
        return cells;
    }
}
