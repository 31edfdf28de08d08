namespace Analytics.Jobs.Tests.Features;

/// <summary>The communes' cumulative index, built by the features build of the demo world.</summary>
[Collection(DemoPipelineCollection.Name)]
public class CumulativeIndexBuildTests(DemoPipeline pipeline)
{
    private Task<long> CountAsync(string where) => pipeline.Database.ScalarAsync<long>($"SELECT count(*) FROM features.cumulative_index WHERE {where}");

    [Fact]
    public async Task every_commune_gets_a_row_and_most_a_score_between_0_and_100()
    {
        Assert.Equal(1233L, await CountAsync("true"));
        // A commune whose health figures are mostly suppressed has no sensitive-population component: about half of them here.
        var scored = await CountAsync("score IS NOT NULL");
        Assert.True(scored > 300, $"only {scored} communes scored");
        Assert.Equal(0L, await CountAsync("score < 0 OR score > 100 OR score_percentile < 0 OR score_percentile > 100"));
    }

    [Fact]
    public async Task burden_and_characteristics_follow_the_calenviroscreen_formulas_from_the_stored_components()
    {
        // CES 4.0: burden = (exposures + ½ environmental effects) / 1.5; characteristics = (sensitive + socio-economic) / 2.
        Assert.Equal(0L, await CountAsync("""
            score IS NOT NULL AND (
                abs(pollution_burden - ((components->>'exposures')::float8 + 0.5 * (components->>'environmentalEffects')::float8) / 1.5) > 1e-9
             OR abs(population_characteristics - ((components->>'sensitivePopulations')::float8 + (components->>'socioeconomicFactors')::float8) / 2) > 1e-9)
            """));
    }

    [Fact]
    public async Task a_commune_whose_health_figures_are_mostly_suppressed_gets_no_score_and_says_why()
    {
        // Sensitive populations = three smoothed relative risks; a component needs at least half its indicators.
        var withheld = await CountAsync("""
            (SELECT count(*) FROM jsonb_each(percentiles) p WHERE p.key IN ('hosp_asthma', 'hosp_copd', 'hosp_ihd') AND p.value = 'null'::jsonb) >= 2
            """);
        Assert.True(withheld > 0);
        Assert.Equal(0L, await CountAsync("""
            (SELECT count(*) FROM jsonb_each(percentiles) p WHERE p.key IN ('hosp_asthma', 'hosp_copd', 'hosp_ihd') AND p.value = 'null'::jsonb) >= 2
            AND (score IS NOT NULL OR cardinality(gaps) = 0)
            """));
    }

    [Fact]
    public async Task each_commune_rank_under_calenviroscreen_lies_in_its_rank_interval()
    {
        Assert.Equal(0L, await CountAsync("""
            score IS NOT NULL AND NOT ((ranks->>'CalEnviroScreen 4.0: burden × characteristics')::int BETWEEN best_rank AND worst_rank)
            """));
        Assert.True(await CountAsync("score IS NOT NULL AND worst_rank > best_rank") > 0, "no commune's rank depends on the aggregation");
    }
}
