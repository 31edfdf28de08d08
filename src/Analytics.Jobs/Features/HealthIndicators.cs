using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Database;
using Analytics.Jobs.Ingest;
using Analytics.Models.Epidemiology;
using Analytics.Models.Secrecy;
using Analytics.Models.Spatial;
using Npgsql;
using NpgsqlTypes;

namespace Analytics.Jobs.Features;

/// <summary>
/// Turns one batch of health counts into published figures for every territory of the hierarchy
/// (commune → EPCI → département → région) and for the whole of it (<c>features.whole_indicator</c>): cases, population, crude rate, directly standardised
/// rate, expected cases and SIR with exact intervals, and the Poisson–gamma smoothed relative risk
/// with P(RR &gt; 1). Writes <c>features.health_indicator</c>; for the communes, also the global
/// spatial autocorrelation of the rates (EB Moran's I, <c>features.spatial_pattern</c>) and each
/// commune's LISA and Getis-Ord Gi* category on the smoothed RR (<c>features.territory_cluster</c>), queen contiguity.
/// </summary>
/// <remarks>
/// Statistical secrecy is applied to all levels at once, per period and condition: one count
/// table whose territory dimension is the whole hierarchy, primary and secondary suppression, and
/// the disclosure auditor's check (see <see cref="CountTable.Suppress"/>). Every statistic derived from
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
        var expectedCases = new ExpectedCases(dataSource, clock);
        var territories = Dimension.Tree("territory", tree.Links.Select(l => (Key(l.Child), Key(l.Parent))));
        var communes = await new Neighbours(dataSource).ReadAsync(Levels.Commune, tree.CommuneVintage, NeighbourRule.Queen, cancellationToken: cancellationToken);
        var output = new Output(healthBatchId, clock.GetUtcNow(), communes, SpatialWeights.FromNeighbours(communes.Neighbours, WeightStyle.RowStandardised));
        // One transaction for the whole batch, read and written table by table: memory holds one period × condition's
        // strata and figures, not the 8.8 million strata and 7.3 million figures of the national world.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ClearAsync(connection, transaction, healthBatchId, cancellationToken);
        (string Condition, ILookup<string, ExpectedCount> ByPeriod)? expected = null;
        await foreach (var table in HealthStratum.ReadTablesAsync(dataSource, healthBatchId, cancellationToken))
        {
            var key = (table.Period, table.Condition);
            // The tables come condition by condition: a condition's expected counts are read once for all its periods.
            if (expected?.Condition != table.Condition)
                expected = (table.Condition, (await expectedCases.ReadAsync(healthBatchId, ExpectedScope.Period, table.Condition, cancellationToken)).ToLookup(e => e.Period));
            output.Tables++;
            var published = Suppress(table.Strata, territories, secrecy);
            if (!published.Outcome.IsProtected)
                output.UnprotectedTables++;
            var sums = TerritorySums.Of(table.Strata, expected.Value.ByPeriod[table.Period], tree);
            foreach (var level in sums.Territories.GroupBy(tree.LevelOf))
            {
                var nodes = level.ToList();
                var observed = nodes.Select(n => sums.Cases[n].Sum()).ToList();
                var expectedCounts = nodes.Select(n => sums.Expected[n]).ToList();
                // The whole is one territory: nothing to smooth it towards.
                var model = level.Key == Levels.Whole ? null : PoissonGammaModel.Fit(observed, expectedCounts);
                if (level.Key == Levels.Commune)
                    AddSpatialPatterns(output, key, nodes, observed, expectedCounts, sums, model!, published);
                for (var i = 0; i < nodes.Count; i++)
                    AddFigures(output, key, level.Key, nodes[i], observed[i], sums, model, published);
            }
            // A commune of the zoning with no count in the batch is missing, not zero.
            foreach (var commune in communes.TerritoryIds.Where(c => !sums.Cases.ContainsKey(c)))
                output.Figures.Add(new HealthFigure(healthBatchId, commune, Levels.Commune, table.Period, table.Condition, HealthStatistics.Cases.Id, null, null, null,
                    "missing", "no count for this commune in the batch", output.ComputedAt));
            await output.FlushAsync(connection, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new Summary(healthBatchId, output.Tables, output.Rows, output.SuppressedCounts, output.UnprotectedTables, output.SignificantMorans);
    }

    /// <summary>One count table per period and condition, whose territory dimension is the whole hierarchy: primary and secondary suppression, checked by the disclosure auditor.</summary>
    private static SuppressedTable Suppress(IEnumerable<HealthStratum> table, Dimension territories, SecrecyRule secrecy)
    {
        var byCommune = table.GroupBy(s => s.TerritoryId).ToDictionary(g => Key(g.Key), g => g.ToList());
        var counts = CountTable.FromLeaves([territories],
            leaf => byCommune.TryGetValue(leaf[0], out var s) ? s.Sum(x => x.Cases) : 0,
            leaf => byCommune.TryGetValue(leaf[0], out var s) ? s.Sum(x => x.Population) : 0);
        return counts.Suppress(secrecy);
    }

    /// <summary>
    /// Spatial patterns on the communes with a count (a missing commune is left out of the neighbour
    /// graph, not counted as zero): EB Moran's I on the rates, LISA and Gi* on the smoothed RR.
    /// </summary>
    private static void AddSpatialPatterns(Output output, (string Period, string Condition) table, List<long> nodes, List<long> observed, List<double> expected,
        TerritorySums sums, PoissonGammaModel model, SuppressedTable published)
    {
        var communes = output.Communes;
        var position = nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        var present = Enumerable.Range(0, communes.TerritoryIds.Count).Where(c => position.ContainsKey(communes.TerritoryIds[c])).ToList();
        var territoryAt = present.Select(c => communes.TerritoryIds[c]).ToList();
        var weights = present.Count == communes.TerritoryIds.Count ? output.CommuneWeights : communes.WeightsAmong(territoryAt, WeightStyle.RowStandardised);
        // Too few linked communes (a partial batch) give no spatial statistic.
        if (Enumerable.Range(0, weights.Count).Count(i => weights.Neighbours(i).Length > 0) < 3)
            return;
        var cases = territoryAt.Select(t => observed[position[t]]).ToArray();
        var population = territoryAt.Select(t => sums.Population[t].Sum()).ToArray();
        var smoothed = territoryAt.Select(t => expected[position[t]] > 0 ? model.Posterior(observed[position[t]], expected[position[t]]).Mean : model.PriorMean).ToArray();
        var moran = MoranI.EmpiricalBayes(cases, population, weights, Permutations, seed: 42);
        var p = moran.Permutation?.PseudoPValue ?? moran.PValueRandomisation;
        if (p < 0.05)
            output.SignificantMorans++;
        output.Patterns.Add(new SpatialPattern(output.HealthBatchId, Levels.Commune, table.Period, table.Condition, "eb_moran_i", moran.I, p,
            JsonSerializer.Serialize(new
            {
                neighbours = "queen", weights = "row-standardised", permutations = Permutations,
                islands = present.Where((_, i) => weights.Neighbours(i).Length == 0).Select(c => communes.Codes[c]).ToArray(),
                missing = communes.TerritoryIds.Count - present.Count, expected = moran.Expected, z = moran.ZRandomisation,
            }),
            output.ComputedAt));
        var lisa = LocalMoran.Compute(smoothed, weights, new LocalMoranOptions(Permutations, Seed: 42));
        var giStar = GetisOrd.GiStar(smoothed, weights).Z;
        foreach (var area in lisa.Areas)
        {
            var territory = territoryAt[area.Index];
            var hidden = published.Status(Key(territory)).IsSuppressed();
            output.Clusters.Add(new TerritoryCluster(output.HealthBatchId, territory, table.Period, table.Condition, "lisa",
                hidden ? null : area.Category.ToString(), hidden || double.IsNaN(area.AdjustedPValue) ? null : area.AdjustedPValue, hidden ? "suppressed" : "value"));
            var (category, giP) = GetisOrd.Classify(giStar[area.Index]);
            output.Clusters.Add(new TerritoryCluster(output.HealthBatchId, territory, table.Period, table.Condition, "gi_star",
                hidden ? null : category.ToString(), hidden || double.IsNaN(giP) ? null : giP, hidden ? "suppressed" : "value"));
        }
    }

    /// <summary>A territory's figures: cases, population, crude and standardised rates, expected cases, SIR, smoothed RR and P(RR &gt; 1) — all withheld with its count.</summary>
    private static void AddFigures(Output output, (string Period, string Condition) table, string level, long node, long cases, TerritorySums sums,
        PoissonGammaModel? model, SuppressedTable published)
    {
        var isSuppressed = published.Status(Key(node)).IsSuppressed();
        if (isSuppressed)
            output.SuppressedCounts++;
        var population = sums.Population[node].Sum();
        var expected = sums.Expected[node];
        var reliable = RateReliability.AssessCrude(cases) == Reliability.Reliable;
        void Add(string statistic, double value, ConfidenceInterval? interval, bool canBeUnreliable, string method) =>
            output.Figures.Add(new HealthFigure(output.HealthBatchId, node, level, table.Period, table.Condition, statistic,
                isSuppressed ? null : value, isSuppressed ? null : interval?.Lower, isSuppressed ? null : interval?.Upper,
                isSuppressed ? "suppressed" : canBeUnreliable && !reliable ? "unreliable" : "value", method, output.ComputedAt));
        Add(HealthStatistics.Cases.Id, cases, PoissonInterval.Exact(cases), false, "sum of the batch's counts over the territory's communes; exact Poisson interval");
        Add(HealthStatistics.Population.Id, population, null, false, "sum of the batch's populations over the territory's communes");
        if (population > 0)
        {
            var crude = CrudeRate.Compute(cases, population);
            Add(HealthStatistics.CrudeRate.Id, crude.Value, crude.Interval, true, "cases per 100,000 inhabitants; exact Poisson interval");
            if (sums.Population[node].Where((_, k) => sums.ReferencePopulation[k] > 0).Any(p => p <= 0))
                output.Figures.Add(new HealthFigure(output.HealthBatchId, node, level, table.Period, table.Condition, HealthStatistics.StandardisedRate.Id, null, null, null, "missing",
                    "not computable: the territory has no population in some sex × age band of the reference", output.ComputedAt));
            else
            {
                var dsr = DirectStandardisation.Compute(sums.Cases[node], sums.Population[node], sums.ReferencePopulation);
                Add(HealthStatistics.StandardisedRate.Id, dsr.Rate.Value, dsr.Rate.Interval, true, "direct standardisation on the batch's population by sex and age band; Dobson interval");
            }
        }
        if (expected > 0)
        {
            Add(HealthStatistics.Expected.Id, expected, null, false, "indirect standardisation: the batch's rates by sex and age band applied to the territory's population (features.expected_cases)");
            var sir = IndirectStandardisation.Ratio(cases, expected);
            Add(HealthStatistics.Sir.Id, sir.Value, sir.Interval, true, "observed / expected; exact Poisson interval");
            if (model is null)
                return;
            var posterior = model.Posterior(cases, expected);
            Add(HealthStatistics.SmoothedRr.Id, posterior.Mean, posterior.CredibleInterval(), false, $"Poisson–gamma empirical Bayes (Clayton & Kaldor) across the {level}s; 95% credible interval");
            Add(HealthStatistics.PRrAbove1.Id, posterior.ProbabilityAbove(1), null, false, "posterior probability that the relative risk exceeds 1");
        }
    }

    /// <summary>
    /// One table's counts and populations by sex × age band summed up the hierarchy, with the
    /// reference population (the whole batch in the period) and each territory's expected cases,
    /// the sum of its communes' from <c>features.expected_cases</c>.
    /// </summary>
    private sealed record TerritorySums(Dictionary<long, long[]> Cases, Dictionary<long, double[]> Population, double[] ReferencePopulation, Dictionary<long, double> Expected)
    {
        public IEnumerable<long> Territories => Cases.Keys;

        public static TerritorySums Of(IEnumerable<HealthStratum> table, IEnumerable<ExpectedCount> expected, Hierarchy tree)
        {
            var strata = table.ToList();
            var keys = strata.Select(s => (s.Sex, s.AgeBand)).Distinct().Order().ToList();
            var at = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
            var cases = new Dictionary<long, long[]>();
            var population = new Dictionary<long, double[]>();
            var reference = new double[keys.Count];
            foreach (var s in strata)
            {
                var k = at[(s.Sex, s.AgeBand)];
                reference[k] += s.Population;
                foreach (var node in tree.AncestorsOf(s.TerritoryId))
                {
                    if (!cases.TryGetValue(node, out var c))
                    {
                        cases[node] = c = new long[keys.Count];
                        population[node] = new double[keys.Count];
                    }
                    c[k] += s.Cases;
                    population[node][k] += s.Population;
                }
            }
            var expectedSums = new Dictionary<long, double>();
            foreach (var commune in expected.OrderBy(e => e.TerritoryId))
                foreach (var node in tree.AncestorsOf(commune.TerritoryId))
                    expectedSums[node] = expectedSums.GetValueOrDefault(node) + commune.Expected;
            return new TerritorySums(cases, population, reference, expectedSums);
        }
    }

    private sealed record HealthFigure(long HealthBatchId, long TerritoryId, string Level, string Period, string Condition, string Statistic,
        double? Value, double? Low, double? High, string State, string Method, DateTimeOffset ComputedAt);

    private sealed record SpatialPattern(long HealthBatchId, string Level, string Period, string Condition, string Statistic, double Value, double PValue,
        string Detail, DateTimeOffset ComputedAt);

    private sealed record TerritoryCluster(long HealthBatchId, long TerritoryId, string Period, string Condition, string Method, string? Category, double? PValue, string State);

    /// <summary>What one build accumulates before it writes.</summary>
    private sealed class Output(long healthBatchId, DateTimeOffset computedAt, Neighbours.Lists communes, SpatialWeights communeWeights)
    {
        public long HealthBatchId => healthBatchId;
        public DateTimeOffset ComputedAt => computedAt;
        public Neighbours.Lists Communes => communes;
        public SpatialWeights CommuneWeights => communeWeights;
        public List<HealthFigure> Figures { get; } = [];
        public List<SpatialPattern> Patterns { get; } = [];
        public List<TerritoryCluster> Clusters { get; } = [];
        public int Tables { get; set; }
        public int Rows { get; private set; }
        public int SuppressedCounts { get; set; }
        public int UnprotectedTables { get; set; }
        public int SignificantMorans { get; set; }

        /// <summary>Writes what one table added (its figures, the whole's among them, patterns and clusters) and forgets it.</summary>
        public async Task FlushAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await HealthIndicators.Figures.WriteAsync(connection, Figures.Where(f => f.TerritoryId != Hierarchy.Whole), cancellationToken);
            await WholeFigures.WriteAsync(connection, Figures.Where(f => f.TerritoryId == Hierarchy.Whole), cancellationToken);
            await HealthIndicators.Patterns.WriteAsync(connection, Patterns, cancellationToken);
            await HealthIndicators.Clusters.WriteAsync(connection, Clusters, cancellationToken);
            Rows += Figures.Count;
            Figures.Clear();
            Patterns.Clear();
            Clusters.Clear();
        }
    }

    private static readonly CopyTable<HealthFigure> Figures = new("features.health_indicator",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("territory_id", NpgsqlDbType.Bigint, r => r.TerritoryId),
        new("level", NpgsqlDbType.Text, r => r.Level), new("period", NpgsqlDbType.Text, r => r.Period), new("condition_code", NpgsqlDbType.Text, r => r.Condition),
        new("statistic", NpgsqlDbType.Text, r => r.Statistic), new("value", NpgsqlDbType.Double, r => r.Value), new("ci_low", NpgsqlDbType.Double, r => r.Low),
        new("ci_high", NpgsqlDbType.Double, r => r.High), new("state", NpgsqlDbType.Text, r => r.State), new("method", NpgsqlDbType.Text, r => r.Method),
        new("computed_at", NpgsqlDbType.TimestampTz, r => r.ComputedAt));

    private static readonly CopyTable<HealthFigure> WholeFigures = new("features.whole_indicator",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("period", NpgsqlDbType.Text, r => r.Period),
        new("condition_code", NpgsqlDbType.Text, r => r.Condition), new("statistic", NpgsqlDbType.Text, r => r.Statistic), new("value", NpgsqlDbType.Double, r => r.Value),
        new("ci_low", NpgsqlDbType.Double, r => r.Low), new("ci_high", NpgsqlDbType.Double, r => r.High), new("state", NpgsqlDbType.Text, r => r.State),
        new("method", NpgsqlDbType.Text, r => r.Method), new("computed_at", NpgsqlDbType.TimestampTz, r => r.ComputedAt));

    private static readonly CopyTable<SpatialPattern> Patterns = new("features.spatial_pattern",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("level", NpgsqlDbType.Text, r => r.Level), new("period", NpgsqlDbType.Text, r => r.Period),
        new("condition_code", NpgsqlDbType.Text, r => r.Condition), new("statistic", NpgsqlDbType.Text, r => r.Statistic), new("value", NpgsqlDbType.Double, r => r.Value),
        new("p_value", NpgsqlDbType.Double, r => r.PValue), new("detail", NpgsqlDbType.Jsonb, r => r.Detail), new("computed_at", NpgsqlDbType.TimestampTz, r => r.ComputedAt));

    private static readonly CopyTable<TerritoryCluster> Clusters = new("features.territory_cluster",
        new("health_batch_id", NpgsqlDbType.Bigint, r => r.HealthBatchId), new("territory_id", NpgsqlDbType.Bigint, r => r.TerritoryId),
        new("period", NpgsqlDbType.Text, r => r.Period), new("condition_code", NpgsqlDbType.Text, r => r.Condition), new("method", NpgsqlDbType.Text, r => r.Method),
        new("category", NpgsqlDbType.Text, r => r.Category), new("p_value", NpgsqlDbType.Double, r => r.PValue), new("state", NpgsqlDbType.Text, r => r.State));

    /// <summary>Clears everything an earlier build wrote for the batch, inside the transaction that writes it anew.</summary>
    private static async Task ClearAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long healthBatchId, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "features.health_indicator", "features.whole_indicator", "features.spatial_pattern", "features.territory_cluster" })
        {
            await using var clear = new NpgsqlCommand($"DELETE FROM {table} WHERE health_batch_id = $1", connection, transaction);
            clear.Parameters.Add(new() { Value = healthBatchId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string Key(long territory) => territory.ToString(CultureInfo.InvariantCulture);

    /// <summary>The territories above the batch's communes, as (child, parent) links, with each one's level.</summary>
    private async Task<Hierarchy> ReadHierarchyAsync(long healthBatchId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StageSql.Load("Features/Sql/health_hierarchy.sql"));
        command.Parameters.Add(new() { Value = healthBatchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parent = new Dictionary<long, long?>();
        var level = new Dictionary<long, string>();
        var communeVintage = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            parent[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            level[reader.GetInt64(0)] = reader.GetString(2);
            if (reader.GetString(2) == Levels.Commune)
                communeVintage = Math.Max(communeVintage, reader.GetInt32(3));
        }
        return new Hierarchy(parent, level, communeVintage);
    }

    /// <summary>The batch's territories up to their tops (the régions), and above the tops the whole, so that the whole is one more total of the count table.</summary>
    private sealed class Hierarchy(Dictionary<long, long?> parent, Dictionary<long, string> level, int communeVintage)
    {
        /// <summary>The node of the whole loaded world; no territory has this id.</summary>
        public const long Whole = -1;

        public int CommuneVintage => communeVintage;

        public IEnumerable<(long Child, long Parent)> Links => parent.Select(p => (p.Key, p.Value ?? Whole));

        public string LevelOf(long territory) => territory == Whole ? Levels.Whole : level[territory];

        public IEnumerable<long> AncestorsOf(long territory)
        {
            for (long? node = territory; node is not null; node = parent[node.Value])
                yield return node.Value;
            yield return Whole;
        }
    }
}
