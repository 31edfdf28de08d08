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
/// One figure of a territory (depth 0) or of one of its ancestors (depth 1 = its parent…), for a
/// period. <c>DiffersFromTerritory</c>, for an ancestor: true when both figures are published and
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

/// <summary>What the features stage publishes about a territory beside its health figures.</summary>
public sealed record TerritoryProfile(IReadOnlyList<Exposure> Exposures, IReadOnlyList<LocalCluster> Clusters, IReadOnlyList<ScanMembership> ScanClusters, IndexScore? CumulativeIndex);

/// <summary>A child territory's place among its siblings for one figure; <c>Rank</c> only for a published value.</summary>
public sealed record RankedTerritory(int? Rank, string Code, string Name, string Level, double? Value, double? Low, double? High, PublicationState State);

/// <summary>The health figures of one territory from one health batch, with where the batch came from (source, licence, load date).</summary>
public sealed record TerritoryHealth(long HealthBatchId, string? Source, string? Licence, DateTimeOffset LoadedAt, IReadOnlyList<HealthFigure> Figures);

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

    /// <summary>Exposures, local clusters, scan clusters and cumulative index of a territory (empty lists when none); null for an unknown territory.</summary>
    public async Task<TerritoryProfile?> ProfileAsync(string level, string code, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/territory_profile.sql"));
        command.Parameters.Add(new() { Value = level });
        command.Parameters.Add(new() { Value = code });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (exposures, clusters, scans) = (new List<Exposure>(), new List<LocalCluster>(), new List<ScanMembership>());
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
                default:
                    index = new IndexScore(Number(3), Number(4), Text(5), state);
                    break;
            }
        }
        return known ? new TerritoryProfile(exposures, clusters, scans, index) : null;
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
