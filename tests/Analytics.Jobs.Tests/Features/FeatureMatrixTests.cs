using System.Globalization;
using Analytics.Jobs.Features;
using Analytics.Testing;

namespace Analytics.Jobs.Tests.Features;

[Collection(DemoPipelineCollection.Name)]
public class FeatureMatrixTests(DemoPipeline pipeline)
{
    private Task<FeatureMatrix.Data> BuildAsync(string code = "asthma_commune") =>
        new FeatureMatrix(pipeline.Database.DataSource, TimeProvider.System).BuildAsync(DemoPipeline.Specification(code));

    [Fact]
    public async Task every_commune_and_year_of_the_demo_world_becomes_a_row()
    {
        var matrix = await BuildAsync();

        Assert.Equal(1233 * 5, matrix.Rows.Count);
        Assert.Empty(matrix.Excluded);
        Assert.Equal(["pm25_annual", "no2_annual", "fdep"], matrix.FeatureNames);
    }

    [Fact]
    public async Task expected_cases_add_up_to_observed_cases_each_year()
    {
        // Indirect standardisation on the batch's own rates by year × sex × age band: Σ E = Σ O per year.
        var matrix = await BuildAsync();

        foreach (var year in matrix.Rows.GroupBy(r => r.Period))
            Assert.Equal(year.Sum(r => (double)r.Observed), year.Sum(r => r.Exposure), 6);
    }

    [Fact]
    public async Task covariates_are_the_ones_the_demo_world_was_generated_with()
    {
        // validation/commune_covariates.csv holds the generator's exact commune means; ours come from
        // area-weighted interpolation of the 1 km grid, so they agree closely but not exactly.
        var truth = File.ReadLines(RepositoryFiles.PathOf("data/demo/validation/commune_covariates.csv")).Skip(1).Select(l => l.Split(';'))
            .ToDictionary(f => (f[0], f[1]), f => (Pm25: double.Parse(f[2], CultureInfo.InvariantCulture), Deprivation: double.Parse(f[6], CultureInfo.InvariantCulture)));
        var matrix = await BuildAsync();

        var pm25 = matrix.Rows.Select(r => (Ours: r.Features[0], Truth: truth[(r.TerritoryCode, r.Period)].Pm25)).ToList();
        Assert.True(Correlation(pm25) > 0.98, $"PM2.5 correlation {Correlation(pm25):F3}");
        // FDep is loaded rounded to 3 decimals.
        Assert.All(matrix.Rows, r => Assert.Equal(truth[(r.TerritoryCode, r.Period)].Deprivation, r.Features[2], 0.0006));
    }

    [Fact]
    public async Task audit_groups_find_the_communes_the_generator_planted_its_bias_in()
    {
        // TRUTH.md: recorded counts were thinned in the 188 communes that are rural and in deprivation
        // quintile 5. Our quintiles are cut from the loaded FDep, rounded to 3 decimals, so a commune on a
        // quintile boundary may fall on the other side of it than in the generator's column.
        var generator = File.ReadLines(RepositoryFiles.PathOf("data/demo/socioeconomic_commune.csv")).Skip(1).Select(l => l.Split(';'))
            .ToDictionary(f => f[0], f => (Density: f[6], Quintile: f[11]));
        var matrix = await BuildAsync();
        var communes = matrix.Rows.DistinctBy(r => r.TerritoryId).ToList();

        Assert.All(communes, r => Assert.Equal(generator[r.TerritoryCode].Density, r.Groups["density_class"]));
        var agreeing = communes.Count(r => generator[r.TerritoryCode].Quintile == r.Groups["deprivation_quintile"]);
        Assert.True(agreeing >= communes.Count - 5, $"{communes.Count - agreeing} communes in another quintile than the generator's");
        Assert.InRange(communes.Count(r => r.Groups["density_class"] == "rural" && r.Groups["deprivation_quintile"] == "5"), 186, 190);
        Assert.All(communes.GroupBy(r => r.Groups["deprivation_quintile"]), q => Assert.InRange(q.Count(), 246, 247));
        Assert.Contains(communes, r => r.Groups["territory_type"] == "overseas");
        Assert.Contains(communes, r => r.Groups["territory_type"] == "mainland");
    }

    [Fact]
    public async Task the_same_inputs_give_the_same_dataset_version_and_matrix()
    {
        var first = await BuildAsync();
        var second = await BuildAsync();

        Assert.Equal(first.DatasetVersion, second.DatasetVersion);
        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.DatasetVersion, (await BuildAsync("heat_commune")).DatasetVersion);
    }

    private static double Correlation(IReadOnlyList<(double A, double B)> pairs)
    {
        double ma = pairs.Average(p => p.A), mb = pairs.Average(p => p.B);
        double sab = pairs.Sum(p => (p.A - ma) * (p.B - mb)), saa = pairs.Sum(p => (p.A - ma) * (p.A - ma)), sbb = pairs.Sum(p => (p.B - mb) * (p.B - mb));
        return sab / Math.Sqrt(saa * sbb);
    }
}
