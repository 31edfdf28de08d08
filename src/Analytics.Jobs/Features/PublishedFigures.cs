using Analytics.Jobs.Database;
using Analytics.Models.Secrecy;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// One published health figure of a territory: the value and its 95% interval when published,
/// nothing but its state when withheld or missing — the state always named.
/// </summary>
public sealed record HealthFigure(string Condition, string Period, string Statistic, double? Value, double? Low, double? High, PublicationState State, string Method);

/// <summary>
/// One figure of a territory (depth 0), of one of its ancestors (depth 1 = its parent…) or of the whole
/// loaded world (the last depth; level <c>whole</c>, no code), for a period. <c>DiffersFromTerritory</c>, for an ancestor: true when both figures are published and
/// their 95% intervals do not overlap; null when either is withheld or has no interval.
/// </summary>
public sealed record ComparedFigure(int Depth, string Level, string Code, string Name, string Period, double? Value, double? Low, double? High,
    PublicationState State, bool? DiffersFromTerritory);

/// <summary>An exposure of a territory: the layer's value brought onto it, and how (area or population weights with the share covered, or stations with the nearest one's distance).</summary>
public sealed record Exposure(string Indicator, string Period, string Method, double Value, double? CoverageOrDistance);

/// <summary>A local cluster category (LISA or Getis-Ord Gi* on the smoothed relative risk); withheld, with its state, where the territory's count is.</summary>
public sealed record LocalCluster(string Condition, string Method, string Period, string? Category, double? PValue, PublicationState State);

/// <summary>A spatial scan cluster the territory belongs to; its relative risk withheld when the cluster's counts are.</summary>
public sealed record ScanMembership(string Condition, int Rank, string Periods, double? RelativeRisk, double? PValue, PublicationState State);

/// <summary>The territory's cumulative index: score, percentile and its rank interval over the four aggregations.</summary>
public sealed record IndexScore(double? Score, double? Percentile, string? RankInterval, PublicationState State);

/// <summary>A territory's latest value (or label, for a categorical attribute such as the density class) of a public indicator loaded as a fact.</summary>
public sealed record TerritoryValue(string Indicator, string Period, double? Value, string? Label);

/// <summary>What the features stage publishes about a territory beside its health figures.</summary>
public sealed record TerritoryProfile(IReadOnlyList<Exposure> Exposures, IReadOnlyList<LocalCluster> Clusters, IReadOnlyList<ScanMembership> ScanClusters, IndexScore? CumulativeIndex,
    IReadOnlyList<TerritoryValue> Values);

/// <summary>A child territory's place among its siblings for one figure; <c>Rank</c> only for a published value.</summary>
public sealed record RankedTerritory(int? Rank, string Code, string Name, string Level, double? Value, double? Low, double? High, PublicationState State);

/// <summary>The health figures of one territory from one health batch, with where the batch came from (source, licence, load date).</summary>
public sealed record TerritoryHealth(long HealthBatchId, string? Source, string? Licence, DateTimeOffset LoadedAt, IReadOnlyList<HealthFigure> Figures);

/// <summary>One figure of one territory of a level for one period; the boundary (GeoJSON, EPSG:4326) when asked for.</summary>
public sealed record LevelFigure(string Code, string Name, int Vintage, string Period, double? Value, double? Low, double? High, PublicationState State, string? GeometryJson);

/// <summary>A territory's local cluster category (LISA, Gi*) or scan cluster rank in a level's cluster layer; no category where it is withheld.</summary>
public sealed record LevelCluster(string Code, string? Category, double? PValue, PublicationState State);

/// <summary>A territory's exposure or public value in a level's layer, and how it was brought onto the territory.</summary>
public sealed record LevelExposure(string Code, string Period, double Value, string Method, double? CoverageOrDistance);

/// <summary>A commune's cumulative index: its percentile and its rank interval (best–worst under the alternative aggregations).</summary>
public sealed record CommuneIndex(string Code, double Percentile, int BestRank, int WorstRank);

/// <summary>A page of a level's figures, with how many rows match in all.</summary>
public sealed record LevelFigurePage(long Matched, IReadOnlyList<LevelFigure> Figures);

/// <summary>
/// Which rows of a level's figures to read: one figure; one period, a range of periods (<c>From</c>, <c>To</c>, either
/// open) or all; optionally within a box (west, south, east, north in degrees) or one territory; with boundaries or not.
/// </summary>
public sealed record LevelQuery(string Level, string Condition, string Statistic, string? Period = null, double[]? Bbox = null, bool WithGeometry = false,
    int Limit = int.MaxValue, int Offset = 0, string? From = null, string? To = null, string? Code = null);

/// <summary>
/// Where the published figures come from, for every export: the health batch (source, licence, load date), the
/// latest features build, and the geography's vintage.
/// </summary>
public sealed record FiguresProvenance(long HealthBatchId, string? Source, string? Licence, DateTimeOffset LoadedAt, long BuildId, DateTimeOffset BuiltAt);

/// <summary>
/// What the features stage publishes, as the API serves it: <c>features.health_indicator</c> after
/// statistical secrecy (every level of the hierarchy protected together, so no level can be
/// subtracted from another). Nothing here reads the facts: a withheld count has no value to leak.
/// </summary>
public sealed class PublishedFigures(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The territory's figures from the latest health batch built, by condition, period and statistic;
    /// <paramref name="condition"/> narrows to one. Null when the territory has no figures (unknown, or nothing built).
    /// </summary>
    public async Task<TerritoryHealth?> HealthAsync(string level, string code, string? condition, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT h.health_batch_id, h.condition_code, h.period, h.statistic, h.value, h.ci_low, h.ci_high, h.state, h.method, b.source, b.licence, b.finished_at
            FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id JOIN ingest.batch b ON b.id = h.health_batch_id
            WHERE h.health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator) AND t.level = $1 AND t.code = $2
              AND ($3::text IS NULL OR h.condition_code = $3)
            ORDER BY h.condition_code, h.period, h.statistic
            """);
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = (object?)condition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadHealthAsync(command, cancellationToken);
    }

    /// <summary>
    /// Reads figures with their batch's provenance — columns: batch id, condition, period, statistic, value, low, high,
    /// state, method, source, licence, load date; null when there is no row.
    /// </summary>
    internal static async Task<TerritoryHealth?> ReadHealthAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (long Id, string? Source, string? Licence, DateTimeOffset LoadedAt)? batch = null;
        var figures = new List<HealthFigure>();
        while (await reader.ReadAsync(cancellationToken))
        {
            batch = (reader.GetInt64(0), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetFieldValue<DateTimeOffset>(11));
            figures.Add(new HealthFigure(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                PublicationStates.Parse(reader.GetString(7)), reader.GetString(8)));
        }
        return batch is { } b ? new TerritoryHealth(b.Id, b.Source, b.Licence, b.LoadedAt, figures) : null;
    }

    /// <summary>
    /// One statistic of one condition for the territory and each of its ancestors, period by period,
    /// each ancestor flagged when its interval and the territory's do not overlap (a conservative
    /// test of a difference at 5%). Empty when the territory or the figure is unknown.
    /// </summary>
    public async Task<List<ComparedFigure>> CompareAsync(string level, string code, string condition, string statistic, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/territory_comparison.sql"));
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = condition });
        command.Parameters.Add(new() { Value = statistic });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ComparedFigure>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ComparedFigure(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7),
                PublicationStates.Parse(reader.GetString(8)), null));
        return rows.GroupBy(r => r.Period).SelectMany(period =>
        {
            var own = period.FirstOrDefault(r => r.Depth == 0);
            return period.Select(r => r.Depth == 0 ? r : r with { DiffersFromTerritory = Differ(own, r) });
        }).ToList();
    }

    private static bool? Differ(ComparedFigure? territory, ComparedFigure ancestor) =>
        territory is { Low: { } lo, High: { } hi } && ancestor is { Low: { } alo, High: { } ahi } ? hi < alo || ahi < lo : null;

    /// <summary>Exposures, local clusters, scan clusters, cumulative index and public values of a territory (empty lists when none); null for an unknown territory.</summary>
    public async Task<TerritoryProfile?> ProfileAsync(string level, string code, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/territory_profile.sql"));
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (exposures, clusters, scans, values) = (new List<Exposure>(), new List<LocalCluster>(), new List<ScanMembership>(), new List<TerritoryValue>());
        IndexScore? index = null;
        var known = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            double? Number(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var state = PublicationStates.Parse(reader.GetString(6));
            var name = reader.GetString(1);
            switch (reader.GetString(0))
            {
                case "territory":
                    known = true;
                    break;
                case "exposure":
                    exposures.Add(new Exposure(name, reader.GetString(2), reader.GetString(5), reader.GetDouble(3), Number(4)));
                    break;
                case "cluster":
                    clusters.Add(new LocalCluster(name[..name.IndexOf(':')], name[(name.IndexOf(':') + 1)..], reader.GetString(2), Text(5), Number(3), state));
                    break;
                case "scan":
                    scans.Add(new ScanMembership(name[..name.LastIndexOf(':')], int.Parse(name[(name.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture),
                        reader.GetString(2), Number(3), Number(4), state));
                    break;
                case "value":
                    values.Add(new TerritoryValue(name, reader.GetString(2), Number(3), Text(5)));
                    break;
                default:
                    index = new IndexScore(Number(3), Number(4), Text(5), state);
                    break;
            }
        }
        return known ? new TerritoryProfile(exposures, clusters, scans, index, values) : null;
    }

    /// <summary>The cluster layer of a level: LISA or Gi* categories (<paramref name="method"/> lisa, gi_star) or scan cluster membership (scan) for a condition and period.</summary>
    public async Task<IReadOnlyList<LevelCluster>> LevelClustersAsync(string level, string condition, string method, string period, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/level_clusters.sql"));
        foreach (var value in new[] { level, method, condition, period })
            command.Parameters.Add(new() { Value = value });
        var clusters = new List<LevelCluster>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            clusters.Add(new LevelCluster(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2),
                PublicationStates.Parse(reader.GetString(3))));
        return clusters;
    }

    /// <summary>The cumulative index of every commune that has a score.</summary>
    public async Task<IReadOnlyList<CommuneIndex>> CommuneIndexAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/commune_index.sql"));
        var index = new List<CommuneIndex>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            index.Add(new CommuneIndex(reader.GetString(0), reader.GetDouble(1), reader.GetInt32(2), reader.GetInt32(3)));
        return index;
    }

    /// <summary>An exposure or public value of every territory of a level, for one period or all.</summary>
    public async Task<IReadOnlyList<LevelExposure>> LevelExposuresAsync(string level, string indicator, string? period, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/level_exposures.sql"));
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = indicator });
        command.Parameters.Add(new() { Value = (object?)period ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var exposures = new List<LevelExposure>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            exposures.Add(new LevelExposure(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetDouble(4)));
        return exposures;
    }

    /// <summary>One figure of a whole level (a page of it), for exports, maps and GIS clients; withheld figures carry their state and no value.</summary>
    public async Task<LevelFigurePage> LevelAsync(LevelQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/level_figures.sql"));
        command.Parameters.Add(new() { Value = query.Level });
        command.Parameters.Add(new() { Value = query.Condition });
        command.Parameters.Add(new() { Value = query.Statistic });
        command.Parameters.Add(new() { Value = (object?)query.Period ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        for (var i = 0; i < 4; i++)
            command.Parameters.Add(new() { Value = query.Bbox is null ? DBNull.Value : query.Bbox[i], NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = query.WithGeometry });
        command.Parameters.Add(new() { Value = (long)query.Limit });
        command.Parameters.Add(new() { Value = (long)query.Offset });
        foreach (var text in new[] { query.From, query.To, query.Code })
            command.Parameters.Add(new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var figures = new List<LevelFigure>();
        long matched = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            figures.Add(new LevelFigure(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6),
                PublicationStates.Parse(reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetString(8)));
            matched = reader.GetInt64(9);
        }
        // Past the last page the window count is not there to read: count apart.
        if (figures.Count == 0 && query.Offset > 0)
            matched = (await LevelAsync(query with { Limit = 1, Offset = 0, WithGeometry = false }, cancellationToken)).Matched;
        return new LevelFigurePage(matched, figures);
    }

    /// <summary>
    /// The (condition, statistic) pairs the latest health batch publishes, with their periods, in code order. Read on the
    /// régions' rows: the build writes every figure at every level, and the primary key's (batch, territory) prefix finds
    /// them in milliseconds where the whole batch (7 million rows nationally) takes seconds.
    /// </summary>
    public async Task<List<(string Condition, string Statistic, IReadOnlyList<string> Periods)>> PublishedSeriesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT condition_code, statistic, array_agg(DISTINCT period ORDER BY period) FROM features.health_indicator
            WHERE health_batch_id = (SELECT max(health_batch_id) FROM features.health_indicator)
              AND territory_id IN (SELECT id FROM geo.territory WHERE level = 'region') GROUP BY 1, 2 ORDER BY 1, 2
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var series = new List<(string, string, IReadOnlyList<string>)>();
        while (await reader.ReadAsync(cancellationToken))
            series.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
        return series;
    }

    /// <summary>Where the published figures come from; null before the first build.</summary>
    public async Task<FiguresProvenance?> ProvenanceAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT b.id, b.source, b.licence, b.finished_at, f.id, f.finished_at
            FROM ingest.batch b, (SELECT id, finished_at FROM features.build ORDER BY id DESC LIMIT 1) f
            WHERE b.id = (SELECT max(health_batch_id) FROM features.health_indicator)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new FiguresProvenance(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(5))
            : null;
    }

    /// <summary>The territory's children ranked on one figure of one period (published first, highest value first); empty when it has none.</summary>
    public async Task<List<RankedTerritory>> RankChildrenAsync(string level, string code, string condition, string statistic, string period,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/children_ranking.sql"));
        foreach (var value in new[] { level, code, condition, statistic, period })
            command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ranked = new List<RankedTerritory>();
        var rank = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = PublicationStates.Parse(reader.GetString(6));
            var published = !reader.IsDBNull(3);
            ranked.Add(new RankedTerritory(published ? ++rank : null, reader.GetString(0), reader.GetString(1), reader.GetString(2),
                published ? reader.GetDouble(3) : null, reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), state));
        }
        return ranked;
    }
}
