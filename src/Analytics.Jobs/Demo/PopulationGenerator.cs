using Analytics.Models.Randomness;

namespace Analytics.Jobs.Demo;

/// <summary>
/// People and living conditions by commune: heavy-tailed populations peaking at town centres,
/// density classes, age and sex structure, and an FDep-like deprivation index with the income,
/// unemployment and GP accessibility that go with it.
/// </summary>
internal static class PopulationGenerator
{
    // Shares of the five age bands (0-14, 15-44, 45-64, 65-74, 75+) and how density and overseas shift them.
    private static readonly double[] BaseAgeShares = [0.17, 0.36, 0.26, 0.11, 0.10];
    private static readonly double[] UrbanShift = [0.01, 0.06, -0.02, -0.02, -0.03];
    private static readonly double[] RuralShift = [0.0, -0.05, 0.01, 0.02, 0.02];
    private static readonly double[] OverseasShift = [0.05, 0.03, -0.03, -0.03, -0.02];
    private static readonly double[] FemaleShare = [0.488, 0.505, 0.512, 0.528, 0.62];

    // INSEE density-grid thresholds (inhabitants per km² and cluster population).
    private const double DenseDensity = 1_500, DenseClusterPopulation = 50_000;
    private const double IntermediateDensity = 300, IntermediateClusterPopulation = 5_000;

    public static void Populate(DemoScale scale, DemoLayout layout, ulong seed)
    {
        var communes = layout.Communes;
        var random = SeededRandom.Derive(seed, "population");
        AssignPopulation(scale, layout, random);
        AssignDensityClasses(communes);
        AssignAgeSex(communes, random);
        AssignLivingConditions(communes, random);
        var spatial = CommuneFields.Smooth(communes, SeededRandom.Derive(seed, "spatial-effect"), rounds: 5);
        for (var i = 0; i < communes.Count; i++)
            communes[i].SpatialEffect = HealthModel.SpatialEffectSd * spatial[i];
    }

    private static void AssignPopulation(DemoScale scale, DemoLayout layout, SeededRandom random)
    {
        for (var b = 0; b < scale.Blocks.Count; b++)
        {
            var block = scale.Blocks[b];
            var members = layout.Communes.Where(c => c.Block == b).ToArray();
            var towns = layout.Towns.Where(t => t.Block == b).ToArray();
            var raw = new double[members.Length];
            for (var i = 0; i < members.Length; i++)
            {
                var centre = members[i].Centre;
                var density = random.NextLogNormal(Math.Log(block.Overseas ? 100 : 28), 0.45);
                foreach (var town in towns)
                {
                    // Peak density grows with town size up to a Paris-like 20,000/km²; bigger towns then grow by reach (radius).
                    var sigma = 0.9 * town.Radius;
                    var dx = centre.X - town.Centre.X;
                    var dy = centre.Y - town.Centre.Y;
                    var d2 = dx * dx + dy * dy;
                    if (d2 < 16 * sigma * sigma)
                        density += Math.Min(20_000, 700 * Math.Pow(town.Size, 0.6)) * Math.Exp(-d2 / (2 * sigma * sigma));
                }
                raw[i] = density * members[i].AreaKm2;
            }
            var factor = block.Population / raw.Sum();
            for (var i = 0; i < members.Length; i++)
                members[i].ReferencePopulation = Math.Max(25, (long)Math.Round(raw[i] * factor));
        }
    }

    /// <summary>
    /// INSEE's grid classes a commune by the 1 km cells its people live in and the clusters those
    /// cells form. Simplified here: the "cluster" is the commune with its contiguous neighbours.
    /// Urban: own density ≥ 1,500/km² and cluster ≥ 50,000 inhabitants. Intermediate: own density
    /// ≥ 300/km² and cluster ≥ 5,000. Rural: the rest.
    /// </summary>
    private static void AssignDensityClasses(IReadOnlyList<DemoCommune> communes)
    {
        foreach (var c in communes)
        {
            var density = c.ReferencePopulation / c.AreaKm2;
            var cluster = c.ReferencePopulation + c.Neighbours.Sum(n => communes[n].ReferencePopulation);
            c.DensityClass = density >= DenseDensity && cluster >= DenseClusterPopulation ? DensityClass.Urban
                : density >= IntermediateDensity && cluster >= IntermediateClusterPopulation ? DensityClass.Intermediate
                : DensityClass.Rural;
        }
    }

    private static void AssignAgeSex(IReadOnlyList<DemoCommune> communes, SeededRandom random)
    {
        var years = DemoWorld.Years;
        foreach (var c in communes)
        {
            var shift = c.DensityClass switch { DensityClass.Urban => UrbanShift, DensityClass.Rural => RuralShift, _ => new double[5] };
            var shares = new double[5];
            for (var a = 0; a < 5; a++)
                shares[a] = Math.Max(0.02, BaseAgeShares[a] + shift[a] + (c.Overseas ? OverseasShift[a] : 0)) * random.NextLogNormal(0, 0.08);
            var growth = c.DensityClass switch { DensityClass.Urban => 0.006, DensityClass.Intermediate => 0.004, _ => 0.001 } + random.NextGaussian(0, 0.003);
            var population = new long[years.Count, 2, 5];
            for (var y = 0; y < years.Count; y++)
            {
                var total = (long)Math.Round(c.ReferencePopulation * Math.Pow(1 + growth, years[y] - DemoWorld.ReferenceYear));
                var bands = LargestRemainder(total, shares);
                for (var a = 0; a < 5; a++)
                {
                    var female = (long)Math.Round(bands[a] * FemaleShare[a]);
                    population[y, (int)Sex.M, a] = bands[a] - female;
                    population[y, (int)Sex.F, a] = female;
                }
            }
            c.Population = population;
        }
    }

    private static void AssignLivingConditions(IReadOnlyList<DemoCommune> communes, SeededRandom random)
    {
        // Deprivation: a smooth regional field, plus deprived urban cores and remote rural pockets, higher overseas (as FDep is).
        var field = CommuneFields.Smooth(communes, random, rounds: 6);
        var pocket = CommuneFields.Smooth(communes, random, rounds: 2);
        var raw = new double[communes.Count];
        for (var i = 0; i < communes.Count; i++)
        {
            var c = communes[i];
            raw[i] = 0.8 * field[i]
                + (c.DensityClass == DensityClass.Urban ? 0.5 : 0)
                + (c.DensityClass == DensityClass.Rural ? 0.35 * Math.Max(0, pocket[i]) : 0)
                + (c.Overseas ? 1.6 : 0)
                + random.NextGaussian(0, 0.25);
        }
        var deprivation = CommuneFields.Standardise(raw);
        var quintiles = CommuneFields.Classes(deprivation, [0.2, 0.4, 0.6, 0.8]);
        for (var i = 0; i < communes.Count; i++)
        {
            var c = communes[i];
            c.Deprivation = deprivation[i];
            c.DeprivationQuintile = quintiles[i];
            var urbanBonus = c.DensityClass == DensityClass.Urban ? 0.05 : 0;
            c.MedianIncomeEur = 22_500 * Math.Exp(-0.13 * deprivation[i] + urbanBonus + random.NextGaussian(0, 0.05));
            c.UnemploymentRate = 1 / (1 + Math.Exp(-(-2.35 + 0.4 * deprivation[i] + random.NextGaussian(0, 0.15))));
            var apl = c.DensityClass switch { DensityClass.Urban => 4.2, DensityClass.Intermediate => 3.6, _ => 2.8 };
            c.GpAccessibility = apl * Math.Exp(-0.05 * deprivation[i] + random.NextGaussian(0, 0.2));
        }
    }

    private static long[] LargestRemainder(long total, double[] shares)
    {
        var sum = shares.Sum();
        var exact = shares.Select(s => total * s / sum).ToArray();
        var result = exact.Select(e => (long)Math.Floor(e)).ToArray();
        var order = Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).ToArray();
        for (var i = 0; result.Sum() < total; i++)
            result[order[i % order.Length]]++;
        return result;
    }
}
