using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Features;
using Analytics.Jobs.Training;
using Analytics.Models.Modelling;
using Analytics.Models.Randomness;
using Analytics.Models.Specifications;
using Analytics.Models.Spatial;
using Analytics.Testing;

namespace Analytics.Benchmarks;

/// <summary>
/// Training and audit at national scale: a simulated map of 35,000 communes (a 4 km grid, smooth
/// exposure and deprivation fields, log-normal populations, counts from a known Poisson model with
/// under-ascertainment planted in rural × most deprived communes) goes through the same computing
/// part as a training run — blocked 5-fold cross-validation of the three trainers (Poisson, boosted trees, BYM2) with
/// permutation importance, final fits, predictions and explanations, fairness audit with 1,000 bootstrap
/// resamples, reweighted cross-validation and its audit. Baseline, side by side: one plain IRLS
/// Poisson fit of the same data.
/// </summary>
internal static class ModelsBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var territories = int.Parse(Arguments.Option(args, "--territories") ?? "35000", CultureInfo.InvariantCulture);
        var periods = int.Parse(Arguments.Option(args, "--periods") ?? "1", CultureInfo.InvariantCulture);
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", "models.json");
        var (matrix, weights) = Simulate(territories, periods);
        var spec = new ModelSpecification("benchmark_national", new("Banc d'essai national", "National benchmark"), new("Mesure", "Measurement"),
            "simulated", "commune", ExposureKind.Expected, ["pm25", "no2", "fdep"],
            ["deprivation_quintile", "density_class", "territory_type", "density_class*deprivation_quintile"], 0.10, 5, 42);
        Console.WriteLine($"{territories:N0} territories × {periods} period(s) = {matrix.Rows.Count:N0} rows, {matrix.FeatureNames.Count} features");

        var baseline = Stopwatch.StartNew();
        var glm = PoissonGlm.Fit(["(intercept)", .. matrix.FeatureNames], matrix.Rows.Select(r => (double[])[1, .. r.Features]).ToList(),
            matrix.Rows.Select(r => (double)r.Observed).ToList(), matrix.Rows.Select(r => Math.Log(r.Exposure)).ToList());
        baseline.Stop();

        // Each step lasts until the next begins, as in a training run's progress.
        var steps = new List<(string Step, TimeSpan Start)>();
        var pipeline = Stopwatch.StartNew();
        var analysis = ModelTraining.Analyse(spec, matrix, weights, step => steps.Add((step, pipeline.Elapsed)));
        pipeline.Stop();
        var stepSeconds = steps.Select((s, k) => (s.Step, Seconds: ((k + 1 < steps.Count ? steps[k + 1].Start : pipeline.Elapsed) - s.Start).TotalSeconds)).ToList();
        using var process = Process.GetCurrentProcess();
        var peak = process.PeakWorkingSet64 / (1024.0 * 1024.0);
        var planted = analysis.Report.Group("density_class × deprivation_quintile", "rural × 5").Metric(Analytics.Models.Fairness.FairnessMetric.Calibration);

        Console.WriteLine($"baseline: one IRLS Poisson fit          {baseline.Elapsed.TotalSeconds,8:F2} s");
        Console.WriteLine($"ours: CV ×3 trainers + fits + audit ×2 {pipeline.Elapsed.TotalSeconds,8:F2} s  ({pipeline.Elapsed / baseline.Elapsed:F1}× the baseline)");
        foreach (var (step, seconds) in stepSeconds)
            Console.WriteLine($"  {step,-37}{seconds,8:F2} s");
        Console.WriteLine($"peak working set                        {peak,8:F0} MiB");
        Console.WriteLine($"champion {analysis.Decision.Champion} ({analysis.Decision.Reason}); audit {analysis.Report.Overall}, reweighted {analysis.MitigatedReport.Overall}; "
            + $"planted group calibration ratio {planted.Ratio:F3} [{planted.RatioInterval?.Lower:F3}, {planted.RatioInterval?.Upper:F3}] {planted.Verdict}");
        Console.WriteLine(pipeline.Elapsed < TimeSpan.FromMinutes(2) ? "goal (< 2 min) met" : "goal (< 2 min) MISSED");

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            territories, periods, rows = matrix.Rows.Count, baselineSeconds = baseline.Elapsed.TotalSeconds, pipelineSeconds = pipeline.Elapsed.TotalSeconds,
            ratio = pipeline.Elapsed / baseline.Elapsed, steps = stepSeconds.ToDictionary(s => s.Step, s => s.Seconds), peakMiB = peak, champion = analysis.Decision.Champion.ToString(), glmIterations = glm.Iterations,
            plantedCalibrationRatio = planted.Ratio, measuredAt = DateTimeOffset.UtcNow,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {output}");
        return Task.FromResult(0);
    }

    /// <summary>A square grid of communes 4 km apart with rook neighbours, and counts drawn from a known model.</summary>
    private static (FeatureMatrix.Data Matrix, SpatialWeights Weights) Simulate(int territories, int periods)
    {
        var random = new SeededRandom(42);
        var side = (int)Math.Ceiling(Math.Sqrt(territories));
        var rows = new List<MatrixRow>();
        var fdep = new double[territories];
        var population = new double[territories];
        for (var i = 0; i < territories; i++)
        {
            var (x, y) = (i % side, i / side);
            fdep[i] = Math.Sin(x / 17.0) + Math.Cos(y / 23.0) + random.NextGaussian(0, 0.5);
            population[i] = Math.Round(random.NextLogNormal(Math.Log(600), 1.2)) + 20;
        }
        var quintileCut = fdep.Order().Where((_, k) => k % (territories / 5) == 0).Skip(1).Take(4).ToArray();
        for (var p = 0; p < periods; p++)
            for (var i = 0; i < territories; i++)
            {
                var (x, y) = (i % side, i / side);
                var pm25 = 10 + 3 * Math.Sin(x / 31.0) * Math.Cos(y / 29.0) + random.NextGaussian(0, 0.3);
                var no2 = 20 + 8 * Math.Cos(x / 13.0 + y / 19.0) + random.NextGaussian(0, 1);
                var quintile = 1 + quintileCut.Count(c => fdep[i] >= c);
                var density = population[i] < 1_000 ? "rural" : population[i] < 5_000 ? "intermediate" : "urban";
                var overseas = y >= side - 3; // a strip standing for the overseas départements
                var expected = population[i] * 0.002; // the reference rate applied to the population: the offset
                var mu = expected * Math.Exp(0.03 * (pm25 - 10) + 0.012 * (no2 - 20) + 0.15 * fdep[i]);
                var recorded = (long)random.NextPoisson(mu * (density == "rural" && quintile == 5 ? 0.6 : 1));
                rows.Add(new MatrixRow(i + 1, i.ToString("D5", CultureInfo.InvariantCulture), (2019 + p).ToString(CultureInfo.InvariantCulture), recorded,
                    population[i], expected, [pm25, no2, fdep[i]],
                    new Dictionary<string, string>
                    {
                        ["deprivation_quintile"] = quintile.ToString(CultureInfo.InvariantCulture), ["density_class"] = density,
                        ["territory_type"] = overseas ? "overseas" : "mainland",
                    }, 100_000 + x * 4_000.0, 6_000_000 + y * 4_000.0));
            }
        IReadOnlyList<IReadOnlyList<int>> neighbours = Enumerable.Range(0, territories).Select(i =>
        {
            var (x, y) = (i % side, i / side);
            return (IReadOnlyList<int>)new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) }
                .Where(c => c.Item1 >= 0 && c.Item1 < side && c.Item2 >= 0).Select(c => c.Item2 * side + c.Item1).Where(j => j < territories).ToList();
        }).ToList();
        var matrix = new FeatureMatrix.Data(0, new string('0', 64), ["pm25", "no2", "fdep"], [], rows, new Dictionary<string, int>());
        return (matrix, SpatialWeights.FromNeighbours(neighbours, WeightStyle.RowStandardised));
    }
}
