namespace Analytics.Jobs.Ingest;

/// <summary>The catalogue's indicators as value loaders need them: which exist, and which are categories rather than numbers.</summary>
internal sealed class CatalogIndicators
{
    private readonly Dictionary<string, bool> isCategory;

    private CatalogIndicators(Dictionary<string, bool> isCategory) => this.isCategory = isCategory;

    public static async Task<CatalogIndicators> LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var indicators = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using var command = context.Command("SELECT code, unit = 'class' FROM catalog.indicator");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            indicators[reader.GetString(0)] = reader.GetBoolean(1);
        if (indicators.Count == 0)
            throw new IngestException(context.Request.FileName, null, null,
                "the indicator catalogue is empty: load it first (ingest catalog data/catalog/indicators.csv)");
        return new CatalogIndicators(indicators);
    }

    public bool Exists(string code) => isCategory.ContainsKey(code);

    /// <summary>True for indicators whose values are labels (unit "class", e.g. urban / intermediate / rural).</summary>
    public bool IsCategory(string code) => isCategory.TryGetValue(code, out var category) && category;

    /// <summary>
    /// The indicator a column feeds: the one it is mapped to, else the one it is named after, else
    /// none (the column is ignored and the load says so). A mapping to an unknown indicator refuses the file.
    /// </summary>
    public string? ForColumn(string column, IReadOnlyDictionary<string, string>? mapping, string fileName)
    {
        var normalised = Text.Columns.Normalise(column);
        var mapped = mapping?.FirstOrDefault(m => Text.Columns.Normalise(m.Key) == normalised).Value;
        if (mapped is not null)
            return Exists(mapped) ? mapped : throw new IngestException(fileName, 1, column,
                $"unknown indicator code '{mapped}' in the column mapping: it is not in the catalogue");
        return Exists(normalised) ? normalised : null;
    }

    /// <summary>
    /// The columns of a wide file that hold values, each with its indicator; the others (besides
    /// <paramref name="notValues"/>, the code, period and coordinate columns) are named in a note.
    /// A file where no column feeds an indicator is refused.
    /// </summary>
    public List<(int Column, string Indicator)> ValueColumns(LoadContext context, Text.Columns columns, ISet<int> notValues, string unusedNote)
    {
        var valueColumns = new List<(int, string)>();
        var unused = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (notValues.Contains(i))
                continue;
            var indicator = ForColumn(columns.Header[i], context.Options.Columns, context.Request.FileName);
            if (indicator is null)
                unused.Add(columns.Header[i]);
            else
                valueColumns.Add((i, indicator));
        }
        if (valueColumns.Count == 0)
            throw new IngestException(context.Request.FileName, 1, null,
                $"no column matches a catalogue indicator (columns: {string.Join(", ", columns.Header)}); map them with --column name=indicator");
        if (unused.Count > 0)
            context.Note($"{unusedNote}: {string.Join(", ", unused)}");
        return valueColumns;
    }
}
