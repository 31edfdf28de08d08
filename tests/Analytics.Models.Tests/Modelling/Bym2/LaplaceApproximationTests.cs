using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Randomness;
using Xunit.Abstractions;

namespace Analytics.Models.Tests.Modelling.Bym2;

/// <summary>The central composite design against a fine grid integration of θ, computed here from fixed-θ fits.</summary>
public class LaplaceApproximationTests(ITestOutputHelper output)
{
    [Fact]
    public void the_ccd_posterior_agrees_with_a_fine_grid_integration_of_theta()
    {
        // A 12 × 12 rook grid plus an island, 8 expected cases per area: θ's posterior is broad (the hard case for
        // 9 points) and its box reaches φ within 10⁻⁴ of 1, where the latent field's Newton iterations must still converge.
        const int side = 12, n = side * side + 1;
        var random = SeededRandom.Derive(5, "laplace-ccd");
        var neighbours = Enumerable.Range(0, n).Select(i =>
        {
            if (i == n - 1)
                return (IReadOnlyList<int>)[];
            var (x, y) = (i % side, i / side);
            return [.. new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) }
                .Where(c => c.Item1 is >= 0 and < side && c.Item2 is >= 0 and < side).Select(c => c.Item2 * side + c.Item1)];
        }).ToArray();
        var graph = AreaGraph.Create([.. Enumerable.Range(0, n).Select(i => $"a{i}")], neighbours);
        var effect = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
        for (var round = 0; round < 3; round++)
            effect = [.. effect.Select((v, i) => (v + neighbours[i].Sum(j => effect[j])) / (1 + neighbours[i].Count))];
        var rows = Enumerable.Range(0, n).Select(i =>
        {
            var z = random.NextGaussian();
            return new LatentRow(i, random.NextPoisson(8 * Math.Exp(0.2 * z + 0.6 * effect[i])), Math.Log(8), [1, z]);
        }).ToArray();
        var field = new Bym2Field(graph);
        double[] precision = [0, 1e-3];

        var ccd = LaplaceApproximation.Fit(field, rows, new LaplaceSettings(precision));

        // The grid: a box around the mode wide enough that log π(θ | y) has dropped by 12 along each axis, 1.5 times over.
        LaplacePosterior At(double[] theta) => LaplaceApproximation.Fit(field, rows, new LaplaceSettings(precision, theta));
        var top = ccd.LogPosteriorAtMode;
        var (low, high) = (new double[2], new double[2]);
        for (var a = 0; a < 2; a++)
            foreach (var sign in new[] { -1, 1 })
            {
                var reach = 0.1;
                while (top - At([.. ccd.ThetaMode.Select((t, b) => b == a ? t + sign * reach : t)]).LogPosteriorAtMode < 12)
                    reach *= 1.25;
                (sign < 0 ? low : high)[a] = ccd.ThetaMode[a] + sign * 1.5 * reach;
            }
        const int steps = 30;
        var points = new List<(LaplacePosterior Fit, double LogDensity)>();
        var edge = double.NegativeInfinity;
        for (var i = 0; i < steps; i++)
            for (var j = 0; j < steps; j++)
            {
                double[] theta = [low[0] + (high[0] - low[0]) * (i + 0.5) / steps, low[1] + (high[1] - low[1]) * (j + 0.5) / steps];
                var fit = At(theta);
                points.Add((fit, fit.LogPosteriorAtMode));
                if (i is 0 or steps - 1 || j is 0 or steps - 1)
                    edge = Math.Max(edge, fit.LogPosteriorAtMode - top);
            }
        // The box holds the posterior: its border is at least e⁸ below the mode.
        Assert.True(edge < -8, $"the grid's border is only {-edge:F1} below the mode");
        var peak = points.Max(p => p.LogDensity);
        var weights = points.Select(p => Math.Exp(p.LogDensity - peak)).ToArray();
        var total = weights.Sum();
        double Mix(Func<LaplacePosterior, double> value) => points.Select((p, k) => weights[k] / total * value(p.Fit)).Sum();

        // Latent field and fixed effects, R-INLA's reason for the CCD: their marginals barely move from a fine
        // grid's. Held to a tenth of a posterior sd for means (measured: 0.04) and 5% for sds (measured: 3%),
        // small beside the quarter sd between this engine and GeoBUGS's MCMC on the Scotland data.
        var worst = (Mean: 0.0, Sd: 0.0);
        void Compare(Func<LaplacePosterior, double> mean, Func<LaplacePosterior, double> variance)
        {
            var gridMean = Mix(mean);
            var gridSd = Math.Sqrt(Mix(p => variance(p) + mean(p) * mean(p)) - gridMean * gridMean);
            var (ccdMean, ccdSd) = (mean(ccd), Math.Sqrt(variance(ccd)));
            worst = (Math.Max(worst.Mean, Math.Abs(ccdMean - gridMean) / gridSd), Math.Max(worst.Sd, Math.Abs(ccdSd / gridSd - 1)));
        }
        for (var area = 0; area < n; area++)
        {
            var a = area;
            Compare(p => p.EffectMean[a], p => p.EffectVariance[a]);
        }
        for (var j = 0; j < 2; j++)
        {
            var b = j;
            Compare(p => p.FixedMean[b], p => p.FixedCovariance[b, b]);
        }
        output.WriteLine($"{ccd.IntegrationPoints} CCD points, {points.Count} grid points; worst mean gap {worst.Mean:F4} sd, worst sd ratio gap {worst.Sd:F4}");
        Assert.Equal(9, ccd.IntegrationPoints);
        Assert.True(worst.Mean < 0.1, $"a posterior mean {worst.Mean:F3} sd away from the grid's");
        Assert.True(worst.Sd < 0.05, $"a posterior sd {100 * worst.Sd:F1}% away from the grid's");

        // Hyperparameters, from nine points: means to a fifth of their sd (measured: σ 0.07, φ 0.05), sds to 25% (measured: 12% and 2% low).
        for (var h = 0; h < 2; h++)
        {
            var k = h;
            var gridMean = Mix(p => p.Hyperparameters[k].Mean);
            var gridSd = Math.Sqrt(Mix(p => p.Hyperparameters[k].Mean * p.Hyperparameters[k].Mean) - gridMean * gridMean);
            var summary = ccd.Hyperparameters[k];
            output.WriteLine($"{summary.Name}: CCD {summary.Mean:F4} ({summary.StandardDeviation:F4}), grid {gridMean:F4} ({gridSd:F4})");
            Assert.True(Math.Abs(summary.Mean - gridMean) < 0.2 * gridSd, $"{summary.Name} mean {summary.Mean:F4} against {gridMean:F4}");
            Assert.InRange(summary.StandardDeviation / gridSd, 0.75, 1.25);
        }
    }
}
