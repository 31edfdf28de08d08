using Analytics.Jobs.Database;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// Which figure a tile carries as attributes: a published health figure (condition and statistic) or an exposure (its
/// indicator), of one period; with <c>StateOnly</c>, only each territory's code and the figure's state (no name, no
/// value), for a map that colours from the published rows it reads beside.
/// </summary>
public sealed record TileFigure(string? Condition, string? Statistic, string? Exposure, string Period, bool StateOnly = false)
{
    public static TileFigure Health(string condition, string statistic, string period) => new(condition, statistic, null, period);

    public static TileFigure OfExposure(string indicator, string period) => new(null, null, indicator, period);
}

/// <summary>One view a map offers: an overseas département, or every territory outside them.</summary>
/// <param name="Departement">The overseas département's code (97x); null for the territories outside them.</param>
/// <param name="Name">The overseas département's name; null with <paramref name="Departement"/>.</param>
/// <param name="Territories">How many of the level's territories the view holds.</param>
/// <param name="Bounds">West, south, east, north in degrees.</param>
public sealed record MapView(string? Departement, string? Name, long Territories, double[] Bounds);

/// <summary>
/// Vector tiles (Mapbox Vector Tile, <c>ST_AsMVT</c>) of the territories of one level, from
/// boundaries simplified per zoom band at build time (<c>geo.territory_tile_geometry</c>), with a
/// published health figure (after secrecy: a withheld value is absent and its state says why) or an
/// exposure as attributes.
/// </summary>
public sealed class TerritoryTiles(NpgsqlDataSource dataSource)
{
    public const int MaxZoom = 14;

    /// <summary>Rebuilds the simplified boundaries and stamps the build; called by the features build.</summary>
    public async Task<long> BuildAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Minutes nationally: no driver timeout, the server's (Database:StatementTimeoutSeconds) bounds it.
        await using (var rebuild = new NpgsqlCommand(StageSql.Load("Features/Sql/tile_geometries.sql"), connection, transaction) { CommandTimeout = 0 })
            await rebuild.ExecuteNonQueryAsync(cancellationToken);
        long rows;
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM geo.territory_tile_geometry", connection, transaction))
            rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>What a cached tile was made from: the latest loaded batch and the latest features build. A new load or build changes it.</summary>
    public async Task<string> DataVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT coalesce(max(id), 0) FROM ingest.batch)::text || '.' || (SELECT coalesce(max(id), 0) FROM features.build)::text");
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The tile's bytes (empty when no territory crosses it).</summary>
    public async Task<byte[]> TileAsync(string level, int zoom, int x, int y, TileFigure? figure, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/territory_tile.sql"));
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = zoom });
        command.Parameters.Add(new() { Value = x });
        command.Parameters.Add(new() { Value = y });
        command.Parameters.Add(new() { Value = (short)Band(zoom) });
        command.Parameters.Add(new() { Value = (object?)figure?.Condition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)figure?.Statistic ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)figure?.Period ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)figure?.Exposure ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = figure?.StateOnly ?? false });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
    }

    /// <summary>
    /// The views of a level's territories a map offers: outside the overseas départements first (the one to open on),
    /// then each overseas département; empty when none is loaded (see <c>Sql/territory_views.sql</c>).
    /// </summary>
    public async Task<IReadOnlyList<MapView>> ViewsAsync(string level, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/territory_views.sql"));
        command.Parameters.Add(new() { Value = level });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var views = new List<MapView>();
        while (await reader.ReadAsync(cancellationToken))
            views.Add(new MapView(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2),
                [reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6)]));
        return views;
    }

    /// <summary>The zoom band whose simplified boundaries serve <paramref name="zoom"/>.</summary>
    public static int Band(int zoom) => zoom <= 6 ? 5 : zoom <= 9 ? 8 : 11;
}
