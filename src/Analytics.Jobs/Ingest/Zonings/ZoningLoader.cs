using Analytics.Jobs.Database;
using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest.Text;
using Analytics.Models.Secrecy;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest.Zonings;

/// <summary>
/// A custom zoning (CSV, header <c>zone_code;zone_name;commune_code</c>, one row per commune of a
/// zone) loaded like every other file: a batch with its hash, the identifier screen, refusal naming
/// file, line and field. All or nothing: an unknown commune, a commune in two zones, a zone code the
/// zoning already has or an empty field refuses the file. Each zone is then accepted or refused by
/// <see cref="CustomZoneRule"/> against every published level of the hierarchy and every custom zone
/// accepted before (too few residents, or differing from a published zone by a small group of
/// communes); refused zones are kept with why, in the batch's notes too, and get no figures.
/// </summary>
internal sealed class ZoningLoader : ILoader
{
    public async Task LoadAsync(LoadContext context, CancellationToken cancellationToken)
    {
        var fileName = context.Request.FileName;
        var zoning = context.Options.Zoning is { } named && named.Trim().Length > 0 ? named.Trim()
            : throw new IngestException(fileName, null, "zoning", "name the zoning (option --zoning, e.g. \"CPTS 2024\")");
        var communes = await CommunesAsync(context, cancellationToken);
        var zones = new SortedDictionary<string, (string Name, HashSet<string> Communes)>(StringComparer.Ordinal);
        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var file = CsvFile.Open(context.Request.FilePath, fileName, context.Limits.MaxDecompressedBytes))
        {
            var columns = new Columns(fileName, file.Header);
            var (codeAt, nameAt, communeAt) = (columns.Require("zone_code"), columns.Require("zone_name"), columns.Require("commune_code"));
            while (file.TryRead(out var record))
            {
                if (!context.Admit(file, columns, record))
                    throw new IngestException(fileName, record.Line, null, $"wrong column count: {record.Fields.Count} fields where the header has {columns.Count}");
                string Field(int at, string name) => record.Fields[at].Trim() is { Length: > 0 } value ? value
                    : throw new IngestException(fileName, record.Line, name, "empty");
                var (code, name, commune) = (Field(codeAt, "zone_code"), Field(nameAt, "zone_name"), Field(communeAt, "commune_code"));
                if (!communes.ContainsKey(commune))
                    throw new IngestException(fileName, record.Line, "commune_code", $"'{Columns.Truncate(commune)}' is not a commune of the latest vintage");
                if (zoneOf.TryGetValue(commune, out var other) && other != code)
                    throw new IngestException(fileName, record.Line, "commune_code", $"commune {commune} is already in zone {other}: the zones of a zoning do not overlap");
                zoneOf[commune] = code;
                if (!zones.TryGetValue(code, out var zone))
                    zones[code] = zone = (name, new HashSet<string>(StringComparer.Ordinal));
                zone.Communes.Add(commune);
            }
        }
        if (zones.Count == 0)
            throw new IngestException(fileName, null, null, "no zone in the file");
        if (await ZoningExistsAsync(context, zoning, cancellationToken))
            throw new IngestException(fileName, null, "zoning", $"a zoning named '{zoning}' is already loaded: give the new zoning another name");

        var residents = communes.ToDictionary(c => c.Key, c => c.Value.Population, StringComparer.Ordinal);
        var published = await PublishedZoningsAsync(context, communes, cancellationToken);
        var rule = new CustomZoneRule();
        var accepted = new List<Zone>();
        foreach (var (code, (name, members)) in zones)
        {
            var decision = rule.Check(new Zone(code, members), [.. published, new PublishedZoning(zoning, accepted)], residents);
            var refusal = decision.Accepted ? null : string.Join("; ", decision.Refusals.Select(r => r.ToString()));
            if (decision.Accepted)
                accepted.Add(new Zone(code, members));
            else
                context.Note($"zone {code} refused: {refusal}");
            await using var insert = context.Command("""
                INSERT INTO geo.custom_zone (zoning, code, name, communes, population, state, refusal, created_by, created_at, batch_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """);
            insert.Parameters.Add(new() { Value = zoning });
            insert.Parameters.Add(new() { Value = code });
            insert.Parameters.Add(new() { Value = name });
            insert.Parameters.Add(new() { Value = members.Select(m => communes[m].Id).Order().ToArray() });
            insert.Parameters.Add(new() { Value = members.Sum(m => residents[m]) });
            insert.Parameters.Add(new() { Value = refusal is null ? "accepted" : "refused" });
            insert.Parameters.Add(new() { Value = (object?)refusal ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = context.Request.LoadedBy });
            insert.Parameters.Add(new() { Value = context.Clock.GetUtcNow() });
            insert.Parameters.Add(new() { Value = context.BatchId });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            context.RowsLoaded += members.Count;
        }
        context.Note($"zoning '{zoning}': {accepted.Count} of {zones.Count} zones accepted");
    }

    private static async Task<bool> ZoningExistsAsync(LoadContext context, string zoning, CancellationToken cancellationToken)
    {
        await using var command = context.Command("SELECT EXISTS (SELECT FROM geo.custom_zone WHERE zoning = $1)");
        command.Parameters.Add(new() { Value = zoning });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed record Commune(long Id, long Population, long? Epci, long? Departement, long? Region);

    /// <summary>The latest vintage's communes by code, with their residents (latest population loaded; 0 when none) and ancestors.</summary>
    private static async Task<Dictionary<string, Commune>> CommunesAsync(LoadContext context, CancellationToken cancellationToken)
    {
        await using var command = context.Command(StageSql.Load("Ingest/Sql/zoning_communes.sql"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var communes = new Dictionary<string, Commune>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            communes[reader.GetString(0)] = new Commune(reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5));
        if (communes.Count == 0)
            throw new IngestException(context.Request.FileName, null, null, "no communes are loaded: load territories first");
        return communes;
    }

    /// <summary>Every published zoning a custom zone could be differenced against: the hierarchy's levels and the custom zones accepted before.</summary>
    private static async Task<List<PublishedZoning>> PublishedZoningsAsync(LoadContext context, Dictionary<string, Commune> communes, CancellationToken cancellationToken)
    {
        var zonings = HierarchyZonings.Of(communes.Select(c => (c.Key, c.Value.Epci, c.Value.Departement, c.Value.Region)).ToList());
        var codeOf = communes.ToDictionary(c => c.Value.Id, c => c.Key);
        await using var command = context.Command("SELECT zoning, code, communes FROM geo.custom_zone WHERE state = 'accepted' ORDER BY zoning, code");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var earlier = new List<(string Zoning, Zone Zone)>();
        while (await reader.ReadAsync(cancellationToken))
            earlier.Add((reader.GetString(0), new Zone(reader.GetString(1), reader.GetFieldValue<long[]>(2).Where(codeOf.ContainsKey).Select(id => codeOf[id]).ToHashSet(StringComparer.Ordinal))));
        zonings.AddRange(earlier.GroupBy(e => e.Zoning).Select(g => new PublishedZoning(g.Key, g.Select(e => e.Zone).ToList())));
        return zonings;
    }
}
