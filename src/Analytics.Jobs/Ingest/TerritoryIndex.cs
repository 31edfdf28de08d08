using Analytics.Jobs.Ingest.Text;
using Npgsql;

namespace Analytics.Jobs.Ingest;

/// <summary>
/// Territory codes of one level and vintage, resolved in memory (35,000 communes fit easily), with
/// the vintage's code changes: a record keyed by a commune merged away is attached to the commune
/// that absorbed it.
/// </summary>
internal sealed class TerritoryIndex
{
    private readonly Dictionary<string, long> ids;
    private readonly Dictionary<string, string> replacedBy;

    public string Level { get; }
    public int Vintage { get; }

    private TerritoryIndex(string level, int vintage, Dictionary<string, long> ids, Dictionary<string, string> replacedBy)
    {
        Level = level;
        Vintage = vintage;
        this.ids = ids;
        this.replacedBy = replacedBy;
    }

    public int Count => ids.Count;

    public static async Task<TerritoryIndex> LoadAsync(LoadContext context, string level, int? vintage, CancellationToken cancellationToken)
    {
        var chosen = vintage;
        if (chosen is null)
        {
            await using var latest = context.Command("SELECT max(vintage) FROM geo.territory WHERE level = $1");
            latest.Parameters.Add(new() { Value = level });
            chosen = await latest.ExecuteScalarAsync(cancellationToken) as int?;
            if (chosen is null)
                throw new IngestException(context.Request.FileName, null, null,
                    $"no territories of level '{level}' are loaded yet: load their boundaries first (ingest territories FILE --level {level})");
        }
        var ids = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        await using (var command = context.Command("SELECT code, id FROM geo.territory WHERE level = $1 AND vintage = $2"))
        {
            command.Parameters.Add(new() { Value = level });
            command.Parameters.Add(new() { Value = chosen.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                ids[reader.GetString(0)] = reader.GetInt64(1);
        }
        if (ids.Count == 0)
            throw new IngestException(context.Request.FileName, null, null, $"no territories of level '{level}' are loaded for vintage {chosen}");
        var replaced = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await using (var changes = context.Command("SELECT old_code, new_code FROM geo.code_change WHERE level = $1 AND vintage <= $2 ORDER BY vintage"))
        {
            changes.Parameters.Add(new() { Value = level });
            changes.Parameters.Add(new() { Value = chosen.Value });
            await using var reader = await changes.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                replaced[reader.GetString(0)] = reader.GetString(1);
        }
        return new TerritoryIndex(level, chosen.Value, ids, replaced);
    }

    /// <summary>The territory's id, following code changes (a chain of mergers included).</summary>
    public bool TryResolve(string code, out long id)
    {
        var current = code.Trim();
        for (var hops = 0; hops < 10; hops++)
        {
            if (ids.TryGetValue(current, out id))
                return true;
            if (!replacedBy.TryGetValue(current, out var next))
                break;
            current = next;
        }
        id = 0;
        return false;
    }
}

/// <summary>
/// Indexes of every loaded level, read before a loader starts streaming (a connection busy with
/// COPY cannot run queries), for files whose rows may mix levels.
/// </summary>
internal sealed class TerritoryIndexes
{
    private readonly Dictionary<string, TerritoryIndex> byLevel;
    private readonly string fileName;

    private TerritoryIndexes(string fileName, Dictionary<string, TerritoryIndex> byLevel)
    {
        this.fileName = fileName;
        this.byLevel = byLevel;
    }

    public static async Task<TerritoryIndexes> LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var levels = new List<string>();
        await using (var command = context.Command("SELECT DISTINCT level FROM geo.territory"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                levels.Add(reader.GetString(0));
        var indexes = new Dictionary<string, TerritoryIndex>();
        foreach (var level in levels)
            indexes[level] = await TerritoryIndex.LoadAsync(context, level, context.Options.Vintage, cancellationToken);
        return new TerritoryIndexes(context.Request.FileName, indexes);
    }

    public TerritoryIndex For(string level) => byLevel.TryGetValue(level, out var index) ? index
        : throw new IngestException(fileName, null, "level", $"no territories of level '{level}' are loaded yet: load their boundaries first (ingest territories FILE --level {level})");

    /// <summary>
    /// The territory a record names: its level (from the level column, or the load's level) and its
    /// code. An unknown level or code quarantines the record with the reason; false then.
    /// </summary>
    public bool TryResolve(LoadContext context, CsvRecord record, Columns columns, int levelColumn, string? levelText, int codeColumn, out long territoryId)
    {
        territoryId = 0;
        var text = levelColumn >= 0 ? record.Fields[levelColumn] : levelText ?? Levels.Commune;
        var level = Levels.Parse(text);
        if (level is null)
        {
            context.Reject(record.Line, levelColumn >= 0 ? columns.Header[levelColumn] : "level",
                $"unknown territory level '{Columns.Truncate(text)}' (expected commune, epci, departement, region, iris)");
            return false;
        }
        var index = For(level);
        if (index.TryResolve(record.Fields[codeColumn], out territoryId))
            return true;
        context.Reject(record.Line, columns.Header[codeColumn],
            $"unknown territory code '{Columns.Truncate(record.Fields[codeColumn])}' for level {level} (vintage {index.Vintage})");
        return false;
    }
}
