using Analytics.Jobs.Database;
using Analytics.Models.Epidemiology;
using Analytics.Models.Secrecy;
using Analytics.Models.Spatial;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// Kulldorff's Poisson spatial scan over the communes of one health batch, per condition over all
/// its periods (a cluster is a lasting excess, and five years give the scan the power one year
/// lacks). Expected counts come from indirect standardisation on the batch's own rates by sex and
/// age band, so a window of old communes is not a cluster for being old. Writes
/// <c>features.scan_cluster</c>.
/// </summary>
/// <remarks>
/// <para>A window holds at most 10% of the population (SaTScan's default is 50%, which on a region
/// finds "the western half"; prevention needs places a team can act on) and at most 200 communes,
/// so the national map stays tractable (see <see cref="ScanStatistic"/>). 999 seeded replicas.</para>
/// <para>A cluster's window is a custom zone: its counts are published only when it holds at
/// least the secrecy threshold of cases and the <see cref="CustomZoneRule"/> accepts it against
/// every level of the hierarchy — otherwise its membership and p-value stay, its counts, expected
/// cases, relative risk and likelihood ratio (which give the count back) are withheld.</para>
/// </remarks>
public sealed class ScanClusters(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly ScanOptions Options = new(MaxPopulationShare: 0.1, MaxAreasPerWindow: 200, Replicas: 999, Seed: 42, MaxSecondaryClusters: 5);

    private sealed record Commune(long Id, string Code, double X, double Y, long? EpciId, long? DepartementId, long? RegionId);

    /// <summary>Scans every condition of the batch; returns the number of clusters with p &lt; 0.05.</summary>
    public async Task<int> BuildAsync(long healthBatchId, SecrecyRule? secrecy = null, CustomZoneRule? zoneRule = null, CancellationToken cancellationToken = default)
    {
        secrecy ??= SecrecyRule.Default;
        zoneRule ??= new CustomZoneRule();
        var communes = await ReadCommunesAsync(healthBatchId, cancellationToken);
        var expected = new ExpectedCases(dataSource, clock);
        var pooled = await expected.ReadAsync(healthBatchId, ExpectedScope.AllPeriods, cancellationToken: cancellationToken);
        var periods = await expected.PeriodsAsync(healthBatchId, cancellationToken);
        var years = periods.Count;
        var zonings = HierarchyZonings.Of(communes.Select(c => (c.Code, c.EpciId, c.DepartementId, c.RegionId)).ToList());
        var now = clock.GetUtcNow();
        var rows = new List<ClusterRow>();
        var significant = 0;
        foreach (var condition in pooled.GroupBy(e => e.Condition).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // Every commune of the vintage is an area; one without counts in the batch has none expected.
            var counts = condition.ToDictionary(e => e.TerritoryId);
            var areas = communes.Select(c => counts.TryGetValue(c.Id, out var e)
                ? new ScanArea(c.X, c.Y, e.Cases, e.Expected, e.Population)
                : new ScanArea(c.X, c.Y, 0, 0, 0)).ToList();
            var result = ScanStatistic.Run(areas, Options);
            var clusters = result.MostLikely is null ? [] : new[] { result.MostLikely }.Concat(result.Secondary).ToList();
            // Residents per commune (mean over the years), for the custom-zone rule.
            var residents = communes.Select((c, i) => (c.Code, (long)Math.Round(areas[i].Population / years))).ToDictionary(p => p.Code, p => p.Item2, StringComparer.Ordinal);
            for (var rank = 0; rank < clusters.Count; rank++)
            {
                var cluster = clusters[rank];
                if (cluster.PValue < 0.05)
                    significant++;
                var members = cluster.Areas.Select(a => communes[a]).ToList();
                var zone = new Zone($"{condition.Key}-{rank + 1}", members.Select(m => m.Code).ToHashSet(StringComparer.Ordinal));
                var decision = zoneRule.Check(zone, zonings, residents);
                string? refusal = cluster.Cases is >= 1 and < 11 && cluster.Cases < secrecy.Threshold
                    ? $"moins de {secrecy.Threshold} cas / fewer than {secrecy.Threshold} cases"
                    : decision.Accepted ? null : string.Join("; ", decision.Refusals.Select(r => r.ToString()));
                var hidden = refusal is not null;
                rows.Add(new ClusterRow(healthBatchId, condition.Key, periods[0], periods[^1], rank + 1, communes[cluster.Centre].Id, cluster.RadiusMetres,
                    members.Select(m => m.Id).ToArray(), cluster.Areas.Sum(a => areas[a].Population),
                    hidden ? null : cluster.Cases, hidden ? null : cluster.Expected, hidden ? null : cluster.RelativeRisk, hidden ? null : cluster.LogLikelihoodRatio,
                    cluster.PValue, hidden ? "suppressed" : "value", refusal,
                    System.Text.Json.JsonSerializer.Serialize(new
                    {
                        maxPopulationShare = Options.MaxPopulationShare, maxAreasPerWindow = Options.MaxAreasPerWindow, replicas = result.Replicas,
                        seed = Options.Seed, windows = result.WindowCount, communes = members.Select(m => m.Code).ToArray(),
                    }),
                    now));
            }
        }
        await WriteAsync(healthBatchId, rows, cancellationToken);
        return significant;
    }

    private sealed record ClusterRow(long HealthBatchId, string Condition, string PeriodFrom, string PeriodTo, int Rank, long CentreTerritoryId, double RadiusMetres,
        long[] TerritoryIds, double Population, long? Cases, double? Expected, double? RelativeRisk, double? LogLikelihoodRatio, double PValue, string State,
        string? Refusal, string Detail, DateTimeOffset ComputedAt);

    private static readonly CopyTable<ClusterRow> Clusters = new("features.scan_cluster",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("condition_code", NpgsqlDbType.Text, r => r.Condition),
        new("period_from", NpgsqlDbType.Text, r => r.PeriodFrom), new("period_to", NpgsqlDbType.Text, r => r.PeriodTo), new("rank", NpgsqlDbType.Integer, r => r.Rank),
        new("centre_territory_id", NpgsqlDbType.Bigint, r => r.CentreTerritoryId), new("radius_m", NpgsqlDbType.Double, r => r.RadiusMetres),
        new("territory_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint, r => r.TerritoryIds), new("population", NpgsqlDbType.Double, r => r.Population),
        new("cases", NpgsqlDbType.Bigint, r => r.Cases), new("expected", NpgsqlDbType.Double, r => r.Expected), new("relative_risk", NpgsqlDbType.Double, r => r.RelativeRisk),
        new("log_likelihood_ratio", NpgsqlDbType.Double, r => r.LogLikelihoodRatio), new("p_value", NpgsqlDbType.Double, r => r.PValue),
        new("state", NpgsqlDbType.Text, r => r.State), new("refusal", NpgsqlDbType.Text, r => r.Refusal), new("detail", NpgsqlDbType.Jsonb, r => r.Detail),
        new("computed_at", NpgsqlDbType.TimestampTz, r => r.ComputedAt));

    private async Task WriteAsync(long healthBatchId, List<ClusterRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM features.scan_cluster WHERE health_batch_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = healthBatchId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await Clusters.WriteAsync(connection, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<List<Commune>> ReadCommunesAsync(long healthBatchId, CancellationToken cancellationToken)
    {
        // The communes of the vintage the batch's counts are attached to, with their ancestors.
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/scan_communes.sql"));
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var communes = new List<Commune>();
        while (await reader.ReadAsync(cancellationToken))
            communes.Add(new Commune(reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetInt64(6)));
        if (communes.Count == 0)
            throw new InvalidOperationException($"health batch {healthBatchId} has no commune counts to scan");
        return communes;
    }
}
