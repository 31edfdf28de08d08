using System.Globalization;
using Npgsql;

namespace Analytics.Jobs.Features;

/// <summary>
/// Station measurements brought onto territories, from each territory's representative point
/// (<c>ST_PointOnSurface</c>, in Lambert-93): the nearest station's value, or an inverse-distance
/// weighted mean Σ vᵢ dᵢ⁻ᵖ / Σ dᵢ⁻ᵖ of the stations within <see cref="Options.MaxDistanceMetres"/>.
/// A territory with no station in reach gets no value — missing, never a guess from afar.
/// </summary>
public sealed class StationValues(NpgsqlDataSource dataSource)
{
    /// <summary>How station values reach territories.</summary>
    /// <param name="Power">IDW power p (default 2: the usual choice for air-quality stations).</param>
    /// <param name="MaxDistanceMetres">Stations farther than this are ignored (default 50 km).</param>
    /// <param name="MinDistanceMetres">Distances are floored here so a station on the point does not divide by zero (default 100 m).</param>
    public sealed record Options(double Power = 2, double MaxDistanceMetres = 50_000, double MinDistanceMetres = 100);

    /// <summary>Writes <c>nearest</c> or <c>idw</c> values for one batch of a station layer onto a zoning; returns rows written.</summary>
    public async Task<int> ApplyAsync(long layerId, long batchId, string level, int vintage, string method, Options? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new Options();
        if (method is not ("nearest" or "idw"))
            throw new ArgumentException("method is nearest or idw", nameof(method));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TerritoryExposures.ClearAsync(connection, transaction, layerId, batchId, method, level, vintage, period: null, cancellationToken);
        // The layer's stations in a table of their own with its own spatial index: the shared index of every layer's
        // features would hand each territory the thousands of grid cells around it to discard (35,130 communes:
        // 27–35 s that way, 1 s this way).
        await using (var stations = new NpgsqlCommand(
            "CREATE TEMP TABLE layer_station ON COMMIT DROP AS SELECT feature_id, geom_l93 FROM geo.source_feature WHERE layer_id = $1", connection, transaction))
        {
            stations.Parameters.Add(new() { Value = layerId });
            await stations.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var index = new NpgsqlCommand("CREATE INDEX ON layer_station USING gist (geom_l93); ANALYZE layer_station", connection, transaction))
            await index.ExecuteNonQueryAsync(cancellationToken);
        var p = o.Power.ToString(CultureInfo.InvariantCulture);
        var floor = o.MinDistanceMetres.ToString(CultureInfo.InvariantCulture);
        var value = method == "nearest"
            ? "(array_agg(v.value ORDER BY d.distance))[1]"
            : $"sum(v.value / power(greatest(d.distance, {floor}), {p})) / sum(1 / power(greatest(d.distance, {floor}), {p}))";
        await using var apply = new NpgsqlCommand($"""
            WITH points AS MATERIALIZED (
                SELECT id, ST_PointOnSurface(geom_l93) AS point FROM geo.territory WHERE level = $4 AND vintage = $5
            ), d AS (
                SELECT p.id AS territory_id, f.feature_id, ST_Distance(p.point, f.geom_l93) AS distance
                FROM points p JOIN layer_station f ON ST_DWithin(p.point, f.geom_l93, $6)
            )
            INSERT INTO features.territory_exposure (layer_id, batch_id, territory_id, indicator_code, period, method, value, distance_m)
            SELECT $1, v.batch_id, d.territory_id, v.indicator_code, v.period, $3, {value}, min(d.distance)
            FROM d JOIN facts.feature_value v ON v.layer_id = $1 AND v.batch_id = $2 AND v.feature_id = d.feature_id
            GROUP BY v.batch_id, d.territory_id, v.indicator_code, v.period
            """, connection, transaction);
        apply.Parameters.Add(new() { Value = layerId });
        apply.Parameters.Add(new() { Value = batchId });
        apply.Parameters.Add(new() { Value = method });
        apply.Parameters.Add(new() { Value = level });
        apply.Parameters.Add(new() { Value = vintage });
        apply.Parameters.Add(new() { Value = o.MaxDistanceMetres });
        var rows = await apply.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }
}
