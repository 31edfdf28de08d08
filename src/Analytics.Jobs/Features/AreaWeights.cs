using System.Diagnostics;
using Npgsql;

namespace Analytics.Jobs.Features;

/// <summary>
/// Areal interpolation from source geometries (grid cells, polygon zones) onto a zoning. The
/// expensive part — which cell meets which territory, by how much — is computed once per
/// (layer, zoning level and vintage) in PostGIS and stored in <c>geo.interp_weight</c>; applying
/// it to a period of values is then a sparse weighted sum, with no geometry at all.
/// </summary>
/// <remarks>
/// Intersections run in Lambert-93 against territories cut into pieces of at most 256 vertices
/// (<c>ST_Subdivide</c>), so that each cell is tested against small pieces rather than a whole
/// commune's outline; a cell wholly inside a piece takes its own area without an intersection.
/// Geometries were repaired at ingest, not here.
/// </remarks>
public sealed class AreaWeights(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The weight set of a layer on a zoning, computing it first if needed. Safe to call repeatedly and concurrently.</summary>
    public async Task<long> EnsureAsync(long layerId, string level, int vintage, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock(hashtextextended('weights:{layerId}:{level}:{vintage}', 0))", cancellationToken);
        await using (var find = new NpgsqlCommand("SELECT id FROM geo.interp_weight_set WHERE layer_id = $1 AND level = $2 AND vintage = $3", connection, transaction))
        {
            find.Parameters.Add(new() { Value = layerId });
            find.Parameters.Add(new() { Value = level });
            find.Parameters.Add(new() { Value = vintage });
            if (await find.ExecuteScalarAsync(cancellationToken) is long existing)
                return existing;
        }
        var watch = Stopwatch.StartNew();
        long setId;
        await using (var create = new NpgsqlCommand("""
            INSERT INTO geo.interp_weight_set (layer_id, level, vintage, computed_at, seconds, pairs) VALUES ($1, $2, $3, $4, 0, 0) RETURNING id
            """, connection, transaction))
        {
            create.Parameters.Add(new() { Value = layerId });
            create.Parameters.Add(new() { Value = level });
            create.Parameters.Add(new() { Value = vintage });
            create.Parameters.Add(new() { Value = clock.GetUtcNow() });
            setId = (long)(await create.ExecuteScalarAsync(cancellationToken))!;
        }
        await Execute(connection, transaction, "SET LOCAL work_mem = '256MB'", cancellationToken);
        await using (var compute = new NpgsqlCommand("""
            WITH pieces AS (
                SELECT t.id AS territory_id, ST_Subdivide(t.geom_l93, 256) AS geom
                FROM geo.territory t WHERE t.level = $2 AND t.vintage = $3
            ), overlap AS (
                SELECT p.territory_id, f.feature_id,
                       CASE WHEN ST_CoveredBy(f.geom_l93, p.geom) THEN ST_Area(f.geom_l93)
                            ELSE ST_Area(ST_Intersection(f.geom_l93, p.geom)) END AS overlap_m2,
                       ST_Area(f.geom_l93) AS feature_m2
                FROM pieces p JOIN geo.source_feature f ON f.layer_id = $1 AND f.geom_l93 && p.geom AND ST_Intersects(f.geom_l93, p.geom)
            )
            INSERT INTO geo.interp_weight (weight_set_id, territory_id, feature_id, overlap_m2, feature_share)
            SELECT $4, territory_id, feature_id, sum(overlap_m2), least(sum(overlap_m2) / max(feature_m2), 1)
            FROM overlap GROUP BY territory_id, feature_id HAVING sum(overlap_m2) > 0
            """, connection, transaction))
        {
            compute.CommandTimeout = 0;
            compute.Parameters.Add(new() { Value = layerId });
            compute.Parameters.Add(new() { Value = level });
            compute.Parameters.Add(new() { Value = vintage });
            compute.Parameters.Add(new() { Value = setId });
            var pairs = await compute.ExecuteNonQueryAsync(cancellationToken);
            await using var done = new NpgsqlCommand("UPDATE geo.interp_weight_set SET seconds = $2, pairs = $3 WHERE id = $1", connection, transaction);
            done.Parameters.Add(new() { Value = setId });
            done.Parameters.Add(new() { Value = watch.Elapsed.TotalSeconds });
            done.Parameters.Add(new() { Value = (long)pairs });
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        // Fresh statistics, or the planner takes the new weights for an empty table when applying them.
        await Execute(connection, transaction, "ANALYZE geo.interp_weight", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return setId;
    }

    /// <summary>
    /// Averages one batch of the layer's values over each territory: area-weighted, or weighted by
    /// the population living in each overlap when the layer carries a population indicator
    /// (<paramref name="populationIndicator"/>, in the same batch, spread evenly within each source geometry).
    /// Replaces what an earlier application of the same weights and batch wrote. Restricted to one
    /// <paramref name="period"/> when given (a new year of values). Returns rows written.
    /// </summary>
    public async Task<int> ApplyAsync(long weightSetId, long batchId, string? populationIndicator = null, string? period = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var method = populationIndicator is null ? "area" : "population";
        await using (var clear = new NpgsqlCommand("DELETE FROM features.territory_exposure e USING geo.interp_weight_set s, geo.territory t WHERE s.id = $1 AND e.layer_id = s.layer_id AND t.id = e.territory_id AND t.level = s.level AND t.vintage = s.vintage AND e.batch_id = $2 AND e.method = $3 AND ($4::text IS NULL OR e.period = $4)", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = weightSetId });
            clear.Parameters.Add(new() { Value = batchId });
            clear.Parameters.Add(new() { Value = method });
            clear.Parameters.Add(new() { Value = (object?)period ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        // Coverage is the share of the territory's area that source geometries with a value cover.
        // The weighted sums group on the territory alone (layer, batch and period are fixed), then
        // meet the territory once for its area: cheaper than carrying the area through the join.
        var sql = populationIndicator is null
            ? """
              INSERT INTO features.territory_exposure (layer_id, batch_id, territory_id, indicator_code, period, method, value, coverage)
              SELECT s.layer_id, $2, x.territory_id, x.indicator_code, x.period, 'area', x.value, x.overlap_m2 / (t.area_km2 * 1e6)
              FROM (
                  SELECT w.territory_id, v.indicator_code, v.period, sum(v.value * w.overlap_m2) / sum(w.overlap_m2) AS value, sum(w.overlap_m2) AS overlap_m2
                  FROM geo.interp_weight w
                  JOIN facts.feature_value v ON v.batch_id = $2 AND v.layer_id = (SELECT layer_id FROM geo.interp_weight_set WHERE id = $1) AND v.feature_id = w.feature_id
                  WHERE w.weight_set_id = $1 AND ($3::text IS NULL OR v.period = $3)
                  GROUP BY w.territory_id, v.indicator_code, v.period) x
              JOIN geo.territory t ON t.id = x.territory_id
              JOIN geo.interp_weight_set s ON s.id = $1
              """
            : """
              INSERT INTO features.territory_exposure (layer_id, batch_id, territory_id, indicator_code, period, method, value, coverage)
              SELECT s.layer_id, $2, x.territory_id, x.indicator_code, x.period, 'population', x.value, x.overlap_m2 / (t.area_km2 * 1e6)
              FROM (
                  SELECT w.territory_id, v.indicator_code, v.period,
                         sum(v.value * w.feature_share * p.value) / nullif(sum(w.feature_share * p.value), 0) AS value, sum(w.overlap_m2) AS overlap_m2
                  FROM geo.interp_weight w
                  JOIN facts.feature_value v ON v.batch_id = $2 AND v.layer_id = (SELECT layer_id FROM geo.interp_weight_set WHERE id = $1) AND v.feature_id = w.feature_id
                  JOIN facts.feature_value p ON p.batch_id = $2 AND p.layer_id = v.layer_id AND p.feature_id = w.feature_id AND p.period = v.period AND p.indicator_code = $4
                  WHERE w.weight_set_id = $1 AND v.indicator_code <> $4 AND ($3::text IS NULL OR v.period = $3)
                  GROUP BY w.territory_id, v.indicator_code, v.period
                  HAVING sum(w.feature_share * p.value) > 0) x
              JOIN geo.territory t ON t.id = x.territory_id
              JOIN geo.interp_weight_set s ON s.id = $1
              """;
        await using var apply = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        apply.Parameters.Add(new() { Value = weightSetId });
        apply.Parameters.Add(new() { Value = batchId });
        apply.Parameters.Add(new() { Value = (object?)period ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        if (populationIndicator is not null)
            apply.Parameters.Add(new() { Value = populationIndicator });
        var rows = await apply.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
