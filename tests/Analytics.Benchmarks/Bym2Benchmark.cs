using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Analytics.Models.Modelling;
using Analytics.Models.Modelling.Bym2;
using Analytics.Models.Randomness;
using Analytics.Testing;

namespace Analytics.Benchmarks;

/// <summary>
/// The BYM2 trainer at national scale beside the Poisson trainer: a square grid of communes 4 km apart
/// (rook neighbours, a strip of islands standing for coastal singletons), a smooth spatial field
/// correlated with PM2.5, counts from a known model; for each trainer, spatially blocked 5-fold
/// cross-validation and the final fit (BYM2: the final fit first, its hyperparameters then held by the
/// folds, as a training run does), with time and the process's peak working set after each.
/// </summary>
internal static class Bym2Benchmark
{
    private static readonly double[] Truth = [0.03, 0.15]; // per µg/m³ of PM2.5, per sd of deprivation

    public static Task<int> RunAsync(string[] args)
    {
        var territories = int.Parse(Arguments.Option(args, "--territories") ?? "35000", CultureInfo.InvariantCulture);
        var periods = int.Parse(Arguments.Option(args, "--periods") ?? "1", CultureInfo.InvariantCulture);
        var output = Arguments.Option(args, "--out") ?? Path.Combine(RepositoryFiles.Root, ".local", "benchmarks", $"bym2-{territories}x{periods}.json");
        var (data, graph) = Simulate(territories, periods);
        var folds = SpatialBlocks.AssignFolds(data, 5, 42);
        Console.WriteLine($"{territories:N0} territories ({graph.Singletons.Count():N0} islands, {graph.ComponentSizes.Count(s => s >= 2)} connected parts) × {periods} period(s) = {data.Count:N0} rows");

        using var process = Process.GetCurrentProcess();
        double PeakMiB()
        {
            process.Refresh();
            return process.PeakWorkingSet64 / (1024.0 * 1024.0);
        }

        var poissonClock = Stopwatch.StartNew();
        var poissonCv = SpatialCrossValidation.Run(data, folds, d => PoissonRiskModel.Train(d));
        var poisson = PoissonRiskModel.Train(data);
        poissonClock.Stop();
        var poissonPeak = PeakMiB();

        // As a training run does: the final fit integrates θ, the folds reuse its mode.
        var bym2Clock = Stopwatch.StartNew();
        var field = new Bym2Field(graph);
        var scaling = bym2Clock.Elapsed;
        var bym2 = Bym2RiskModel.Train(data, field);
        var fit = bym2Clock.Elapsed - scaling;
        var bym2Cv = SpatialCrossValidation.Run(data, folds, d => Bym2RiskModel.Train(d, field, bym2.Theta));
        bym2Clock.Stop();
        var cv = bym2Clock.Elapsed - scaling - fit;
        var bym2Peak = PeakMiB();

        Console.WriteLine($"baseline: Poisson, 5-fold CV + fit     {poissonClock.Elapsed.TotalSeconds,8:F1} s   peak {poissonPeak,6:F0} MiB   out-of-fold deviance {poissonCv.Pooled.MeanPoissonDeviance:F4}");
        Console.WriteLine($"ours: BYM2, 5-fold CV + fit             {bym2Clock.Elapsed.TotalSeconds,8:F1} s   peak {bym2Peak,6:F0} MiB   out-of-fold deviance {bym2Cv.Pooled.MeanPoissonDeviance:F4}");
        Console.WriteLine($"  of which scaling {scaling.TotalSeconds:F1} s, final fit {fit.TotalSeconds:F1} s, cross-validation {cv.TotalSeconds:F1} s; {bym2Clock.Elapsed / poissonClock.Elapsed:F1}× the baseline");
        foreach (var (name, truth) in new[] { ("pm25", Truth[0]), ("fdep", Truth[1]) })
            Console.WriteLine(FormattableString.Invariant(
                $"  {name}: truth {truth}  Poisson {poisson.Coefficient(name).Estimate:F4} ± {poisson.Coefficient(name).StandardError:F4}  BYM2 {bym2.Coefficient(name).Estimate:F4} ± {bym2.Coefficient(name).StandardError:F4}"));
        Console.WriteLine(FormattableString.Invariant(
            $"  sigma {bym2.Hyperparameters[0].Mean:F3}, phi {bym2.Hyperparameters[1].Mean:F3}"));
        Console.WriteLine(bym2Clock.Elapsed < TimeSpan.FromMinutes(5) ? "goal (< 5 min) met" : "goal (< 5 min) MISSED");

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            territories, periods, rows = data.Count, poissonSeconds = poissonClock.Elapsed.TotalSeconds, poissonPeakMiB = poissonPeak,
            bym2Seconds = bym2Clock.Elapsed.TotalSeconds, bym2ScalingSeconds = scaling.TotalSeconds, bym2FitSeconds = fit.TotalSeconds, bym2CrossValidationSeconds = cv.TotalSeconds,
            bym2PeakMiB = bym2Peak, ratio = bym2Clock.Elapsed / poissonClock.Elapsed,
            poissonDeviance = poissonCv.Pooled.MeanPoissonDeviance, bym2Deviance = bym2Cv.Pooled.MeanPoissonDeviance,
            pm25 = new { truth = Truth[0], poisson = poisson.Coefficient("pm25").Estimate, bym2 = bym2.Coefficient("pm25").Estimate },
            measuredAt = DateTimeOffset.UtcNow,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {output}");
        return Task.FromResult(0);
    }

    /// <summary>Grid communes; the spatial effect (sd 0.15) and PM2.5 are smooth fields with correlation 0.5, as place and pollution are.</summary>
    private static (ModelDataset Data, AreaGraph Graph) Simulate(int territories, int periods)
    {
        var random = new SeededRandom(42);
        var side = (int)Math.Ceiling(Math.Sqrt(territories));
        // Every 50th commune of the first row is an island: no neighbours.
        bool IsIsland(int i) => i < side && i % 50 == 25;
        var neighbours = Enumerable.Range(0, territories).Select(i =>
        {
            if (IsIsland(i))
                return (IReadOnlyList<int>)[];
            var (x, y) = (i % side, i / side);
            return [.. new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) }
                .Where(c => c.Item1 >= 0 && c.Item1 < side && c.Item2 >= 0).Select(c => c.Item2 * side + c.Item1)
                .Where(j => j < territories && !IsIsland(j))];
        }).ToArray();
        var codes = Enumerable.Range(0, territories).Select(i => i.ToString("D5", CultureInfo.InvariantCulture)).ToArray();
        var graph = AreaGraph.Create(codes, neighbours);

        var field = SmoothField(random, neighbours);
        var own = SmoothField(random, neighbours);

        var population = Enumerable.Range(0, territories).Select(_ => Math.Round(random.NextLogNormal(Math.Log(600), 1.2)) + 20).ToArray();
        var fdep = Enumerable.Range(0, territories).Select(i => Math.Sin(i % side / 17.0) + Math.Cos(i / side / 23.0) + random.NextGaussian(0, 0.5)).ToArray();
        var rows = new List<ModelRow>();
        for (var p = 0; p < periods; p++)
            for (var i = 0; i < territories; i++)
            {
                var pm25 = 10 + 2 * (0.5 * field[i] + 0.87 * own[i]) + random.NextGaussian(0, 0.5);
                var expected = population[i] * 0.002;
                var mu = expected * Math.Exp(Truth[0] * (pm25 - 10) + Truth[1] * fdep[i] + 0.15 * field[i]);
                var (x, y) = (i % side, i / side);
                rows.Add(new ModelRow(codes[i], (2019 + p).ToString(CultureInfo.InvariantCulture), $"{x / 5}:{y / 5}", random.NextPoisson(mu),
                    population[i], expected, [pm25, fdep[i]]));
            }
        return (ModelDataset.Create(["pm25", "fdep"], rows), graph);
    }

    // White noise smoothed by 5 rounds of neighbour averaging, standardised.
    private static double[] SmoothField(SeededRandom random, IReadOnlyList<int>[] neighbours)
    {
        var field = neighbours.Select(_ => random.NextGaussian()).ToArray();
        for (var round = 0; round < 5; round++)
            field = [.. field.Select((v, i) => (v + neighbours[i].Sum(j => field[j])) / (1 + neighbours[i].Count))];
        var (mean, sd) = (field.Average(), Math.Sqrt(field.Select(v => v * v).Average() - field.Average() * field.Average()));
        return [.. field.Select(v => (v - mean) / sd)];
    }
}
