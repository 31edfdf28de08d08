using Analytics.Jobs.Features;

namespace Analytics.Jobs.Tests.Features;

/// <summary>Expected cases are computed once per batch (features.expected_cases) and every reader agrees with that one table.</summary>
[Collection(DemoPipelineCollection.Name)]
public class ExpectedCasesTests(DemoPipeline pipeline)
{
    [Fact]
    public async Task expected_cases_by_hand_per_period_and_over_all_periods()
    {
        // 2019: reference F 2/400 = 0.005, M 4/200 = 0.02 → commune 1: 100·0.005 + 100·0.02 = 2.5, commune 2: 300·0.005 + 100·0.02 = 3.5.
        // 2020: only F, 4/200 = 0.02 → 2 and 2. Over both years: F 6/600 = 0.01, M 0.02 → commune 1: 200·0.01 + 100·0.02 = 4, commune 2: 400·0.01 + 100·0.02 = 6.
        HealthTable[] tables =
        [
            new("2019", "X", [new(1, "2019", "X", "F", "0-14", 2, 100), new(1, "2019", "X", "M", "0-14", 1, 100),
                new(2, "2019", "X", "F", "0-14", 0, 300), new(2, "2019", "X", "M", "0-14", 3, 100)]),
            new("2020", "X", [new(1, "2020", "X", "F", "0-14", 4, 100), new(2, "2020", "X", "F", "0-14", 0, 100)]),
        ];

        var rows = (await ExpectedCases.ComputeAsync(tables.ToAsyncEnumerable())).ToDictionary(r => (r.TerritoryId, r.Scope, r.Period), r => (r.Cases, r.Population, r.Expected));

        Assert.Equal(6, rows.Count);
        Assert.Equal((3L, 200.0, 2.5), rows[(1, ExpectedScope.Period, "2019")]);
        Assert.Equal((3L, 400.0, 3.5), rows[(2, ExpectedScope.Period, "2019")]);
        Assert.Equal((4L, 100.0, 2.0), rows[(1, ExpectedScope.Period, "2020")]);
        Assert.Equal((0L, 100.0, 2.0), rows[(2, ExpectedScope.Period, "2020")]);
        Assert.Equal((7L, 300.0, 4.0), rows[(1, ExpectedScope.AllPeriods, "2019/2020")]);
        Assert.Equal((3L, 500.0, 6.0), rows[(2, ExpectedScope.AllPeriods, "2019/2020")]);
    }

    [Fact]
    public async Task the_published_figures_carry_the_tables_expected_cases_at_every_level()
    {
        // A commune's published expected count is its row; a coarser territory's is the sum of its communes' rows.
        var mismatches = await pipeline.Database.ScalarAsync<long>("""
            WITH e AS (SELECT territory_id, period, condition_code, expected FROM features.expected_cases
                       WHERE health_batch_id = (SELECT max(health_batch_id) FROM features.expected_cases) AND scope = 'period'),
            sums AS (SELECT a.ancestor_id AS territory_id, e.period, e.condition_code, sum(e.expected) AS expected
                     FROM e JOIN geo.territory_ancestor a ON a.territory_id = e.territory_id GROUP BY 1, 2, 3)
            SELECT count(*) FROM features.health_indicator h
            JOIN sums s ON (s.territory_id, s.period, s.condition_code) = (h.territory_id, h.period, h.condition_code)
            WHERE h.statistic = 'expected' AND h.state = 'value' AND abs(h.value - s.expected) > 1e-9 * s.expected
            """);
        var compared = await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM features.health_indicator WHERE statistic = 'expected' AND state = 'value'");

        Assert.True(compared > 1233 * 5, $"only {compared} published expected counts");
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public async Task the_feature_matrix_offset_is_the_tables_expected_count()
    {
        var matrix = await new FeatureMatrix(pipeline.Database.DataSource, TimeProvider.System).BuildAsync(DemoPipeline.Specification("asthma_commune"));
        var health = await pipeline.Database.ScalarAsync<long>("SELECT max(id) FROM ingest.batch WHERE kind = 'health' AND status = 'loaded'");
        var table = (await new ExpectedCases(pipeline.Database.DataSource, TimeProvider.System)
                .ReadAsync(health, ExpectedScope.Period, DemoPipeline.Specification("asthma_commune").Condition))
            .ToDictionary(e => (e.TerritoryId, e.Period));

        Assert.All(matrix.Rows, row => Assert.Equal(table[(row.TerritoryId, row.Period)].Expected, row.Exposure));
    }

    [Fact]
    public async Task a_published_scan_cluster_expects_the_sum_of_its_communes_over_all_periods()
    {
        var mismatches = await pipeline.Database.ScalarAsync<long>("""
            SELECT count(*) FROM features.scan_cluster c
            WHERE c.state = 'value' AND abs(c.expected - (
                SELECT sum(e.expected) FROM features.expected_cases e
                WHERE e.health_batch_id = c.health_batch_id AND e.condition_code = c.condition_code AND e.scope = 'all_periods' AND e.territory_id = ANY (c.territory_ids))) > 1e-6
            """);
        var published = await pipeline.Database.ScalarAsync<long>("SELECT count(*) FROM features.scan_cluster WHERE state = 'value'");

        Assert.True(published > 0, "the demo world publishes no scan cluster to compare");
        Assert.Equal(0, mismatches);
    }
}
