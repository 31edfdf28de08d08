using System.Globalization;
using Analytics.Models.Modelling;
using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Modelling;

/// <summary>The BYM2 risk model on a 20 × 20 grid of areas with a known smooth spatial effect.</summary>
public class Bym2RiskModelTests
{
    private const int Side = 20;

    [Fact]
    public void a_held_out_area_gets_its_spatial_effect_from_its_neighbours()
    {
        var (graph, data, effect) = World(seed: 7);
        // The area with the largest true effect, and every row of it, left out of training.
        var target = Enumerable.Range(0, graph.Count).MaxBy(i => effect[i]);
        var code = graph.Codes[target];
        var training = ModelDataset.Create(data.FeatureNames, [.. data.Rows.Where(r => r.Territory != code)]);

        var model = Bym2RiskModel.Train(training, new Bym2Field(graph));

        var neighbours = graph.Neighbours[target].Select(j => model.SpatialEffect(graph.Codes[j]).Mean).Average();
        var (mean, sd) = model.SpatialEffect(code);
        Assert.True(neighbours > 0.2, $"neighbours' mean effect {neighbours:F3}");
        Assert.InRange(mean, 0.5 * neighbours, 1.5 * neighbours);
        // Without its own counts the area is less certain than its neighbours.
        Assert.True(sd > graph.Neighbours[target].Select(j => model.SpatialEffect(graph.Codes[j]).StandardDeviation).Max(), $"sd {sd:F3}");
    }

    [Fact]
    public void exceedance_probabilities_follow_the_true_effect_and_the_model_round_trips_byte_for_byte()
    {
        var (graph, data, effect) = World(seed: 11);
        var field = new Bym2Field(graph);

        var model = Bym2RiskModel.Train(data, field);
        var again = Bym2RiskModel.Train(data, field);
        var loaded = (Bym2RiskModel)RiskModel.Load(model.Serialize());

        Assert.Equal(model.Serialize(), again.Serialize());
        Assert.Equal(model.ExpectedCases(data), loaded.ExpectedCases(data));
        Assert.Equal(model.Predict(data), loaded.Predict(data));
        var exceedance = model.ExceedanceProbabilities(data);
        Assert.All(exceedance, p => Assert.InRange(p, 0, 1));
        // The true log relative risk of each area: feature term plus spatial effect.
        var logRisk = Enumerable.Range(0, graph.Count).Select(i => 0.2 * data.Rows[i].Features[0] + effect[i]).ToArray();
        // With 30 expected cases a log SIR is known to about ±0.18: beyond ±0.75 (four of those) every area
        // must be called; beyond ±0.5 most must, on average.
        foreach (var (threshold, strict) in new[] { (0.75, true), (0.5, false) })
        {
            var high = Enumerable.Range(0, graph.Count).Where(i => logRisk[i] > threshold).ToArray();
            var low = Enumerable.Range(0, graph.Count).Where(i => logRisk[i] < -threshold).ToArray();
            Assert.NotEmpty(high);
            Assert.NotEmpty(low);
            if (strict)
            {
                Assert.All(high, i => Assert.True(exceedance[i] > 0.9, $"area {i}: log RR {logRisk[i]:F2}, P(RR > 1) {exceedance[i]:F3}"));
                Assert.All(low, i => Assert.True(exceedance[i] < 0.1, $"area {i}: log RR {logRisk[i]:F2}, P(RR > 1) {exceedance[i]:F3}"));
            }
            else
            {
                Assert.True(high.Average(i => exceedance[i]) > 0.9);
                Assert.True(low.Average(i => exceedance[i]) < 0.1);
            }
        }
        // σ near the truth's 0.4; the smooth field is mostly structured.
        Assert.InRange(model.Hyperparameters[0].Mean, 0.25, 0.6);
        Assert.True(model.Hyperparameters[1].Mean > 0.5, $"phi {model.Hyperparameters[1].Mean:F2}");
    }

    [Fact]
    public void a_territory_outside_the_graph_is_refused_in_training()
    {
        var (graph, data, _) = World(seed: 3);
        var stranger = ModelDataset.Create(data.FeatureNames, [.. data.Rows, data.Rows[0] with { Territory = "elsewhere" }]);

        var error = Assert.Throws<ArgumentException>(() => Bym2RiskModel.Train(stranger, new Bym2Field(graph)));

        Assert.Contains("elsewhere", error.Message);
    }

    [Fact]
    public void when_the_data_come_from_the_model_its_95_percent_intervals_hold_the_true_coefficients_about_95_percent_of_the_time()
    {
        // A 12 × 12 rook grid and an island; a smooth feature (confounded with place unless the field is modelled) and
        // a noise feature; each of 60 data sets has its own spatial effect drawn from the BYM2 prior (σ 0.3, φ 0.7).
        const int side = 12, draws = 60;
        var neighbours = Enumerable.Range(0, side * side + 1).Select(i =>
        {
            var (x, y) = (i % side, i / side);
            return (IReadOnlyList<int>)(i == side * side ? [] : [.. new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) }
                .Where(c => c.Item1 is >= 0 and < side && c.Item2 is >= 0 and < side).Select(c => c.Item2 * side + c.Item1)]);
        }).ToArray();
        var graph = AreaGraph.Create([.. Enumerable.Range(0, neighbours.Length).Select(i => i.ToString("D3", CultureInfo.InvariantCulture))], neighbours);
        var field = new Bym2Field(graph);
        var prior = new Analytics.Testing.Bym2PriorDraw(graph);
        var random = SeededRandom.Derive(2026, "bym2-calibration");
        double[] truth = [0.2, -0.1];
        var (bym2Covered, poissonCovered) = (0, 0);
        for (var d = 0; d < draws; d++)
        {
            var effect = prior.Draw(random, sigma: 0.3, phi: 0.7);
            var rows = Enumerable.Range(0, graph.Count).Select(i =>
            {
                double[] x = [Math.Sin(i % side / 3.0) + Math.Cos(i / side / 4.0) + random.NextGaussian(0, 0.3), random.NextGaussian()];
                var expected = 5 + 35 * random.NextDouble();
                var cases = random.NextPoisson(expected * Math.Exp(truth[0] * x[0] + truth[1] * x[1] + effect[i]));
                return new ModelRow(graph.Codes[i], "2023", "b", cases, 10_000, expected, x);
            }).ToArray();
            var data = ModelDataset.Create(["smooth", "noise"], rows);
            var bym2 = Bym2RiskModel.Train(data, field);
            var poisson = PoissonRiskModel.Train(data);
            bym2Covered += Covered(bym2.PosteriorCoefficients);
            poissonCovered += Covered(poisson.Coefficients);
        }

        // 120 intervals: if each holds the truth with probability 0.95, fewer than 108 (90%) happens with probability
        // about 0.3%, and all 120 with 0.2%. The seeds are fixed, so the outcome is too.
        Assert.InRange(bym2Covered, 108, 119);
        // The same data are not easy: the Poisson model, blind to the field, is overconfident on them.
        Assert.True(poissonCovered < 108, $"the Poisson model held the truth in {poissonCovered} of 120 intervals");

        int Covered(IReadOnlyList<ModelCoefficient> coefficients) => new[] { "smooth", "noise" }.Select((name, j) =>
        {
            var (lower, upper) = ModelCoefficient.Find(coefficients, name).Interval(0.95);
            return truth[j] >= lower && truth[j] <= upper ? 1 : 0;
        }).Sum();
    }

    [Fact]
    public void block_robust_standard_errors_reduce_to_the_clustered_poisson_sandwich_when_the_spatial_effect_vanishes()
    {
        // 25 blocks of 4 × 4 areas. θ held at σ = e⁻⁸: the spatial effect is nothing, the model is a Poisson GLM, and its
        // block-robust covariance must be the textbook cluster-robust one (Liang & Zeger 1986; Stata's vce(cluster) without
        // its (n − 1)/(n − k) factor): B⁻¹ [g/(g − 1) Σₖ (Xₖᵀeₖ)(Xₖᵀeₖ)ᵀ] B⁻¹, B = XᵀWX at the maximum-likelihood estimate.
        var (graph, data, _) = World(seed: 5, blockSide: 4);
        var bym2 = Bym2RiskModel.Train(data, new Bym2Field(graph), theta: [16, 0]);
        var glm = PoissonRiskModel.Train(data);
        var (b0, b1) = (glm.Coefficient(ModelCoefficient.InterceptName).Estimate, glm.Coefficient("x").Estimate);
        double[,] information = new double[2, 2], meat = new double[2, 2];
        var sums = new Dictionary<string, double[]>();
        foreach (var row in data.Rows)
        {
            var x = row.Features[0];
            var mu = row.Exposure * Math.Exp(b0 + b1 * x);
            information[0, 0] += mu;
            information[0, 1] += mu * x;
            information[1, 1] += mu * x * x;
            var sum = sums.TryGetValue(row.Block, out var s) ? s : sums[row.Block] = new double[2];
            sum[0] += row.Cases - mu;
            sum[1] += x * (row.Cases - mu);
        }
        information[1, 0] = information[0, 1];
        foreach (var s in sums.Values)
            for (var a = 0; a < 2; a++)
                for (var b = 0; b < 2; b++)
                    meat[a, b] += s[a] * s[b] * 25 / 24.0;
        var det = information[0, 0] * information[1, 1] - information[0, 1] * information[0, 1];
        var bread = new double[2, 2] { { information[1, 1] / det, -information[0, 1] / det }, { -information[0, 1] / det, information[0, 0] / det } };
        var sandwich = new double[2, 2];
        for (var a = 0; a < 2; a++)
            for (var b = 0; b < 2; b++)
                for (var u = 0; u < 2; u++)
                    for (var w = 0; w < 2; w++)
                        sandwich[a, b] += bread[a, u] * meat[u, w] * bread[w, b];

        Assert.Equal(25, bym2.VarianceBlocks);
        var robust = bym2.BlockRobustCoefficients!;
        // The BYM2 posterior mean differs from the maximum-likelihood estimate by its weak prior (precision 10⁻³ on the standardised feature).
        Assert.Equal(b1, robust[1].Estimate, 1e-4);
        Assert.Equal(Math.Sqrt(sandwich[0, 0]), robust[0].StandardError, Math.Sqrt(sandwich[0, 0]) * 1e-3);
        Assert.Equal(Math.Sqrt(sandwich[1, 1]), robust[1].StandardError, Math.Sqrt(sandwich[1, 1]) * 1e-3);
        // What the model reports is the larger of the two, per coefficient, and survives the round trip.
        foreach (var (reported, posterior, blockRobust) in bym2.Coefficients.Zip(bym2.PosteriorCoefficients, robust))
            Assert.Equal(Math.Max(posterior.StandardError, blockRobust.StandardError), reported.StandardError);
        var loaded = (Bym2RiskModel)RiskModel.Load(bym2.Serialize());
        Assert.Equal(bym2.Coefficients, loaded.Coefficients);
        Assert.Equal(robust, loaded.BlockRobustCoefficients);
    }

    [Fact]
    public void block_robust_standard_errors_match_the_spread_of_the_estimates_over_repeated_draws_when_the_spatial_effect_is_not_bym2()
    {
        // The sampling spread of the feature's estimate is measured directly: the same grid, the same smooth feature, 100
        // draws of a spatial effect that is no BYM2 field (white noise smoothed by 3 rounds of neighbour averaging, sd 0.3)
        // and of the counts. An honest standard error is, on average, that spread.
        const int draws = 100;
        var estimates = new double[draws];
        var (robust, posterior) = (new double[draws], new double[draws]);
        for (var d = 0; d < draws; d++)
        {
            var (graph, data, _) = World(seed: 100 + (ulong)d, blockSide: 4, smoothFeature: true, smoothing: 3, effectSd: 0.3, featureSeed: 1);
            var model = Bym2RiskModel.Train(data, new Bym2Field(graph));
            estimates[d] = model.Coefficient("x").Estimate;
            robust[d] = ModelCoefficient.Find(model.BlockRobustCoefficients!, "x").StandardError;
            posterior[d] = ModelCoefficient.Find(model.PosteriorCoefficients, "x").StandardError;
        }
        var spread = Math.Sqrt(estimates.Sum(e => (e - estimates.Average()) * (e - estimates.Average())) / (draws - 1));
        var (robustRms, posteriorRms) = (Math.Sqrt(robust.Average(v => v * v)), Math.Sqrt(posterior.Average(v => v * v)));
        // A standard deviation from 100 draws is known to about 7% (1/√198); the sandwich from 25 blocks runs a few percent
        // low. Measured: spread 0.0336, block-robust 0.0330, posterior 0.0350.
        Assert.True(robustRms / spread is > 0.85 and < 1.15,
            FormattableString.Invariant($"estimates spread {spread:G3} around {estimates.Average():G3} (truth 0.2); block-robust standard error {robustRms:G3}, posterior {posteriorRms:G3}"));
    }

    // A rook grid; the effect is white noise smoothed by 4 rounds of neighbour averaging, scaled to sd 0.4;
    // one feature independent of it with coefficient 0.2 (white noise, or smooth over the grid plus noise);
    // Poisson counts around 30 expected cases; one block, or squares of blockSide × blockSide areas.
    private static (AreaGraph Graph, ModelDataset Data, double[] Effect) World(ulong seed, int blockSide = 0, bool smoothFeature = false,
        int smoothing = 4, double effectSd = 0.4, ulong? featureSeed = null)
    {
        var featureRandom = featureSeed is { } f ? SeededRandom.Derive(f, "bym2-grid-feature") : null;
        var random = SeededRandom.Derive(seed, "bym2-grid");
        var n = Side * Side;
        var neighbours = Enumerable.Range(0, n).Select(i =>
        {
            var (x, y) = (i % Side, i / Side);
            return (IReadOnlyList<int>)[.. new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) }
                .Where(c => c.Item1 is >= 0 and < Side && c.Item2 is >= 0 and < Side).Select(c => c.Item2 * Side + c.Item1)];
        }).ToArray();
        var graph = AreaGraph.Create([.. Enumerable.Range(0, n).Select(i => i.ToString("D3", CultureInfo.InvariantCulture))], neighbours);
        var effect = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
        for (var round = 0; round < smoothing; round++)
            effect = [.. effect.Select((v, i) => (v + neighbours[i].Sum(j => effect[j])) / (1 + neighbours[i].Count))];
        var (mean, sd) = (effect.Average(), Math.Sqrt(effect.Select(v => v * v).Average() - effect.Average() * effect.Average()));
        effect = [.. effect.Select(v => effectSd * (v - mean) / sd)];
        var rows = Enumerable.Range(0, n).Select(i =>
        {
            var (column, line) = (i % Side, i / Side);
            var x = smoothFeature ? Math.Sin(column / 3.0) + Math.Cos(line / 4.0) + (featureRandom ?? random).NextGaussian(0, 0.3) : random.NextGaussian();
            var expected = 30.0;
            var block = blockSide == 0 ? "b" : FormattableString.Invariant($"{column / blockSide}:{line / blockSide}");
            return new ModelRow(graph.Codes[i], "2023", block, random.NextPoisson(expected * Math.Exp(0.2 * x + effect[i])), 10_000, expected, [x]);
        }).ToArray();
        return (graph, ModelDataset.Create(["x"], rows), effect);
    }
}
