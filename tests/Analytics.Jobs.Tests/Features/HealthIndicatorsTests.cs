using Analytics.Jobs.Features;
using Analytics.Jobs.Ingest;
using Analytics.Models.Secrecy;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Jobs.Tests.Features;

/// <summary>The demo world's health batch published for every level of its hierarchy.</summary>
public class HealthIndicatorsTests(HealthIndicatorsTests.DemoHealth world) : IClassFixture<HealthIndicatorsTests.DemoHealth>
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
        var cases = await FiguresAsync("cases");
        var population = (await FiguresAsync("population")).ToDictionary(p => (p.Territory, p.Period, p.Condition), p => p.Value);
        foreach (var table in cases.GroupBy(c => (c.Period, c.Condition)))
        {
            var cells = table.ToList();
            var index = cells.Select((c, i) => (c.Territory, i)).ToDictionary(p => p.Territory, p => p.i);
            var audit = cells.Select(c => new AuditCell($"{c.Territory}", c.State == "suppressed" ? Published<long>.Suppressed : Published.Of((long)c.Value!.Value),
                population[(c.Territory, c.Period, c.Condition)] is double p ? (long)p : null)).ToList();
            var relations = cells.Where(c => c.Parent is not null).GroupBy(c => c.Parent!.Value)
                .Select(g => LinearRelation.Sum($"{g.Key} = Σ children", index[g.Key], g.Select(c => index[c.Territory]))).ToList();
            var report = AttackAuditor.Audit(audit, relations, SecrecyRule.Default);
            Assert.True(report.IsClean, $"{table.Key}: {report}");
        }
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
}
