using Analytics.Jobs.Database;
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
        await using (var compute = new NpgsqlCommand(StageSql.Load("Features/Sql/area_weights.sql"), connection, transaction))
        {
            compute.CommandTimeout = 0; // minutes nationally: bounded by Database:StatementTimeoutSeconds on the server
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
        // Fresh statistics, or the planner takes the new weights for an empty table when applying them
        // (as the table's owner, migration 0033: the application's role may not analyse it).
        await Execute(connection, transaction, "SELECT geo.analyze_interp_weight()", cancellationToken);
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
    /// <remarks>
    /// The product is computed here rather than by a SQL join: the weights and the values stream out
    /// by binary COPY, the sums are a pass over arrays indexed by feature id, and the results stream
    /// back — several times faster than a join of a million weights with a million values.
    /// </remarks>
    public async Task<int> ApplyAsync(long weightSetId, long batchId, string? populationIndicator = null, string? period = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var method = populationIndicator is null ? "area" : "population";
        long layerId;
        string level;
        int vintage;
        await using (var set = new NpgsqlCommand("SELECT layer_id, level, vintage FROM geo.interp_weight_set WHERE id = $1", connection, transaction))
        {
            set.Parameters.Add(new() { Value = weightSetId });
            await using var reader = await set.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                throw new ArgumentException($"no weight set {weightSetId}", nameof(weightSetId));
            (layerId, level, vintage) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2));
        }

        var territoryIds = new List<long>();
        var territoryArea = new List<double>();
        var territoryIndex = new Dictionary<long, int>();
        await using (var territories = new NpgsqlCommand("SELECT id, area_km2 * 1e6 FROM geo.territory WHERE level = $1 AND vintage = $2", connection, transaction))
        {
            territories.Parameters.Add(new() { Value = level });
            territories.Parameters.Add(new() { Value = vintage });
            await using var reader = await territories.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                territoryIndex[reader.GetInt64(0)] = territoryIds.Count;
                territoryIds.Add(reader.GetInt64(0));
                territoryArea.Add(reader.GetDouble(1));
            }
        }

        var weights = new List<(int Territory, int Feature, double Overlap, double Share)>();
        await using (var reader = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT territory_id, feature_id, overlap_m2, feature_share FROM geo.interp_weight WHERE weight_set_id = {weightSetId}) TO STDOUT (FORMAT BINARY)", cancellationToken))
        {
            while (await reader.StartRowAsync(cancellationToken) != -1)
                weights.Add((territoryIndex[reader.Read<long>()], reader.Read<int>(), reader.Read<double>(), reader.Read<double>()));
        }

        // Values of every (indicator, period) of the batch, each an array indexed by feature id (ids run 1..n within a layer).
        var maxFeature = weights.Count == 0 ? 0 : weights.Max(w => w.Feature);
        var values = new Dictionary<(string Indicator, string Period), double[]>();
        var periodFilter = period is null ? "" : $" AND period = '{period.Replace("'", "''")}'";
        await using (var reader = await connection.BeginBinaryExportAsync(
            $"COPY (SELECT feature_id, indicator_code, period, value FROM facts.feature_value WHERE batch_id = {batchId} AND layer_id = {layerId}{periodFilter}) TO STDOUT (FORMAT BINARY)",
            cancellationToken))
        {
            while (await reader.StartRowAsync(cancellationToken) != -1)
            {
                var feature = reader.Read<int>();
                var key = (reader.Read<string>(), reader.Read<string>());
                var value = reader.Read<double>();
                if (feature > maxFeature)
                    continue; // a geometry that meets no territory
                if (!values.TryGetValue(key, out var array))
                {
                    values[key] = array = new double[maxFeature + 1];
                    Array.Fill(array, double.NaN);
                }
                array[feature] = value;
            }
        }

        await TerritoryExposures.ClearAsync(connection, transaction, layerId, batchId, method, level, vintage, period, cancellationToken);
        var rows = 0;
        var sum = new double[territoryIds.Count];
        var weightSum = new double[territoryIds.Count];
        var covered = new double[territoryIds.Count];
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY features.territory_exposure (layer_id, batch_id, territory_id, indicator_code, period, method, value, coverage) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var ((indicator, valuePeriod), array) in values)
            {
                if (indicator == populationIndicator)
                    continue;
                var population = populationIndicator is null ? null : values.GetValueOrDefault((populationIndicator, valuePeriod));
                if (populationIndicator is not null && population is null)
                    continue;
                Array.Clear(sum);
                Array.Clear(weightSum);
                Array.Clear(covered);
                foreach (var (territory, feature, overlap, share) in weights)
                {
                    var value = array[feature];
                    if (double.IsNaN(value))
                        continue;
                    var weight = population is null ? overlap : share * population[feature];
                    if (double.IsNaN(weight))
                        continue;
                    sum[territory] += value * weight;
                    weightSum[territory] += weight;
                    covered[territory] += overlap;
                }
                for (var t = 0; t < territoryIds.Count; t++)
                {
                    if (weightSum[t] <= 0)
                        continue;
                    writer.StartRow();
                    writer.Write(layerId, NpgsqlTypes.NpgsqlDbType.Bigint);
                    writer.Write(batchId, NpgsqlTypes.NpgsqlDbType.Bigint);
                    writer.Write(territoryIds[t], NpgsqlTypes.NpgsqlDbType.Bigint);
                    writer.Write(indicator, NpgsqlTypes.NpgsqlDbType.Text);
                    writer.Write(valuePeriod, NpgsqlTypes.NpgsqlDbType.Text);
                    writer.Write(method, NpgsqlTypes.NpgsqlDbType.Text);
                    writer.Write(sum[t] / weightSum[t], NpgsqlTypes.NpgsqlDbType.Double);
                    writer.Write(covered[t] / territoryArea[t], NpgsqlTypes.NpgsqlDbType.Double);
                    rows++;
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
