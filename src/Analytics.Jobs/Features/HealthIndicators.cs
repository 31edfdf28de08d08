using Analytics.Models.Epidemiology;
using Analytics.Models.Secrecy;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// Turns one batch of health counts into published figures for every territory of the hierarchy
/// (commune → EPCI → département → région): cases, population, crude rate, directly standardised
/// rate, expected cases and SIR with exact intervals, and the Poisson–gamma smoothed relative risk
/// with P(RR &gt; 1). Writes <c>features.health_indicator</c>.
/// </summary>
/// <remarks>
/// Statistical secrecy is applied to all levels at once, per period and condition: one count
/// table whose territory dimension is the whole hierarchy, primary and secondary suppression, and
/// the attack auditor's check (see <see cref="CountTable.Suppress"/>). Every statistic derived from
/// a suppressed count is suppressed too — a smoothed RR or an SIR with its published expected count
/// would give the count back. Rates on fewer than 20 cases are published but marked unreliable.
/// The reference for standardisation is the whole batch's population by sex and age band.
/// </remarks>
public sealed class HealthIndicators(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private sealed record Stratum(long TerritoryId, string Period, string Condition, string Sex, string AgeBand, long Cases, long Population);

    /// <summary>What a build produced, for the command line and the job's log.</summary>
    public sealed record Summary(long HealthBatchId, int Tables, int Rows, int SuppressedCounts, int UnprotectedTables);

    public async Task<Summary> BuildAsync(long healthBatchId, SecrecyRule? rule = null, CancellationToken cancellationToken = default)
    {
        var secrecy = rule ?? SecrecyRule.Default;
        var tree = await ReadHierarchyAsync(healthBatchId, cancellationToken);
        var strata = await ReadStrataAsync(healthBatchId, cancellationToken);
        var territories = Dimension.Tree("territory", tree.Links.Select(l => (l.Child.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Parent.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var now = clock.GetUtcNow();
        var rows = new List<object?[]>();
        int tables = 0, suppressed = 0, unprotected = 0;
        foreach (var table in strata.GroupBy(s => (s.Period, s.Condition)))
        {
            tables++;
            var byCommune = table.GroupBy(s => s.TerritoryId).ToDictionary(g => g.Key, g => g.ToList());
            var counts = CountTable.FromLeaves([territories],
                leaf => byCommune.TryGetValue(long.Parse(leaf[0], System.Globalization.CultureInfo.InvariantCulture), out var s) ? s.Sum(x => x.Cases) : 0,
                leaf => byCommune.TryGetValue(long.Parse(leaf[0], System.Globalization.CultureInfo.InvariantCulture), out var s) ? s.Sum(x => x.Population) : 0);
            var published = counts.Suppress(secrecy);
            if (!published.Outcome.IsProtected)
                unprotected++;

            // Strata of every territory of the hierarchy, summed from its communes.
            var strataKeys = table.Select(s => (s.Sex, s.AgeBand)).Distinct().OrderBy(k => k).ToList();
            var stratumIndex = strataKeys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
            var nodeCases = new Dictionary<long, long[]>();
            var nodePopulation = new Dictionary<long, double[]>();
            foreach (var s in table)
            {
                foreach (var node in tree.AncestorsOf(s.TerritoryId))
                {
                    if (!nodeCases.TryGetValue(node, out var c))
                    {
                        nodeCases[node] = c = new long[strataKeys.Count];
                        nodePopulation[node] = new double[strataKeys.Count];
                    }
                    c[stratumIndex[(s.Sex, s.AgeBand)]] += s.Cases;
                    nodePopulation[node][stratumIndex[(s.Sex, s.AgeBand)]] += s.Population;
                }
            }
            var referenceCases = new long[strataKeys.Count];
            var referencePopulation = new double[strataKeys.Count];
            foreach (var s in table)
            {
                referenceCases[stratumIndex[(s.Sex, s.AgeBand)]] += s.Cases;
                referencePopulation[stratumIndex[(s.Sex, s.AgeBand)]] += s.Population;
            }
            var referenceRates = IndirectStandardisation.ReferenceRates(referenceCases, referencePopulation);

            foreach (var levelGroup in nodeCases.Keys.GroupBy(tree.LevelOf))
            {
                var nodes = levelGroup.ToList();
                var observed = nodes.Select(n => nodeCases[n].Sum()).ToList();
                var expected = nodes.Select(n => IndirectStandardisation.ExpectedCases(nodePopulation[n], referenceRates)).ToList();
                var model = PoissonGammaModel.Fit(observed, expected);
                for (var i = 0; i < nodes.Count; i++)
                {
                    var node = nodes[i];
                    var cell = counts.CellAt(node.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var isSuppressed = published.Status(cell).IsSuppressed();
                    if (isSuppressed)
                        suppressed++;
                    var cases = observed[i];
                    var population = nodePopulation[node].Sum();
                    var reliable = RateReliability.AssessCrude(cases) == Reliability.Reliable;
                    void Add(string statistic, double value, ConfidenceInterval? interval, bool canBeUnreliable, string method) =>
                        rows.Add([healthBatchId, node, levelGroup.Key, table.Key.Period, table.Key.Condition, statistic,
                            isSuppressed ? null : value, isSuppressed ? null : interval?.Lower, isSuppressed ? null : interval?.Upper,
                            isSuppressed ? "suppressed" : canBeUnreliable && !reliable ? "unreliable" : "value", method, now]);
                    Add("cases", cases, PoissonInterval.Exact(cases), false, "sum of the batch's counts over the territory's communes; exact Poisson interval");
                    Add("population", population, null, false, "sum of the batch's populations over the territory's communes");
                    if (population > 0)
                    {
                        var crude = CrudeRate.Compute(cases, population);
                        Add("crude_rate", crude.Value, crude.Interval, true, "cases per 100,000 inhabitants; exact Poisson interval");
                        var dsr = DirectStandardisation.Compute(nodeCases[node], nodePopulation[node], referencePopulation);
                        Add("standardised_rate", dsr.Rate.Value, dsr.Rate.Interval, true, "direct standardisation on the batch's population by sex and age band; Dobson interval");
                    }
                    if (expected[i] > 0)
                    {
                        Add("expected", expected[i], null, false, "indirect standardisation: the batch's rates by sex and age band applied to the territory's population");
                        var sir = IndirectStandardisation.Ratio(cases, expected[i]);
                        Add("sir", sir.Value, sir.Interval, true, "observed / expected; exact Poisson interval");
                        var posterior = model.Posterior(cases, expected[i]);
                        Add("smoothed_rr", posterior.Mean, posterior.CredibleInterval(), false, $"Poisson–gamma empirical Bayes (Clayton & Kaldor) across the {levelGroup.Key}s; 95% credible interval");
                        Add("p_rr_above_1", posterior.ProbabilityAbove(1), null, false, "posterior probability that the relative risk exceeds 1");
                    }
                }
            }
        }
        await WriteAsync(healthBatchId, rows, cancellationToken);
        return new Summary(healthBatchId, tables, rows.Count, suppressed, unprotected);
    }

    private async Task WriteAsync(long healthBatchId, List<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM features.health_indicator WHERE health_batch_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = healthBatchId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY features.health_indicator (health_batch_id, territory_id, level, period, condition_code, statistic, value, ci_low, ci_high, state, method, computed_at)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            NpgsqlDbType[] types = [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
                NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz];
            foreach (var row in rows)
            {
                writer.StartRow();
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null)
                        writer.WriteNull();
                    else
                        writer.Write(row[i]!, types[i]);
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<List<Stratum>> ReadStrataAsync(long healthBatchId, CancellationToken cancellationToken)
    {
        // Leaf strata only (M/F × age bands): totals are computed here, so a file's own totals are not counted twice.
        await using var command = dataSource.CreateCommand("""
            SELECT territory_id, period, condition_code, sex, age_band, cases, population
            FROM facts.health_count
            WHERE batch_id = $1 AND sex <> 'T' AND age_band <> 'all' AND NOT suppressed_at_source AND population IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var strata = new List<Stratum>();
        while (await reader.ReadAsync(cancellationToken))
            strata.Add(new Stratum(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6)));
        if (strata.Count == 0)
            throw new InvalidOperationException($"health batch {healthBatchId} has no counts by sex and age band with their population");
        return strata;
    }

    /// <summary>The territories above the batch's communes, as (child, parent) links, with each one's level.</summary>
    private async Task<Hierarchy> ReadHierarchyAsync(long healthBatchId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH RECURSIVE up AS (
                SELECT DISTINCT t.id, t.parent_id, t.level FROM facts.health_count h JOIN geo.territory t ON t.id = h.territory_id WHERE h.batch_id = $1
                UNION
                SELECT p.id, p.parent_id, p.level FROM up JOIN geo.territory p ON p.id = up.parent_id
            )
            SELECT id, parent_id, level FROM up
            """);
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parent = new Dictionary<long, long?>();
        var level = new Dictionary<long, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            parent[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            level[reader.GetInt64(0)] = reader.GetString(2);
        }
        return new Hierarchy(parent, level);
    }

    private sealed class Hierarchy(Dictionary<long, long?> parent, Dictionary<long, string> level)
    {
        public IEnumerable<(long Child, long Parent)> Links => parent.Where(p => p.Value is not null).Select(p => (p.Key, p.Value!.Value));

        public string LevelOf(long territory) => level[territory];

        public IEnumerable<long> AncestorsOf(long territory)
        {
            for (long? node = territory; node is not null; node = parent[node.Value])
                yield return node.Value;
        }
    }
}
