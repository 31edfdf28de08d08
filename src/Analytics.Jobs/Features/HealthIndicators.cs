using Analytics.Models.Epidemiology;
using Analytics.Models.Secrecy;
using Analytics.Models.Spatial;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// Turns one batch of health counts into published figures for every territory of the hierarchy
/// (commune → EPCI → département → région): cases, population, crude rate, directly standardised
/// rate, expected cases and SIR with exact intervals, and the Poisson–gamma smoothed relative risk
/// with P(RR &gt; 1). Writes <c>features.health_indicator</c>; for the communes, also the global
/// spatial autocorrelation of the rates (EB Moran's I, <c>features.spatial_pattern</c>) and each
/// commune's LISA and Getis-Ord Gi* category on the smoothed RR (<c>features.territory_cluster</c>), queen contiguity.
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
    /// <summary>What a build produced, for the command line and the job's log.</summary>
    public sealed record Summary(long HealthBatchId, int Tables, int Rows, int SuppressedCounts, int UnprotectedTables, int SignificantMorans);

    /// <summary>Permutations for the Moran and LISA pseudo p-values (seeded, so a rebuild gives the same results).</summary>
    private const int Permutations = 499;

    public async Task<Summary> BuildAsync(long healthBatchId, SecrecyRule? rule = null, CancellationToken cancellationToken = default)
    {
        var secrecy = rule ?? SecrecyRule.Default;
        var tree = await ReadHierarchyAsync(healthBatchId, cancellationToken);
        var strata = await HealthStratum.ReadAsync(dataSource, healthBatchId, cancellationToken);
        var territories = Dimension.Tree("territory", tree.Links.Select(l => (l.Child.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Parent.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var now = clock.GetUtcNow();
        var communes = await new Neighbours(dataSource).ReadAsync("commune", tree.CommuneVintage, NeighbourRule.Queen, cancellationToken: cancellationToken);
        var communeWeights = SpatialWeights.FromNeighbours(communes.Neighbours, WeightStyle.RowStandardised);
                var rows = new List<object?[]>();
        var patterns = new List<object?[]>();
        var clusters = new List<object?[]>();
        int tables = 0, suppressed = 0, unprotected = 0, significant = 0;
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
                if (levelGroup.Key == "commune")
                {
                    // Spatial patterns on the communes with a count (a missing commune is left out of the
                    // neighbour graph, not counted as zero): EB Moran's I on the rates, LISA and Gi* on the smoothed RR.
                    var position = nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
                    var present = Enumerable.Range(0, communes.TerritoryIds.Count).Where(c => position.ContainsKey(communes.TerritoryIds[c])).ToList();
                    var territoryAt = present.Select(c => communes.TerritoryIds[c]).ToList();
                    var weights = present.Count == communes.TerritoryIds.Count ? communeWeights : communes.WeightsAmong(territoryAt, WeightStyle.RowStandardised);
                    var cases = territoryAt.Select(t => observed[position[t]]).ToArray();
                    var population = territoryAt.Select(t => nodePopulation[t].Sum()).ToArray();
                    var smoothed = territoryAt.Select(t => expected[position[t]] > 0 ? model.Posterior(observed[position[t]], expected[position[t]]).Mean : model.PriorMean).ToArray();
                    // Too few linked communes (a partial batch) give no spatial statistic.
                    if (Enumerable.Range(0, weights.Count).Count(i => weights.Neighbours(i).Length > 0) >= 3)
                    {
                        var moran = MoranI.EmpiricalBayes(cases, population, weights, Permutations, seed: 42);
                        var p = moran.Permutation?.PseudoPValue ?? moran.PValueRandomisation;
                        if (p < 0.05)
                            significant++;
                        patterns.Add([healthBatchId, "commune", table.Key.Period, table.Key.Condition, "eb_moran_i", moran.I, p,
                            System.Text.Json.JsonSerializer.Serialize(new { neighbours = "queen", weights = "row-standardised", permutations = Permutations, islands = present.Where((_, i) => weights.Neighbours(i).Length == 0).Select(c => communes.Codes[c]).ToArray(), missing = communes.TerritoryIds.Count - present.Count, expected = moran.Expected, z = moran.ZRandomisation }),
                            now]);
                        var lisa = LocalMoran.Compute(smoothed, weights, new LocalMoranOptions(Permutations, Seed: 42));
                        var giStar = GetisOrd.GiStar(smoothed, weights);
                        foreach (var area in lisa.Areas)
                        {
                            var territory = territoryAt[area.Index];
                            var hidden = published.Status(counts.CellAt(territory.ToString(System.Globalization.CultureInfo.InvariantCulture))).IsSuppressed();
                            clusters.Add([healthBatchId, territory, table.Key.Period, table.Key.Condition, "lisa",
                                hidden ? null : area.Category.ToString(), hidden || double.IsNaN(area.AdjustedPValue) ? null : area.AdjustedPValue, hidden ? "suppressed" : "value"]);
                            var (category, giP) = GetisOrd.Classify(giStar[area.Index]);
                            clusters.Add([healthBatchId, territory, table.Key.Period, table.Key.Condition, "gi_star",
                                hidden ? null : category.ToString(), hidden || double.IsNaN(giP) ? null : giP, hidden ? "suppressed" : "value"]);
                        }
                    }
                }
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
                        if (nodePopulation[node].Where((_, k) => referencePopulation[k] > 0).Any(p => p <= 0))
                            rows.Add([healthBatchId, node, levelGroup.Key, table.Key.Period, table.Key.Condition, "standardised_rate", null, null, null, "missing",
                                "not computable: the territory has no population in some sex × age band of the reference", now]);
                        else
                        {
                            var dsr = DirectStandardisation.Compute(nodeCases[node], nodePopulation[node], referencePopulation);
                            Add("standardised_rate", dsr.Rate.Value, dsr.Rate.Interval, true, "direct standardisation on the batch's population by sex and age band; Dobson interval");
                        }
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
            // A commune of the zoning with no count in the batch is missing, not zero.
            foreach (var commune in communes.TerritoryIds.Where(c => !nodeCases.ContainsKey(c)))
                rows.Add([healthBatchId, commune, "commune", table.Key.Period, table.Key.Condition, "cases", null, null, null, "missing", "no count for this commune in the batch", now]);
        }
        await WriteAsync(healthBatchId, rows, patterns, clusters, cancellationToken);
        return new Summary(healthBatchId, tables, rows.Count, suppressed, unprotected, significant);
    }

    /// <summary>Replaces everything an earlier build wrote for the batch, in one transaction.</summary>
    private async Task WriteAsync(long healthBatchId, List<object?[]> rows, List<object?[]> patterns, List<object?[]> clusters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in new[] { "features.health_indicator", "features.spatial_pattern", "features.territory_cluster" })
        {
            await using var clear = new NpgsqlCommand($"DELETE FROM {table} WHERE health_batch_id = $1", connection, transaction);
            clear.Parameters.Add(new() { Value = healthBatchId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await BinaryCopy.WriteAsync(connection, "features.health_indicator (health_batch_id, territory_id, level, period, condition_code, statistic, value, ci_low, ci_high, state, method, computed_at)", rows,
            [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
             NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz], cancellationToken);
        await BinaryCopy.WriteAsync(connection, "features.spatial_pattern (health_batch_id, level, period, condition_code, statistic, value, p_value, detail, computed_at)", patterns,
            [NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Jsonb, NpgsqlDbType.TimestampTz], cancellationToken);
        await BinaryCopy.WriteAsync(connection, "features.territory_cluster (health_batch_id, territory_id, period, condition_code, method, category, p_value, state)", clusters,
            [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Double, NpgsqlDbType.Text], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
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
            SELECT up.id, up.parent_id, up.level, t.vintage FROM up JOIN geo.territory t ON t.id = up.id
            """);
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parent = new Dictionary<long, long?>();
        var level = new Dictionary<long, string>();
        var communeVintage = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            parent[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            level[reader.GetInt64(0)] = reader.GetString(2);
            if (reader.GetString(2) == "commune")
                communeVintage = Math.Max(communeVintage, reader.GetInt32(3));
        }
        return new Hierarchy(parent, level, communeVintage);
    }

    private sealed class Hierarchy(Dictionary<long, long?> parent, Dictionary<long, string> level, int communeVintage)
    {
        public int CommuneVintage => communeVintage;

        public IEnumerable<(long Child, long Parent)> Links => parent.Where(p => p.Value is not null).Select(p => (p.Key, p.Value!.Value));

        public string LevelOf(long territory) => level[territory];

        public IEnumerable<long> AncestorsOf(long territory)
        {
            for (long? node = territory; node is not null; node = parent[node.Value])
                yield return node.Value;
        }
    }
}
