using Analytics.Jobs.Database;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Ingest;

/// <summary>A territory as people look it up: code, name, level and zoning vintage.</summary>
public sealed record TerritoryName(string Code, string Name, string Level, int Vintage);

/// <summary>A territory found by a search, with its parent.</summary>
public sealed record TerritoryMatch(string Code, string Name, string Level, int Vintage, TerritoryName? Parent);

/// <summary>A territory as a feature: its boundary as a GeoJSON geometry (EPSG:4326).</summary>
public sealed record TerritoryFeature(string Code, string Name, int Vintage, string GeometryJson);

/// <summary>A page of features and how many match in all.</summary>
public sealed record FeaturePage(long Matched, IReadOnlyList<TerritoryFeature> Features);

/// <summary>A territory with the chain of its ancestors (nearest first) and its children.</summary>
public sealed record TerritoryCard(string Code, string Name, string Level, int Vintage, double AreaKm2, IReadOnlyList<TerritoryName> Ancestors,
    IReadOnlyList<TerritoryName> Children);

/// <summary>
/// The loaded territories as analysts look them up (latest vintage of each level): search by name
/// or INSEE code whatever the accents, case, hyphens and apostrophes (<c>geo.search_key</c>),
/// ancestors and children, boundaries as GeoJSON. Territories are public geography: no secrecy applies.
/// </summary>
public sealed class TerritoryDirectory(NpgsqlDataSource dataSource)
{
    public const int MaxResults = 50;

    public async Task<List<TerritoryMatch>> SearchAsync(string text, string? level, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Ingest/Sql/territory_search.sql"));
        command.Parameters.Add(new() { Value = text.Trim() });
        command.Parameters.Add(new() { Value = (object?)level ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Math.Clamp(limit, 1, MaxResults) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var matches = new List<TerritoryMatch>();
        while (await reader.ReadAsync(cancellationToken))
            matches.Add(new TerritoryMatch(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : new TerritoryName(reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(3))));
        return matches;
    }

    /// <summary>The territory of <paramref name="level"/> with <paramref name="code"/> in the latest vintage; null when none.</summary>
    public async Task<TerritoryCard?> FindAsync(string level, string code, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, t.code, t.name, t.level, t.vintage, t.area_km2 FROM geo.territory t
            WHERE t.level = $1 AND t.code = $2 ORDER BY t.vintage DESC LIMIT 1
            """);
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        long id;
        TerritoryCard card;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            id = reader.GetInt64(0);
            card = new TerritoryCard(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetDouble(5), [], []);
        }
        return card with
        {
            // Walked up from this one territory (the geo.territory_ancestor view would compute every territory's chain).
            Ancestors = await NamesAsync("""
                WITH RECURSIVE up AS (
                    SELECT parent_id AS id, 1 AS depth FROM geo.territory WHERE id = $1 AND parent_id IS NOT NULL
                    UNION ALL
                    SELECT t.parent_id, up.depth + 1 FROM up JOIN geo.territory t ON t.id = up.id WHERE t.parent_id IS NOT NULL AND up.depth < 10)
                SELECT p.code, p.name, p.level, p.vintage FROM up JOIN geo.territory p ON p.id = up.id ORDER BY up.depth
                """, id, cancellationToken),
            Children = await NamesAsync("SELECT code, name, level, vintage FROM geo.territory WHERE parent_id = $1 ORDER BY code", id, cancellationToken),
        };
    }

    /// <summary>
    /// The boundary as a GeoJSON geometry (EPSG:4326, 6 decimals ≈ 10 cm), simplified to
    /// <paramref name="toleranceMetres"/> when above 0 (topology kept); null when there is no such territory.
    /// </summary>
    public async Task<string?> GeometryAsync(string level, string code, double toleranceMetres, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT ST_AsGeoJSON(ST_Multi(CASE WHEN $3 > 0 THEN ST_Transform(ST_SimplifyPreserveTopology(geom_l93, $3), 4326) ELSE geom END), 6)
            FROM geo.territory WHERE level = $1 AND code = $2 ORDER BY vintage DESC LIMIT 1
            """);
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = toleranceMetres });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>A page of a level's territories (latest vintage) in code order, optionally within a box (west, south, east, north in degrees).</summary>
    public async Task<FeaturePage> FeaturesAsync(string level, double[]? bbox, int limit, int offset, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Ingest/Sql/territory_features.sql"));
        command.Parameters.Add(new() { Value = level });
        for (var i = 0; i < 4; i++)
            command.Parameters.Add(new() { Value = bbox is null ? DBNull.Value : bbox[i], NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = offset });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var features = new List<TerritoryFeature>();
        long matched = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            features.Add(new TerritoryFeature(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
            matched = reader.GetInt64(4);
        }
        // Past the last page the window count is not there to read: count apart.
        return new FeaturePage(features.Count > 0 || offset == 0 ? matched : await CountAsync(level, bbox, cancellationToken), features);
    }

    private async Task<long> CountAsync(string level, double[]? bbox, CancellationToken cancellationToken) =>
        (await FeaturesAsync(level, bbox, 1, 0, cancellationToken)).Matched;

    private async Task<List<TerritoryName>> NamesAsync(string sql, long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<TerritoryName>();
        while (await reader.ReadAsync(cancellationToken))
            names.Add(new TerritoryName(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
        return names;
    }
}
