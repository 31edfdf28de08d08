using Analytics.Jobs.Database;
using System.Globalization;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Ingest.Text;
using Analytics.Models.Epidemiology;
using Analytics.Models.Secrecy;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// The roll-up of the published figures onto the accepted zones of custom zonings (health contracts,
/// CPTS territories, a study area — loaded and accepted zone by zone by the ingest stage's
/// <c>ZoningLoader</c>): sums for counts, population-weighted means for exposures.
/// </summary>
/// <remarks>
/// <para><b>Counts.</b> A zone's count is suppressed when it holds 1 to 10 cases, and when the
/// disclosure auditor, given the published hierarchy table and every zone of the table as sums of their
/// communes, finds a suppressed cell it could recover (the zone counts of an attack are withheld,
/// then the table is audited again). Rates and SIR on a suppressed count are suppressed too.</para>
/// </remarks>
public sealed class CustomZonings(NpgsqlDataSource dataSource)
{
    /// <summary>Rolls the batch's published figures and the communes' exposures up onto every accepted zone; returns how many zone figures were suppressed.</summary>
    public async Task<int> RollUpAsync(long healthBatchId, SecrecyRule? secrecy = null, CancellationToken cancellationToken = default)
    {
        secrecy ??= SecrecyRule.Default;
        var zones = await AcceptedZonesAsync(cancellationToken);
        if (zones.Count == 0)
            return 0;
        var cells = await PublishedCellsAsync(healthBatchId, cancellationToken);
        var rows = new List<ZoneFigure>();
        var suppressed = 0;
        foreach (var table in cells.GroupBy(c => (c.Period, c.Condition)))
        {
            var byTerritory = table.ToDictionary(c => c.TerritoryId);
            var zoneCells = zones.Select(z =>
            {
                var members = z.Communes.Where(byTerritory.ContainsKey).Select(c => byTerritory[c]).ToList();
                return (Zone: z, Cases: members.Sum(m => m.Cases), Population: members.Sum(m => m.Population), Expected: members.Sum(m => m.Expected), Members: members);
            }).ToList();
            var hidden = Protect(table.ToList(), zoneCells.Select(z => (z.Cases, z.Members.Select(m => m.TerritoryId).ToList())).ToList(), secrecy);
            foreach (var (z, i) in zoneCells.Select((z, i) => (z, i)))
            {
                var isHidden = hidden.Contains(i);
                if (isHidden)
                    suppressed++;
                var reliable = RateReliability.AssessCrude(z.Cases) == Reliability.Reliable;
                void Add(string statistic, double value, ConfidenceInterval? interval, bool canBeUnreliable, string method) =>
                    rows.Add(new ZoneFigure(healthBatchId, z.Zone.Id, table.Key.Period, table.Key.Condition, statistic, isHidden ? null : value,
                        isHidden ? null : interval?.Lower, isHidden ? null : interval?.Upper,
                        isHidden ? "suppressed" : canBeUnreliable && !reliable ? "unreliable" : "value", method));
                Add("cases", z.Cases, PoissonInterval.Exact(z.Cases), false, "sum over the zone's communes; exact Poisson interval");
                Add("population", z.Population, null, false, "sum over the zone's communes");
                if (z.Population > 0)
                {
                    var crude = CrudeRate.Compute(z.Cases, z.Population);
                    Add("crude_rate", crude.Value, crude.Interval, true, "cases per 100,000 inhabitants; exact Poisson interval");
                }
                if (z.Expected > 0)
                {
                    Add("expected", z.Expected, null, false, "sum of the communes' expected cases (indirect standardisation on the batch's rates)");
                    var sir = IndirectStandardisation.Ratio(z.Cases, z.Expected);
                    Add("sir", sir.Value, sir.Interval, true, "observed / expected; exact Poisson interval");
                }
            }
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in new[] { $"DELETE FROM features.custom_zone_indicator WHERE health_batch_id = {healthBatchId}", "DELETE FROM features.custom_zone_exposure" })
        {
            await using var clear = new NpgsqlCommand(sql, connection, transaction);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await ZoneFigures.WriteAsync(connection, rows, cancellationToken);
        // Exposures: population-weighted mean of the communes' latest values, with the share of residents covered.
        await using (var exposures = new NpgsqlCommand(StageSql.Load("Features/Sql/custom_zone_exposures.sql"), connection, transaction))
            await exposures.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return suppressed;
    }

    /// <summary>
    /// Which zone counts must be withheld beside the published hierarchy table: those of 1 to 10
    /// cases, then those the disclosure auditor uses to recover a suppressed cell, until the table is clean.
    /// </summary>
    private static HashSet<int> Protect(List<Cell> table, List<(long Cases, List<long> Members)> zones, SecrecyRule secrecy)
    {
        var hidden = zones.Select((z, i) => (z, i)).Where(p => p.z.Cases is >= 1 && p.z.Cases < secrecy.Threshold).Select(p => p.i).ToHashSet();
        var index = table.Select((c, i) => (c.TerritoryId, i)).ToDictionary(p => p.TerritoryId, p => p.i);
        var relations = table.Where(c => c.Parent is long p && index.ContainsKey(p)).GroupBy(c => c.Parent!.Value)
            .Select(g => LinearRelation.Sum($"{g.Key} = Σ children", index[g.Key], g.Select(c => index[c.TerritoryId]))).ToList();
        for (var round = 0; round < zones.Count + 1; round++)
        {
            var cells = table.Select(c => new DisclosureCell(c.TerritoryId.ToString(CultureInfo.InvariantCulture), c.Suppressed ? Published<long>.Suppressed : Published.Of(c.Cases), (long)c.Population)).ToList();
            var all = new List<LinearRelation>(relations);
            for (var z = 0; z < zones.Count; z++)
            {
                cells.Add(new DisclosureCell($"zone {z}", hidden.Contains(z) ? Published<long>.Suppressed : Published.Of(zones[z].Cases)));
                all.Add(LinearRelation.Sum($"zone {z}", cells.Count - 1, zones[z].Members.Where(index.ContainsKey).Select(m => index[m])));
            }
            var report = DisclosureAuditor.Audit(cells, all, secrecy);
            if (report.IsClean)
                return hidden;
            var used = report.Disclosures.SelectMany(d => d.Steps.Select(s => s.Relation.Label))
                .Concat(report.NarrowIntervals.SelectMany(n => n.Relations.Select(r => r.Label)))
                .Where(l => l.StartsWith("zone ", StringComparison.Ordinal)).Select(l => int.Parse(l[5..], CultureInfo.InvariantCulture)).Where(z => !hidden.Contains(z)).ToList();
            if (used.Count == 0)
                return hidden; // what remains is the hierarchy's own business, audited by the health build
            hidden.UnionWith(used);
        }
        return hidden;
    }

    private sealed record ZoneFigure(long HealthBatchId, long ZoneId, string Period, string Condition, string Statistic, double? Value, double? Low, double? High,
        string State, string Method);

    private static readonly CopyTable<ZoneFigure> ZoneFigures = new("features.custom_zone_indicator",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("zone_id", NpgsqlDbType.Bigint, r => r.ZoneId),
        new("period", NpgsqlDbType.Text, r => r.Period), new("condition_code", NpgsqlDbType.Text, r => r.Condition), new("statistic", NpgsqlDbType.Text, r => r.Statistic),
        new("value", NpgsqlDbType.Double, r => r.Value), new("ci_low", NpgsqlDbType.Double, r => r.Low), new("ci_high", NpgsqlDbType.Double, r => r.High),
        new("state", NpgsqlDbType.Text, r => r.State), new("method", NpgsqlDbType.Text, r => r.Method));

    private sealed record Cell(long TerritoryId, long? Parent, string Period, string Condition, long Cases, bool Suppressed, double Population, double Expected);

    /// <summary>The batch's cases per territory of every level as computed (value, and whether it is published), with population and expected cases.</summary>
    private async Task<List<Cell>> PublishedCellsAsync(long healthBatchId, CancellationToken cancellationToken)
    {
        // The roll-up needs the true sums of suppressed communes too: they come from the facts, never leave this method unsuppressed.
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/published_cells.sql"));
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var cells = new List<Cell>();
        while (await reader.ReadAsync(cancellationToken))
            cells.Add(new Cell(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetBoolean(5), reader.GetDouble(6), reader.GetDouble(7)));
        return cells;
    }

    private sealed record AcceptedZone(long Id, IReadOnlyList<long> Communes);

    private async Task<List<AcceptedZone>> AcceptedZonesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, communes FROM geo.custom_zone WHERE state = 'accepted' ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var zones = new List<AcceptedZone>();
        while (await reader.ReadAsync(cancellationToken))
            zones.Add(new AcceptedZone(reader.GetInt64(0), reader.GetFieldValue<long[]>(1)));
        return zones;
    }
}
