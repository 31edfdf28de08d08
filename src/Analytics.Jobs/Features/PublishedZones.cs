using Analytics.Jobs.Database;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>A zone of a custom zoning: accepted (with figures once a build has rolled them up) or refused, and why.</summary>
public sealed record CustomZone(string Zoning, string Code, string Name, string State, string? Refusal, int Communes, long Population, bool HasFigures);

/// <summary>
/// The custom zonings (health contracts, CPTS, study areas) as analysts read them: their zones, and an accepted
/// zone's figures as the features stage rolled them up under secrecy (<see cref="CustomZonings"/>: a zone count that
/// would give a commune's small count away by difference with the hierarchy or another zone is withheld).
/// </summary>
public sealed class PublishedZones(NpgsqlDataSource dataSource)
{
    public async Task<List<CustomZone>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/zone_list.sql"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var zones = new List<CustomZone>();
        while (await reader.ReadAsync(cancellationToken))
            zones.Add(new CustomZone(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5), reader.GetInt64(6), reader.GetBoolean(7)));
        return zones;
    }

    /// <summary>An accepted zone's figures of the latest health batch (<paramref name="condition"/> narrows to one); null when the zone has none.</summary>
    public async Task<TerritoryHealth?> HealthAsync(string zoning, string code, string? condition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/zone_health.sql"));
        command.Parameters.Add(new() { Value = zoning });
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = (object?)condition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await PublishedFigures.ReadHealthAsync(command, cancellationToken);
    }

    /// <summary>A zone's outline, the union of its communes (GeoJSON, EPSG:4326); null for an unknown zone.</summary>
    public async Task<string?> GeometryAsync(string zoning, string code, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT ST_AsGeoJSON(ST_Multi(ST_Union(t.geom)), 6) FROM geo.custom_zone z JOIN geo.territory t ON t.id = ANY (z.communes)
            WHERE z.zoning = $1 AND z.code = $2
            """);
        command.Parameters.Add(new() { Value = zoning });
        command.Parameters.Add(new() { Value = code });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
