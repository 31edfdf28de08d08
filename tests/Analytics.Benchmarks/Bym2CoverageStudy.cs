using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Analytics.Jobs.Demo;
using Analytics.Jobs.Training;
using Analytics.Models.Modelling;
using Analytics.Models.Modelling.Bym2;
using Analytics.Testing;

namespace Analytics.Benchmarks;

/// <summary>
/// How often the BYM2 and Poisson models' intervals hold the demo world's true coefficients, over many worlds: the
/// generator's model (smooth spatial effect, sd 0.1) drawn again with each seed, each world's TRUE counts fitted with
/// the spatial effect unknown, expected cases from the baseline rates alone, as <c>Bym2DemoTruthTests</c> does for
/// seed 42. A 95% interval that is honest holds the truth in about 95% of worlds; the eleven coefficients' Bonferroni
/// intervals hold all of them together in at least 95%. One world is one draw: this is what says whether a miss on
/// seed 42 is chance or bias. Rows are blocked as training blocks them (20 km squares, <c>--block-km</c> to change), so
/// BYM2's reported standard errors are the larger of its posterior and block-robust ones; the posterior's alone are
/// tallied beside them.
/// </summary>
internal static class Bym2CoverageStudy
{
    public static Task<int> RunAsync(string[] args)
    {
        var worlds = int.Parse(Arguments.Option(args, "--worlds") ?? "20", CultureInfo.InvariantCulture);
        var first = ulong.Parse(Arguments.Option(args, "--first-seed") ?? "1", CultureInfo.InvariantCulture);
        var scale = DemoScale.Parse(Arguments.Option(args, "--scale") ?? "region");
        var effect = Arguments.Option(args, "--effect") ?? "demo";
        if (effect is not ("demo" or "bym2"))
            throw new ArgumentException($"--effect is demo (the generator's smoothed field) or bym2 (a draw from the model's own prior), not {effect}");
        var output = Arguments.Option(args, "--out") ?? Path.Combine(Analytics.Testing.RepositoryFiles.Root, ".local", "benchmarks", $"bym2-coverage-{scale.Name}-{effect}.json");

        var names = HealthModel.Conditions.SelectMany(c => c.Coefficients.Keys.Select(k => $"{c.Key}.{k}")).ToArray();
        var bonferroni = 1 - 0.05 / names.Length;
        var tally = new Dictionary<string, Tally> { ["Posterior"] = new(names), ["BYM2"] = new(names), ["Poisson"] = new(names) };
        var blockKm = double.Parse(Arguments.Option(args, "--block-km") ?? (ModelTraining.BlockSizeMetres / 1000).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        for (var seed = first; seed < first + (ulong)worlds; seed++)
        {
            var world = DemoWorldGenerator.Generate(seed, scale);
            var graph = AreaGraph.Create([.. world.Communes.Select(c => c.Code)], [.. world.Communes.Select(c => (IReadOnlyList<int>)c.Neighbours)]);
            var field = new Bym2Field(graph);
            var draw = effect == "bym2" ? new Bym2Draw(graph, seed) : null;
            var fits = new Dictionary<string, List<(string Name, ModelCoefficient Coefficient, double Truth)>> { ["Posterior"] = [], ["BYM2"] = [], ["Poisson"] = [] };
            var blocks = SpatialBlocks.Grid([.. world.Communes.Select(c => (c.Code, c.Centre.X, c.Centre.Y))], blockKm * 1000);
            for (var k = 0; k < HealthModel.Conditions.Count; k++)
            {
                var condition = HealthModel.Conditions[k];
                var raw = draw?.Counts(world, k) ?? TrueCounts(world, k);
                var data = ModelDataset.Create(raw.FeatureNames, [.. raw.Rows.Select(r => r with { Block = blocks[r.Territory] })]);
                var bym2 = Bym2RiskModel.Train(data, field);
                var poisson = PoissonRiskModel.Train(data);
                foreach (var (name, truth) in condition.Coefficients)
                {
                    fits["BYM2"].Add(($"{condition.Key}.{name}", bym2.Coefficient(name), truth));
                    fits["Poisson"].Add(($"{condition.Key}.{name}", poisson.Coefficient(name), truth));
                    fits["Posterior"].Add(($"{condition.Key}.{name}", ModelCoefficient.Find(bym2.PosteriorCoefficients, name), truth));
                }
            }
            foreach (var (model, coefficients) in fits)
                tally[model].Add(coefficients, bonferroni);
            Console.WriteLine(FormattableString.Invariant(
                $"world {seed}: BYM2 misses {tally["BYM2"].LastMisses} (Bonferroni; posterior alone {tally["Posterior"].LastMisses}), Poisson {tally["Poisson"].LastMisses}  [{clock.Elapsed.TotalMinutes:F1} min]"));
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"{worlds} {scale.Name} worlds (seeds {first}–{first + (ulong)worlds - 1}), true counts, spatial effect unknown ({(effect == "demo" ? "the generator's smoothed field" : $"drawn from the BYM2 prior, sigma {Bym2Draw.Sigma}, phi {Bym2Draw.Phi}")})"));
        Console.WriteLine(FormattableString.Invariant($"blocks of {blockKm} km; BYM2: standard errors as reported (the larger of posterior and block-robust); posterior: the posterior sd alone"));
        Console.WriteLine("coefficient            truth   95% coverage: BYM2  posterior  Poisson   mean estimate: BYM2   Poisson");
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
            Console.WriteLine(FormattableString.Invariant(
                $"{name,-22} {tally["BYM2"].Truth[i],6:F3}   {tally["BYM2"].Covered[i] / (double)worlds,17:P0} {tally["Posterior"].Covered[i] / (double)worlds,10:P0} {tally["Poisson"].Covered[i] / (double)worlds,8:P0}   {tally["BYM2"].EstimateSum[i] / worlds,19:F4} {tally["Poisson"].EstimateSum[i] / worlds,9:F4}"));
        Console.WriteLine(FormattableString.Invariant(
            $"all eleven inside their Bonferroni intervals: BYM2 {tally["BYM2"].AllCovered} of {worlds} worlds (posterior alone {tally["Posterior"].AllCovered}), Poisson {tally["Poisson"].AllCovered} of {worlds} (honest: at least 95%)"));
        Console.WriteLine(FormattableString.Invariant(
            $"marginal 95% coverage over all coefficients: BYM2 {tally["BYM2"].Covered.Sum() / (double)(worlds * names.Length):P1} (posterior alone {tally["Posterior"].Covered.Sum() / (double)(worlds * names.Length):P1}), Poisson {tally["Poisson"].Covered.Sum() / (double)(worlds * names.Length):P1}"));

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, JsonSerializer.Serialize(new
        {
            scale = scale.Name, effect, worlds, firstSeed = first, coefficients = names,
            blockKm, bym2 = tally["BYM2"].Summary(worlds), posterior = tally["Posterior"].Summary(worlds), poisson = tally["Poisson"].Summary(worlds), minutes = clock.Elapsed.TotalMinutes, measuredAt = DateTimeOffset.UtcNow,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {output}");
        return Task.FromResult(0);
    }

    /// <summary>One condition's true counts per commune × year, expected cases from the baseline rates, the generator's covariates.</summary>
    private static ModelDataset TrueCounts(DemoWorld world, int condition)
    {
        var spec = HealthModel.Conditions[condition];
        var names = spec.Coefficients.Keys.ToArray();
        var rows = new List<ModelRow>();
        foreach (var commune in world.Communes)
            for (var t = 0; t < DemoWorld.Years.Count; t++)
            {
                double cases = 0, population = 0, expected = 0;
                for (var s = 0; s < 2; s++)
                    for (var a = 0; a < AgeBands.All.Count; a++)
                    {
                        cases += world.Health.TrueCases[DemoHealth.Cell(commune.Index, t, condition, s, a)];
                        population += commune.Population[t, s, a];
                        expected += commune.Population[t, s, a] * spec.BaselinePer100k[s, a] / 100_000;
                    }
                if (population > 0)
                    rows.Add(new ModelRow(commune.Code, DemoWorld.Years[t].ToString(CultureInfo.InvariantCulture), "all", cases, population, expected,
                        [.. names.Select(n => HealthModel.CovariateValue(n, commune, t, world.Environment, world.OneHealth))]));
            }
        return ModelDataset.Create(names, rows);
    }

    /// <summary>
    /// The well-specified case: the world's expected cases and covariates, but counts drawn with a spatial effect from
    /// BYM2's own prior (<see cref="Bym2PriorDraw"/>). Where the model is the truth, its 95% intervals must hold it in
    /// about 95% of draws; whatever they lack on the demo world is then the cost of the misspecified field, not of the
    /// approximation.
    /// </summary>
    private sealed class Bym2Draw(AreaGraph graph, ulong seed)
    {
        public const double Sigma = 0.2;
        public const double Phi = 0.8;

        private readonly Bym2PriorDraw _prior = new(graph);
        private readonly Analytics.Models.Randomness.SeededRandom _random = new(seed ^ 0x5EED_B2A2UL);

        /// <summary>Condition k's counts: Poisson(E · exp(Σ β x + b)), a new b for each condition.</summary>
        public ModelDataset Counts(DemoWorld world, int k)
        {
            var b = _prior.Draw(_random, Sigma, Phi);
            var condition = HealthModel.Conditions[k];
            var names = condition.Coefficients.Keys.ToArray();
            return ModelDataset.Create(names, [.. TrueCounts(world, k).Rows.Select(r =>
            {
                graph.TryIndexOf(r.Territory, out var a);
                var eta = names.Select((n, f) => condition.Coefficients[n] * r.Features[f]).Sum() + b[a];
                return r with { Cases = _random.NextPoisson(r.Exposure * Math.Exp(eta)) };
            })]);
        }
    }

    private sealed class Tally(string[] names)
    {
        public double[] Truth { get; } = new double[names.Length];
        public int[] Covered { get; } = new int[names.Length];
        public double[] EstimateSum { get; } = new double[names.Length];
        public int AllCovered { get; private set; }
        public int LastMisses { get; private set; }

        public void Add(List<(string Name, ModelCoefficient Coefficient, double Truth)> fits, double bonferroni)
        {
            LastMisses = 0;
            for (var i = 0; i < fits.Count; i++)
            {
                var (name, coefficient, truth) = fits[i];
                if (name != names[i])
                    throw new InvalidOperationException($"coefficient {i} is {name}, expected {names[i]}");
                Truth[i] = truth;
                EstimateSum[i] += coefficient.Estimate;
                var (lower, upper) = coefficient.Interval(0.95);
                if (truth >= lower && truth <= upper)
                    Covered[i]++;
                var (jointLower, jointUpper) = coefficient.Interval(bonferroni);
                if (truth < jointLower || truth > jointUpper)
                    LastMisses++;
            }
            if (LastMisses == 0)
                AllCovered++;
        }

        public object Summary(int worlds) => new
        {
            coverage95 = Covered.Select(c => c / (double)worlds).ToArray(), meanEstimate = EstimateSum.Select(s => s / worlds).ToArray(), truth = Truth,
            allInsideBonferroni = AllCovered,
        };
    }
}
