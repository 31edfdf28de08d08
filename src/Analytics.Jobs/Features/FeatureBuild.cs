using Analytics.Jobs.Ingest;
using Analytics.Jobs.Telemetry;
using Npgsql;

namespace Analytics.Jobs.Features;

/// <summary>
/// The Features stage over everything loaded: published health figures for the latest health
/// batch, every grid and polygon layer interpolated onto the latest communes, every station layer
/// brought onto them, the cumulative index and the roll-ups onto custom zonings. Each step replaces what an earlier build wrote for the same inputs, so the
/// build may run again (at-least-once delivery) without duplicating anything. Each step is measured
/// (<see cref="StageMetrics"/>, stage <c>features.&lt;step&gt;</c>) with the rows it wrote, when it counts them.
/// </summary>
public sealed class FeatureBuild(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <param name="report">Receives one line per step.</param>
    /// <param name="index">The cumulative index's indicators (<see cref="CumulativeIndexBuild.ReadDefinition"/>); no index when null.</param>
    /// <param name="inputKey">What the build read, as <see cref="Scheduling.Pipeline"/> keys it; recorded with the build.</param>
    /// <param name="cancellationToken">Stops the build between steps.</param>
    public async Task<IReadOnlyList<string>> RunAsync(Action<string>? report = null, IReadOnlyList<Analytics.Models.Indices.Indicator>? index = null,
        string? inputKey = null, CancellationToken cancellationToken = default)
    {
        using var meter = Scheduling.FootprintMeter.Start();
        var lines = new List<string>();
        void Done(StageMetrics.StageTimer step, long? rows, string line)
        {
            step.Stop(rows);
            lines.Add(line);
            report?.Invoke(line);
        }
        var vintage = await ScalarAsync<int?>("SELECT max(vintage) FROM geo.territory WHERE level = 'commune'", cancellationToken)
            ?? throw new InvalidOperationException("no communes are loaded: load territories first");
        if (await ScalarAsync<long?>("SELECT max(id) FROM ingest.batch WHERE kind = 'health' AND status = 'loaded'", cancellationToken) is long health)
        {
            var step = StageMetrics.Start("features.expected_cases");
            var expected = await new ExpectedCases(dataSource, clock).BuildAsync(health, cancellationToken);
            Done(step, expected, $"health batch {health}: {expected:N0} expected counts by indirect standardisation (territory × condition × period, and over all periods)");
            step = StageMetrics.Start("features.health_indicators");
            var summary = await new HealthIndicators(dataSource, clock).BuildAsync(health, cancellationToken: cancellationToken);
            Done(step, summary.Rows, $"health batch {health}: {summary.Tables} tables (period × condition), {summary.Rows:N0} figures, {summary.SuppressedCounts:N0} counts suppressed for secrecy"
                + (summary.UnprotectedTables > 0 ? $", {summary.UnprotectedTables} tables the auditor could not protect" : "")
                + $"; communes spatially clustered (EB Moran's I, p < 0.05) in {summary.SignificantMorans} of {summary.Tables}");
            step = StageMetrics.Start("features.scan_clusters");
            var clusters = await new ScanClusters(dataSource, clock).BuildAsync(health, cancellationToken: cancellationToken);
            Done(step, null, $"health batch {health}: {clusters} spatial scan clusters with p < 0.05 (Kulldorff, all periods, per condition)");
        }
        var layers = new List<(long Layer, string Kind, string Name, long Batch)>();
        await using (var command = dataSource.CreateCommand("""
            SELECT DISTINCT l.id, l.kind, l.name, v.batch_id FROM geo.source_layer l JOIN facts.feature_value v ON v.layer_id = l.id
            WHERE l.kind IN ('grid', 'polygons', 'stations') ORDER BY l.id, v.batch_id
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                layers.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        var areas = new AreaWeights(dataSource, clock);
        var stations = new StationValues(dataSource);
        foreach (var (layer, kind, name, batch) in layers)
        {
            if (kind == "stations")
            {
                var stationStep = StageMetrics.Start("features.station_values");
                var rows = await stations.ApplyAsync(layer, batch, Levels.Commune, vintage, "idw", cancellationToken: cancellationToken);
                Done(stationStep, rows, $"{name} (batch {batch}): {rows:N0} commune values by inverse-distance weighting");
                continue;
            }
            var areaStep = StageMetrics.Start("features.area_weights");
            var set = await areas.EnsureAsync(layer, Levels.Commune, vintage, cancellationToken);
            var written = await areas.ApplyAsync(set, batch, cancellationToken: cancellationToken);
            Done(areaStep, written, $"{name} (batch {batch}): {written:N0} commune values by area-weighted interpolation");
        }
        // Built on the published figures and the exposures above.
        if (await ScalarAsync<long?>("SELECT max(id) FROM ingest.batch WHERE kind = 'health' AND status = 'loaded'", cancellationToken) is long healthBatch)
        {
            if (index is not null)
            {
                var indexStep = StageMetrics.Start("features.cumulative_index");
                var scored = await new CumulativeIndexBuild(dataSource, clock).BuildAsync(healthBatch, index, cancellationToken);
                Done(indexStep, scored, $"cumulative index: {scored:N0} communes scored ({index.Count} indicators; the others lack a component)");
            }
            var zoneStep = StageMetrics.Start("features.custom_zonings");
            var withheld = await new CustomZonings(dataSource).RollUpAsync(healthBatch, cancellationToken: cancellationToken);
            Done(zoneStep, null, $"custom zonings: figures rolled up onto the accepted zones, {withheld:N0} zone counts withheld for secrecy");
        }
        var tileStep = StageMetrics.Start("features.tiles");
        var shapes = await new TerritoryTiles(dataSource).BuildAsync(cancellationToken);
        Done(tileStep, shapes, $"map tiles: {shapes:N0} boundaries simplified for zooms 5, 8 and 11");
        var footprint = meter.Stop();
        await using (var stamp = dataSource.CreateCommand("INSERT INTO features.build (finished_at, footprint, input_key) VALUES ($1, $2::jsonb, $3)"))
        {
            stamp.Parameters.Add(new() { Value = clock.GetUtcNow() });
            stamp.Parameters.Add(new() { Value = Scheduling.FootprintJson.Of(footprint) });
            stamp.Parameters.Add(new() { Value = (object?)inputKey ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await stamp.ExecuteNonQueryAsync(cancellationToken);
        }
        lines.Add($"footprint: {footprint}");
        report?.Invoke(lines[^1]);
        return lines;
    }

    private async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull or null ? default : (T)value;
    }
}
