using Analytics.Models.Fairness;
using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Fairness;

/// <summary>
/// A known generating model: territories with a density class, a deprivation quintile and a population; true
/// expected cases E = P × 500/100,000 × exp(0.1 × (quintile − 3)); recorded counts Poisson(E), then thinned to
/// <c>recordedShare</c> (binomial) in rural territories of quintile 5 — the demo world's planted under-ascertainment.
/// </summary>
internal sealed record SimulatedWorld(
    IReadOnlyList<string> Density,
    IReadOnlyList<int> Quintile,
    IReadOnlyList<double> Population,
    IReadOnlyList<double> TrueExpected,
    IReadOnlyList<long> Recorded)
{
    public const double BaseRatePer100k = 500;
    public const double DeprivationLogRateRatio = 0.1;

    public int Count => Population.Count;

    public bool IsTargeted(int i) => Density[i] == "rural" && Quintile[i] == 5;

    public static SimulatedWorld Generate(int territories, ulong seed, double recordedShare = 0.6)
    {
        var random = SeededRandom.Derive(seed, "fairness world");
        var density = new string[territories];
        var quintile = new int[territories];
        var population = new double[territories];
        var expected = new double[territories];
        var recorded = new long[territories];
        for (var i = 0; i < territories; i++)
        {
            var u = random.NextDouble();
            density[i] = u < 0.2 ? "urban" : u < 0.5 ? "intermediate" : "rural";
            quintile[i] = 1 + random.NextInt(5);
            var median = density[i] switch { "urban" => 20_000.0, "intermediate" => 5_000.0, _ => 1_500.0 };
            population[i] = Math.Round(median * random.NextLogNormal(0, 0.5));
            expected[i] = population[i] * BaseRatePer100k / 100_000 * Math.Exp(DeprivationLogRateRatio * (quintile[i] - 3));
            var cases = random.NextPoisson(expected[i]);
            recorded[i] = density[i] == "rural" && quintile[i] == 5 ? random.NextBinomial(cases, recordedShare) : cases;
        }
        return new SimulatedWorld(density, quintile, population, expected, recorded);
    }

    /// <summary>Audit inputs for a model whose predictions are <paramref name="predicted"/>; priority lists of the top 10% by rate.</summary>
    public List<TerritoryOutcome> Outcomes(IReadOnlyList<double> predicted)
    {
        var selected = PriorityList.TopShare(Enumerable.Range(0, Count).Select(i => predicted[i] / Population[i]).ToArray(), 0.10);
        var actual = PriorityList.TopShare(Enumerable.Range(0, Count).Select(i => Recorded[i] / Population[i]).ToArray(), 0.10);
        return Enumerable.Range(0, Count)
            .Select(i => new TerritoryOutcome(
                $"T{i:D5}", Recorded[i], predicted[i], Population[i], selected[i], actual[i],
                new Dictionary<string, string>
                {
                    [FairnessDimensions.DensityClass] = Density[i],
                    [FairnessDimensions.DeprivationQuintile] = Quintile[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                }))
            .ToList();
    }
}
