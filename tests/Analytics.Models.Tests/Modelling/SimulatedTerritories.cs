using Analytics.Models.Modelling;
using Analytics.Models.Randomness;

namespace Analytics.Models.Tests.Modelling;

/// <summary>
/// A known generating model for the risk-model tests: territories on a square grid (1 km apart),
/// log μ = log(population) + β₀ + Σ βⱼ xⱼ + uᵢ with uᵢ ~ N(0, σ²) extra-Poisson noise (σ = 0: pure
/// Poisson), y ~ Poisson(μ); populations log-normal (sd 1.2 on the log scale) around a median. Features on different scales so that reporting on the original units is
/// exercised: pm25 ≈ 10 ± 3 (smooth west–east gradient plus noise), deprivation ≈ N(0, 1), and
/// "noise" ≈ 50 ± 10, which has no effect.
/// </summary>
internal static class SimulatedTerritories
{
    public static readonly string[] FeatureNames = ["pm25", "deprivation", "noise"];

    public const double Intercept = -7.0; // about 91 per 100,000 at the features' zero

    public static readonly double[] Beta = [0.04, 0.2, 0.0];

    /// <summary>Blocks are 5 × 5 km cells of the grid.</summary>
    public const double BlockSize = 5_000;

    public static ModelDataset Create(int side, ulong seed, double extraPoissonSd = 0, int periods = 1, double medianPopulation = 3_000)
    {
        var random = SeededRandom.Derive(seed, "territories");
        var draws = SeededRandom.Derive(seed, "cases");
        var centroids = new List<(string Territory, double X, double Y)>();
        var territories = new List<(string Code, double Population, double[] Features, double U)>();
        for (var i = 0; i < side; i++)
            for (var j = 0; j < side; j++)
            {
                var code = $"T{i:D3}{j:D3}";
                centroids.Add((code, i * 1_000.0 + 500, j * 1_000.0 + 500));
                var features = new[] { 10 + 6.0 * i / side - 3 + 2 * random.NextGaussian(), random.NextGaussian(), 50 + 10 * random.NextGaussian() };
                territories.Add((code, Math.Round(random.NextLogNormal(Math.Log(medianPopulation), 1.2)) + 20, features, extraPoissonSd * random.NextGaussian()));
            }
        var blocks = SpatialBlocks.Grid(centroids, BlockSize);

        var rows = new List<ModelRow>();
        for (var period = 0; period < periods; period++)
            foreach (var (code, population, features, u) in territories)
            {
                var mu = population * Math.Exp(Intercept + Beta.Select((b, k) => b * features[k]).Sum() + u);
                rows.Add(new ModelRow(code, $"{2019 + period}", blocks[code], draws.NextPoisson(mu), population, null, features));
            }
        return ModelDataset.Create(FeatureNames, rows);
    }
}
