using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Secrecy;
using Analytics.Testing;
using Analytics.Testing.Secrecy;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Analytics.Jobs.Tests.Features;

/// <summary>The demo world's health batch published for every level of its hierarchy.</summary>
public class HealthIndicatorsTests(HealthIndicatorsTests.DemoHealth world, ITestOutputHelper output) : IClassFixture<HealthIndicatorsTests.DemoHealth>
{
    public sealed class DemoHealth : IAsyncLifetime
    {
        public PostgisDatabase Database { get; } = new();
        public long HealthBatch { get; private set; }
        public HealthIndicators.Summary Summary { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            var ingest = new IngestService(Database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
            foreach (var entry in LoadManifest.Read(RepositoryFiles.PathOf("data/demo/load.json")).Loads.Where(l => l.Kind is IngestKind.Catalog or IngestKind.Territories or IngestKind.Health))
            {
                var result = await ingest.LoadAsync(new IngestRequest(entry.Kind, entry.File, Path.GetFileName(entry.File), "test", entry.Options ?? IngestOptions.Default));
                if (entry.Kind == IngestKind.Health)
                    HealthBatch = result.BatchId!.Value;
            }
            await new ExpectedCases(Database.DataSource, TimeProvider.System).BuildAsync(HealthBatch);
            Summary = await new HealthIndicators(Database.DataSource, TimeProvider.System).BuildAsync(HealthBatch);
            SignificantScanClusters = await new ScanClusters(Database.DataSource, TimeProvider.System).BuildAsync(HealthBatch);
        }

        public int SignificantScanClusters { get; private set; }

        public Task DisposeAsync() => Database.DisposeAsync();
    }

    private sealed record Figure(long Territory, long? Parent, string Period, string Condition, string Statistic, double? Value, string State);

    private async Task<List<Figure>> FiguresAsync(string statistic)
    {
        await using var command = world.Database.DataSource.CreateCommand("""
            SELECT h.territory_id, t.parent_id, h.period, h.condition_code, h.statistic, h.value, h.state
            FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id WHERE h.statistic = $1 AND h.health_batch_id = $2
            """);
        command.Parameters.Add(new() { Value = statistic });
        command.Parameters.Add(new() { Value = world.HealthBatch });
        await using var reader = await command.ExecuteReaderAsync();
        var figures = new List<Figure>();
        while (await reader.ReadAsync())
            figures.Add(new Figure(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.GetString(6)));
        return figures;
    }

    [Fact]
    public async Task every_level_is_published_for_every_period_and_condition()
    {
        Assert.Equal(25, world.Summary.Tables); // 5 years × 5 conditions
        var cases = await FiguresAsync("cases");
        Assert.Equal(25 * (1233 + 63 + 5 + 2), cases.Count);
        Assert.Equal(0, world.Summary.UnprotectedTables);
    }

    [Fact]
    public async Task no_published_count_lies_between_1_and_10()
    {
        var cases = await FiguresAsync("cases");
        Assert.DoesNotContain(cases, c => c.Value is >= 1 and <= 10);
        Assert.Contains(cases, c => c.State == "suppressed");
        Assert.Contains(cases, c => c.Value == 0); // zero is publishable
    }

    [Fact]
    public async Task every_figure_derived_from_a_suppressed_count_is_suppressed_too()
    {
        var suppressed = (await FiguresAsync("cases")).Where(c => c.State == "suppressed").Select(c => (c.Territory, c.Period, c.Condition)).ToHashSet();
        foreach (var statistic in new[] { "crude_rate", "standardised_rate", "sir", "smoothed_rr", "p_rr_above_1", "expected", "population" })
        {
            var leaking = (await FiguresAsync(statistic)).Where(f => suppressed.Contains((f.Territory, f.Period, f.Condition)) && f.State != "suppressed").ToList();
            Assert.True(leaking.Count == 0, $"{statistic} published for {leaking.Count} suppressed counts");
        }
    }

    [Fact]
    public async Task the_published_tables_pass_the_attack_auditor()
    {
        foreach (var table in await PublishedTablesAsync())
        {
            var report = DisclosureAuditor.Audit(table.Published, table.Relations, SecrecyRule.Default);
            Assert.True(report.IsClean, $"{table.Period} {table.Condition}: {report}");
        }
    }

    /// <summary>
    /// The independent check of the test above: every table the demo world publishes, given to the
    /// linear-programming oracle (<see cref="SecrecyOracle"/>) with every commune's population as a
    /// public bound. The hierarchy is solved per connected component of withheld cells.
    /// </summary>
    [Fact]
    public async Task no_suppressed_count_of_1_to_10_is_pinned_within_its_protection_interval_by_linear_programming_and_the_auditor_agrees()
    {
        var tables = await PublishedTablesAsync();
        Assert.Equal(25, tables.Count);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int withheld = 0, narrower = 0;
        foreach (var table in tables)
        {
            var report = SecrecyOracle.Check(table.Published, table.Relations, table.Truth, SecrecyRule.Default);
            withheld += report.Withheld;
            narrower += report.NarrowerThanAuditor.Count;
            var key = $"{table.Period} {table.Condition}";
            Assert.True(report.TruthOutside.Count == 0, $"{key}: {report}");
            Assert.True(report.Breaches.Count == 0, $"{key}: {report}");
            Assert.True(report.AuditorTooNarrow.Count == 0, $"{key}: {report}");
            if (report.NarrowerThanAuditor.Count > 0)
                output.WriteLine($"{key}: {report}");
        }
        output.WriteLine($"{withheld} intervals of withheld counts in 25 tables by linear programming in {watch.Elapsed.TotalSeconds:F1} s; narrower than the auditor's: {narrower}");
        Assert.True(withheld > 10_000, $"only {withheld} withheld counts: the tables were not read whole");

        // The check can fail: publishing the other withheld cell of an equation that holds a small count pins that count.
        var rule = SecrecyRule.Default;
        var (leaky, pair) = tables.SelectMany(t => t.Relations.Select(r => (t, Withheld: r.Terms.Select(term => term.Cell).Where(c => !t.Published[c].Cases.HasValue).ToList())))
            .First(x => x.Withheld.Count == 2 && rule.PrimaryStatus(x.t.Truth[x.Withheld[0]], x.t.Published[x.Withheld[0]].Population).IsSensitive());
        var opened = leaky.Published.ToList();
        opened[pair[1]] = opened[pair[1]] with { Cases = Published.Of(leaky.Truth[pair[1]]) };
        Assert.Contains(SecrecyOracle.Check(opened, leaky.Relations, leaky.Truth, rule).Breaches, b => b.StartsWith(opened[pair[0]].Label + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task expected_cases_add_up_to_observed_cases_at_the_top_of_the_hierarchy()
    {
        // Indirect standardisation on the batch's own rates: Σ E = Σ O over all territories of a level.
        // Checked on the tables whose top level is wholly published (a small overseas région may be suppressed).
        var cases = (await FiguresAsync("cases")).Where(c => c.Parent is null).ToList();
        var expected = (await FiguresAsync("expected")).Where(c => c.Parent is null).ToDictionary(e => (e.Territory, e.Period, e.Condition), e => e.Value);
        var checkedTables = 0;
        foreach (var table in cases.GroupBy(c => (c.Period, c.Condition)).Where(t => t.All(c => c.State != "suppressed")))
        {
            Assert.Equal(table.Sum(c => c.Value!.Value), table.Sum(c => expected[(c.Territory, c.Period, c.Condition)]!.Value), 6);
            checkedTables++;
        }
        Assert.True(checkedTables >= 10, $"only {checkedTables} tables fully published at the top level");
    }

    [Fact]
    public async Task the_whole_adds_up_its_regions_and_its_sir_is_one_by_construction()
    {
        // The whole's count is the batch's (checked against the strata in PublishedTablesAsync); its expected cases
        // come from the batch's own rates, so its SIR is exactly 1 and its crude rate the batch's.
        var tables = await PublishedTablesAsync();
        Assert.All(tables, t => Assert.Equal(Whole, t.Territories[^1]));
        var cases = await WholeFiguresAsync("cases");
        var sir = await WholeFiguresAsync("sir");
        var population = await WholeFiguresAsync("population");
        var crude = await WholeFiguresAsync("crude_rate");
        Assert.Equal(25, cases.Count);
        foreach (var (key, figure) in cases.Where(c => c.Value.State == "value"))
        {
            Assert.Equal(1.0, sir[key].Value!.Value, 9);
            Assert.Equal(figure.Value!.Value / population[key].Value!.Value * 100_000, crude[key].Value!.Value, 6);
        }
        Assert.Contains(cases.Values, c => c.State == "value");
        Assert.Empty(await WholeFiguresAsync("smoothed_rr"));
    }

    [Fact]
    public async Task a_crude_rate_is_cases_per_100000_inhabitants()
    {
        var cases = (await FiguresAsync("cases")).Where(c => c.State == "value" && c.Value > 100).ToDictionary(c => (c.Territory, c.Period, c.Condition), c => c.Value!.Value);
        var population = (await FiguresAsync("population")).ToDictionary(c => (c.Territory, c.Period, c.Condition), c => c.Value);
        var rates = (await FiguresAsync("crude_rate")).Where(r => cases.ContainsKey((r.Territory, r.Period, r.Condition))).ToList();
        Assert.NotEmpty(rates);
        foreach (var rate in rates.Take(200))
            Assert.Equal(cases[(rate.Territory, rate.Period, rate.Condition)] / population[(rate.Territory, rate.Period, rate.Condition)]!.Value * 100_000, rate.Value!.Value, 6);
    }

    [Fact]
    public async Task commune_rates_show_the_spatial_structure_the_demo_world_was_built_with()
    {
        // The generator adds spatially structured noise and an autocorrelated deprivation index (TRUTH.md).
        Assert.Equal(25L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.spatial_pattern WHERE statistic = 'eb_moran_i'"));
        Assert.True(world.Summary.SignificantMorans >= 10, $"only {world.Summary.SignificantMorans} of 25 tables clustered");
        Assert.True(await world.Database.ScalarAsync<double>("SELECT max(value) FROM features.spatial_pattern") > 0.1);
    }

    [Fact]
    public async Task the_cluster_category_of_a_commune_whose_count_is_suppressed_is_withheld()
    {
        var leaking = await world.Database.ScalarAsync<long>("""
            SELECT count(*) FROM features.territory_cluster c
            JOIN features.health_indicator h ON (h.health_batch_id, h.territory_id, h.period, h.condition_code) = (c.health_batch_id, c.territory_id, c.period, c.condition_code)
            WHERE h.statistic = 'cases' AND h.state = 'suppressed' AND c.category IS NOT NULL
            """);
        Assert.Equal(0L, leaking);
        Assert.True(await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.territory_cluster WHERE category = 'HighHigh'") > 0);
    }

    [Fact]
    public async Task communes_get_getis_ord_hot_and_cold_spots_beside_their_lisa_category()
    {
        Assert.Equal(
            await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.territory_cluster WHERE method = 'lisa'"),
            await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.territory_cluster WHERE method = 'gi_star'"));
        Assert.True(await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.territory_cluster WHERE method = 'gi_star' AND category = 'HotSpot'") > 0);
        Assert.True(await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.territory_cluster WHERE method = 'gi_star' AND category = 'ColdSpot'") > 0);
        // A significant category carries its p-value below 5%.
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.territory_cluster WHERE method = 'gi_star' AND category IN ('HotSpot', 'ColdSpot') AND NOT p_value < 0.05"));
    }

    [Fact]
    public async Task the_spatial_scan_finds_clusters_and_publishes_only_counts_that_cannot_be_differenced()
    {
        Assert.True(world.SignificantScanClusters >= 1, "no significant scan cluster in a world built with a spatial effect");
        Assert.Equal(5L, await world.Database.ScalarAsync<long>("SELECT count(DISTINCT condition_code) FROM features.scan_cluster WHERE rank = 1"));
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.scan_cluster WHERE cases BETWEEN 1 AND 10"));
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.scan_cluster WHERE state = 'suppressed' AND (refusal IS NULL OR relative_risk IS NOT NULL OR expected IS NOT NULL)"));
        // Secondary clusters share no commune with a better one.
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("""
            SELECT count(*) FROM features.scan_cluster a JOIN features.scan_cluster b
              ON a.condition_code = b.condition_code AND a.rank < b.rank AND a.territory_ids && b.territory_ids
            """));

        // Differencing: a cluster's count (its communes over all years) is one more equation over the
        // yearly tables. Per condition, the five yearly tables and every cluster together: no
        // withheld count of 1–10 — a commune-year or a cluster — may be pinned within its protection interval.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var tables = await PublishedTablesAsync();
        var clusters = await ScanClustersAsync();
        var published = 0;
        foreach (var condition in tables.GroupBy(t => t.Condition))
        {
            var joint = Join(condition.ToList());
            foreach (var cluster in clusters.Where(c => c.Condition == condition.Key))
            {
                var members = cluster.Communes.ToHashSet();
                var parts = joint.Cells.Where(c => members.Contains(c.Territory)).Select(c => c.Index).ToList();
                Assert.Equal(5 * members.Count, parts.Count);
                var truth = parts.Sum(p => joint.Truth[p]);
                joint.Relations.Add(LinearRelation.Sum($"scan cluster {condition.Key} #{cluster.Rank} = its communes over the years", joint.Published.Count, parts));
                joint.Published.Add(new DisclosureCell($"scan cluster {condition.Key} #{cluster.Rank}", cluster.Cases is { } n ? Published.Of(n) : Published<long>.Suppressed));
                joint.Truth.Add(truth);
                if (cluster.Cases is { } shown)
                {
                    Assert.Equal(truth, shown);
                    published++;
                }
            }
            var breaches = SecrecyOracle.Breaches(joint.Published, joint.Relations, joint.Truth, SecrecyRule.Default);
            Assert.True(breaches.Count == 0, $"{condition.Key}: {breaches.Count} counts pinned{Environment.NewLine}{string.Join(Environment.NewLine, breaches.Take(20))}");

            // The check can fail: a cluster of one commune withheld in one year only would give that year away.
            var lone = joint.Cells.GroupBy(c => c.Territory).Select(g => g.Where(c => !joint.Published[c.Index].Cases.HasValue).ToList())
                .First(w => w.Count == 1 && SecrecyRule.Default.IsSmall(joint.Truth[w[0].Index]));
            var commune = joint.Cells.Where(c => c.Territory == lone[0].Territory).Select(c => c.Index).ToList();
            var pinned = FeasibilityIntervals.Compute(
                [.. joint.Published, new DisclosureCell("one-commune cluster", Published.Of(commune.Sum(c => joint.Truth[c])))],
                [.. joint.Relations, LinearRelation.Sum("one-commune cluster = the commune over the years", joint.Published.Count, commune)],
                [lone[0].Index])[lone[0].Index];
            Assert.Equal(new FeasibleInterval(joint.Truth[lone[0].Index], joint.Truth[lone[0].Index]), pinned);
        }
        output.WriteLine($"{clusters.Count} scan clusters, {published} with their count published, differenced against the yearly tables in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(published > 0, "no scan cluster count published: nothing to difference");
    }

    [Fact]
    public async Task a_published_scan_cluster_counts_the_recorded_cases_of_its_communes_over_all_periods()
    {
        var checkedClusters = await world.Database.ScalarAsync<long>("""
            SELECT count(*) FROM features.scan_cluster c
            WHERE c.state = 'value' AND c.cases = (
                SELECT sum(h.cases) FROM facts.health_count h
                WHERE h.batch_id = c.health_batch_id AND h.condition_code = c.condition_code AND h.territory_id = ANY (c.territory_ids) AND h.sex <> 'T' AND h.age_band <> 'all')
            """);
        var published = await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.scan_cluster WHERE state = 'value'");
        Assert.True(published > 0, "no scan cluster published");
        Assert.Equal(published, checkedClusters);
        // The relative risk is the ratio of inside to outside rates: above 1 for a cluster of high rates.
        Assert.Equal(0L, await world.Database.ScalarAsync<long>("SELECT count(*) FROM features.scan_cluster WHERE state = 'value' AND NOT (relative_risk > 1 AND cases > expected)"));
    }

    [Fact]
    public async Task a_commune_without_a_count_in_the_batch_is_missing_not_zero()
    {
        // A second, partial batch: two communes, one year, one condition.
        var file = Path.Combine(Path.GetTempPath(), $"partial-health-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, """
            territory_code;level;period;condition_code;sex;age_band;cases;population
            22001;commune;2019;J45-J46;M;0-14;3;109
            22002;commune;2019;J45-J46;F;15-44;12;400
            """);
        try
        {
            var ingest = new IngestService(world.Database.DataSource, TimeProvider.System, NullLogger<IngestService>.Instance);
            var batch = (await ingest.LoadAsync(new IngestRequest(IngestKind.Health, file, "partial.csv", "test", IngestOptions.Default))).BatchId!.Value;
            await new ExpectedCases(world.Database.DataSource, TimeProvider.System).BuildAsync(batch);
            await new HealthIndicators(world.Database.DataSource, TimeProvider.System).BuildAsync(batch);

            Assert.Equal(1231L, await world.Database.ScalarAsync<long>($"SELECT count(*) FROM features.health_indicator WHERE health_batch_id = {batch} AND level = 'commune' AND statistic = 'cases' AND state = 'missing'"));
            Assert.Equal(0L, await world.Database.ScalarAsync<long>($"""
                SELECT count(*) FROM features.health_indicator h JOIN geo.territory t ON t.id = h.territory_id
                WHERE h.health_batch_id = {batch} AND h.statistic = 'cases' AND h.state = 'missing' AND t.code IN ('22001', '22002')
                """));
            // Their standardised rates are missing too: each has people in only one sex × age band of the reference.
            Assert.Equal(2L, await world.Database.ScalarAsync<long>($"SELECT count(*) FROM features.health_indicator WHERE health_batch_id = {batch} AND level = 'commune' AND statistic = 'standardised_rate' AND state = 'missing'"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>One published table of counts (a period × condition): the cells as a reader has them, the true counts behind them, the hierarchy's equations.</summary>
    private sealed record CountsTable(string Period, string Condition, List<long> Territories, List<DisclosureCell> Published, List<long> Truth, List<LinearRelation> Relations);

    /// <summary>Every published table of counts of the batch, with the communes' true counts and populations summed up the hierarchy from the batch's strata.</summary>
    /// <summary>The whole's node in the tables below: above the régions, as the build counts it.</summary>
    private const long Whole = -1;

    private async Task<Dictionary<(string Period, string Condition), Figure>> WholeFiguresAsync(string statistic)
    {
        await using var command = world.Database.DataSource.CreateCommand(
            "SELECT period, condition_code, value, state FROM features.whole_indicator WHERE statistic = $1 AND health_batch_id = $2");
        command.Parameters.Add(new() { Value = statistic });
        command.Parameters.Add(new() { Value = world.HealthBatch });
        await using var reader = await command.ExecuteReaderAsync();
        var figures = new Dictionary<(string, string), Figure>();
        while (await reader.ReadAsync())
            figures[(reader.GetString(0), reader.GetString(1))] = new Figure(Whole, null, reader.GetString(0), reader.GetString(1), statistic,
                reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.GetString(3));
        return figures;
    }

    /// <summary>Each period × condition's published counts with the truth and the equations between them: every territory = Σ its children, the whole = Σ the régions.</summary>
    private async Task<List<CountsTable>> PublishedTablesAsync()
    {
        var cases = await FiguresAsync("cases");
        var whole = await WholeFiguresAsync("cases");
        var parent = cases.GroupBy(c => c.Territory).ToDictionary(g => g.Key, g => g.First().Parent ?? Whole);
        var truth = new Dictionary<(long, string, string), (long Cases, long Population)>();
        await foreach (var stratified in HealthStratum.ReadTablesAsync(world.Database.DataSource, world.HealthBatch, default))
            foreach (var s in stratified.Strata)
                for (long? t = s.TerritoryId; t is { } id; t = id == Whole ? null : parent[id])
                {
                    var (n, p) = truth.GetValueOrDefault((id, s.Period, s.Condition));
                    truth[(id, s.Period, s.Condition)] = (n + s.Cases, p + s.Population);
                }
        var tables = new List<CountsTable>();
        foreach (var table in cases.GroupBy(c => (c.Period, c.Condition)).OrderBy(g => g.Key))
        {
            var cells = table.Select(c => c with { Parent = parent[c.Territory] }).Append(whole[table.Key]).ToList();
            var index = cells.Select((c, i) => (c.Territory, i)).ToDictionary(p => p.Territory, p => p.i);
            var real = cells.Select(c => truth.GetValueOrDefault((c.Territory, c.Period, c.Condition))).ToList();
            var published = cells.Select((c, i) => new DisclosureCell($"{c.Period} {c.Condition} territory {c.Territory}",
                c.State == "suppressed" ? Published<long>.Suppressed : Published.Of((long)c.Value!.Value), real[i].Population)).ToList();
            // The reading is right: every published count is the true one.
            Assert.All(cells.Select((c, i) => (c, i)).Where(p => p.c.State != "suppressed"), p => Assert.Equal(real[p.i].Cases, (long)p.c.Value!.Value));
            var relations = cells.Where(c => c.Parent is not null).GroupBy(c => c.Parent!.Value)
                .Select(g => LinearRelation.Sum($"{table.Key.Period} {table.Key.Condition}: {g.Key} = Σ children", index[g.Key], g.Select(c => index[c.Territory]))).ToList();
            tables.Add(new CountsTable(table.Key.Period, table.Key.Condition, cells.Select(c => c.Territory).ToList(), published, real.Select(r => r.Cases).ToList(), relations));
        }
        return tables;
    }

    /// <summary>Several tables side by side as one system of cells and equations (cell positions shifted), each cell with its territory.</summary>
    private static (List<DisclosureCell> Published, List<long> Truth, List<LinearRelation> Relations, List<(int Index, long Territory)> Cells) Join(List<CountsTable> tables)
    {
        var published = new List<DisclosureCell>();
        var truth = new List<long>();
        var relations = new List<LinearRelation>();
        var cells = new List<(int, long)>();
        foreach (var table in tables)
        {
            var offset = published.Count;
            cells.AddRange(table.Territories.Select((t, i) => (offset + i, t)));
            published.AddRange(table.Published);
            truth.AddRange(table.Truth);
            relations.AddRange(table.Relations.Select(r => r with { Terms = r.Terms.Select(t => t with { Cell = t.Cell + offset }).ToList() }));
        }
        return (published, truth, relations, cells);
    }

    private sealed record ScanCluster(string Condition, int Rank, long[] Communes, long? Cases);

    private async Task<List<ScanCluster>> ScanClustersAsync()
    {
        await using var command = world.Database.DataSource.CreateCommand(
            "SELECT condition_code, rank, territory_ids, cases FROM features.scan_cluster WHERE health_batch_id = $1 ORDER BY condition_code, rank");
        command.Parameters.Add(new() { Value = world.HealthBatch });
        await using var reader = await command.ExecuteReaderAsync();
        var clusters = new List<ScanCluster>();
        while (await reader.ReadAsync())
            clusters.Add(new ScanCluster(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<long[]>(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        return clusters;
    }
}
