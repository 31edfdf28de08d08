using Analytics.Models.Randomness;

namespace Analytics.Jobs.Demo;

/// <summary>True and recorded case counts, one cell per commune × year × condition × sex × age band.</summary>
public sealed class DemoHealth
{
    public required int[] TrueCases { get; init; }
    public required int[] RecordedCases { get; init; }

    /// <summary>Position of a cell in the count arrays.</summary>
    public static int Cell(int commune, int year, int condition, int sex, int age) =>
        (((commune * DemoWorld.Years.Count + year) * HealthModel.Conditions.Count + condition) * 2 + sex) * AgeBands.All.Count + age;
}

/// <summary>Draws the health counts from <see cref="HealthModel"/>, then plants the under-ascertainment bias.</summary>
internal static class HealthGenerator
{
    public static DemoHealth Generate(IReadOnlyList<DemoCommune> communes, DemoEnvironment environment, DemoOneHealth oneHealth, ulong seed)
    {
        var years = DemoWorld.Years.Count;
        var conditions = HealthModel.Conditions;
        var size = communes.Count * years * conditions.Count * 2 * AgeBands.All.Count;
        var trueCases = new int[size];
        var recorded = new int[size];
        var draws = SeededRandom.Derive(seed, "health/true");
        var thinning = SeededRandom.Derive(seed, "health/recorded");
        foreach (var c in communes)
        {
            var keep = HealthModel.IsUnderAscertained(c) ? HealthModel.UnderAscertainment : 1.0;
            for (var t = 0; t < years; t++)
                for (var k = 0; k < conditions.Count; k++)
                {
                    var linear = c.SpatialEffect;
                    foreach (var (name, beta) in conditions[k].Coefficients)
                        linear += beta * HealthModel.CovariateValue(name, c, t, environment, oneHealth);
                    for (var s = 0; s < 2; s++)
                        for (var a = 0; a < AgeBands.All.Count; a++)
                        {
                            var mean = c.Population[t, s, a] * conditions[k].BaselinePer100k[s, a] / 100_000 * Math.Exp(linear);
                            var cell = DemoHealth.Cell(c.Index, t, k, s, a);
                            trueCases[cell] = (int)draws.NextPoisson(mean);
                            recorded[cell] = (int)thinning.NextBinomial(trueCases[cell], keep);
                        }
                }
        }
        return new DemoHealth { TrueCases = trueCases, RecordedCases = recorded };
    }
}
