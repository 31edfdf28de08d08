using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Demo;
using Analytics.Jobs.Training;
using Analytics.Models.Modelling;
using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Spatial;
using Analytics.Testing;
using Xunit.Abstractions;

namespace Analytics.Jobs.Tests.Demo;

/// <summary>
/// The BYM2 model against the region demo world's documented truth, on its TRUE counts, with the
/// spatial effect unknown (as it is to any agency): expected cases from the baseline rates alone, rows
/// in the 20 km blocks training uses.
/// </summary>
[Collection(RegionWorldCollection.Name)]
public class Bym2DemoTruthTests(RegionWorldFixture region, ITestOutputHelper output)
{
    [Fact]
    public void without_the_spatial_offset_bym2_recovers_every_truth_coefficient_where_the_poisson_model_does_not_and_leaves_no_residual_autocorrelation()
    {
        var truth = JsonDocument.Parse(File.ReadAllText(region.PathOf("truth.json"))).RootElement;
        var covariates = SemicolonCsv.Read(region.PathOf("validation/commune_covariates.csv")).ToDictionary(r => (r["commune_code"], r["year"]));
        var counts = SemicolonCsv.Read(region.PathOf("validation/health_true_counts.csv.gz")).ToList();
        // The communes' adjacency is the generator's own (shared Voronoi edges), from the same seed as the files.
        var world = DemoWorldGenerator.Generate(42, DemoScale.Region);
        var graph = AreaGraph.Create([.. world.Communes.Select(c => c.Code)], [.. world.Communes.Select(c => (IReadOnlyList<int>)c.Neighbours)]);
        var field = new Bym2Field(graph);
        var blocks = SpatialBlocks.Grid([.. world.Communes.Select(c => (c.Code, c.Centre.X, c.Centre.Y))], ModelTraining.BlockSizeMetres);
        var weights = SpatialWeights.FromNeighbours([.. world.Communes.Select(c => (IReadOnlyList<int>)c.Neighbours)], WeightStyle.RowStandardised);

        var bym2Checks = new List<(string Condition, ModelCoefficient Coefficient, double Truth)>();
        var posteriorChecks = new List<(string Condition, ModelCoefficient Coefficient, double Truth)>();
        var poissonChecks = new List<(string Condition, ModelCoefficient Coefficient, double Truth)>();
        var residualMoran = new List<(string Condition, MoranResult Moran)>();
        foreach (var condition in truth.GetProperty("conditions").EnumerateArray())
        {
            var code = condition.GetProperty("code").GetString()!;
            var baseline = condition.GetProperty("baseline_per_100k").EnumerateObject()
                .SelectMany(sex => sex.Value.EnumerateObject().Select(age => (Key: (sex.Name, age.Name), Rate: age.Value.GetDouble() / 100_000)))
                .ToDictionary(x => x.Key, x => x.Rate);
            var coefficients = condition.GetProperty("coefficients").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            var names = coefficients.Keys.ToArray();
            var cells = new Dictionary<(string Commune, string Year), (double Cases, double Population, double Expected)>();
            foreach (var row in counts.Where(r => r["condition_code"] == code))
            {
                var key = (row["territory_code"], row["period"]);
                var population = Parse(row["population"]);
                var cell = cells.GetValueOrDefault(key);
                cells[key] = (cell.Cases + Parse(row["cases"]), cell.Population + population, cell.Expected + population * baseline[(row["sex"], row["age_band"])]);
            }
            var rows = cells.Where(c => c.Value.Population > 0)
                .OrderBy(c => c.Key.Commune, StringComparer.Ordinal).ThenBy(c => c.Key.Year, StringComparer.Ordinal)
                .Select(c => new ModelRow(c.Key.Commune, c.Key.Year, blocks[c.Key.Commune], c.Value.Cases, c.Value.Population, c.Value.Expected,
                    [.. names.Select(n => Parse(covariates[(c.Key.Commune, c.Key.Year)][n]))])).ToArray();
            var data = ModelDataset.Create(names, rows);

            var bym2 = Bym2RiskModel.Train(data, field);
            var poisson = PoissonRiskModel.Train(data);

            bym2Checks.AddRange(names.Select(n => (code, bym2.Coefficient(n), coefficients[n])));
            posteriorChecks.AddRange(names.Select(n => (code, ModelCoefficient.Find(bym2.PosteriorCoefficients, n), coefficients[n])));
            poissonChecks.AddRange(names.Select(n => (code, poisson.Coefficient(n), coefficients[n])));
            output.WriteLine(FormattableString.Invariant(
                $"{code}: sigma {bym2.Hyperparameters[0].Mean:F3} (truth 0.1), phi {bym2.Hyperparameters[1].Mean:F3}"));

            // Pearson residuals summed per commune over the years, in the graph's order.
            var mu = bym2.ExpectedCases(data);
            var residual = new double[graph.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                graph.TryIndexOf(rows[i].Territory, out var a);
                residual[a] += (rows[i].Cases - mu[i]) / Math.Sqrt(mu[i]);
            }
            residualMoran.Add((code, MoranI.Global(residual, weights)));
        }

        // Bonferroni across the eleven coefficients, as for the Poisson model with the offset known.
        Assert.Equal(11, bym2Checks.Count);
        var level = 1 - 0.05 / bym2Checks.Count;
        var bym2Misses = Misses(bym2Checks, level, "BYM2");
        var posteriorMisses = Misses(posteriorChecks, level, "posterior");
        var poissonMisses = Misses(poissonChecks, level, "Poisson");
        foreach (var (condition, moran) in residualMoran)
            output.WriteLine(FormattableString.Invariant($"{condition}: residual Moran's I {moran.I:F4}, permutation p {moran.Permutation?.PseudoPValue:F3}"));

        // The spatial effect and PM2.5 are both smooth over the map and correlated by chance: a random spatial effect
        // widens PM2.5's interval but does not remove that confounding from its estimate (Hodges & Reich 2010, The American
        // Statistician 64:325–334), and the demo's effect is no BYM2 field, so the posterior's own intervals are too narrow
        // (here they miss ischaemic heart disease's PM2.5, just outside). The block-robust standard errors the model reports
        // do not lean on that assumption; over 40 demo worlds they hold all eleven in 35 where the posterior's hold them in
        // 27 (docs/models-and-review.md).
        Assert.True(poissonMisses.Count > 0, "the Poisson model without the spatial offset recovered every coefficient: the confounding this test is about is gone from the demo world");
        Assert.True(bym2Misses.Count == 0, $"BYM2 misses {bym2Misses.Count}:\n{string.Join("\n", bym2Misses)}");
        Assert.True(posteriorMisses.Count > 0, "the posterior's own intervals recovered every coefficient: the block-robust standard errors are no longer what this world needs (update the comment above and the docs)");
        Assert.All(residualMoran, m => Assert.True(m.Moran.Permutation!.PseudoPValue > 0.05 / residualMoran.Count,
            FormattableString.Invariant($"{m.Condition}: residual Moran's I {m.Moran.I:F4} is significant (p {m.Moran.Permutation.PseudoPValue:F3})")));
    }

    private List<string> Misses(List<(string Condition, ModelCoefficient Coefficient, double Truth)> checks, double level, string model)
    {
        var misses = new List<string>();
        foreach (var (condition, coefficient, value) in checks)
        {
            var (lower, upper) = coefficient.Interval(level);
            output.WriteLine(FormattableString.Invariant(
                $"{model,-7} {condition,-8} {coefficient.Name,-14} truth {value,7:F3}  estimate {coefficient.Estimate,8:F4}  simultaneous [{lower:F4}, {upper:F4}]"));
            if (value < lower || value > upper)
                misses.Add(FormattableString.Invariant($"{model} {condition} {coefficient.Name}: truth {value} outside [{lower:F4}, {upper:F4}]"));
        }
        return misses;
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
