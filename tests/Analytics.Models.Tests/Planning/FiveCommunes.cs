using System.Globalization;
using Analytics.Models.Planning;

namespace Analytics.Models.Tests.Planning;

/// <summary>
/// The planning tests' worked example: five communes whose numbers are small enough to follow by hand.
/// </summary>
/// <remarks>
/// <code>
/// code  population   E      μ     90% PI   (hi−lo)/μ  excess  SIR    quintile  density       overseas  GP    fdep
/// A     50,000       40     50    [39, 62]  0.46      10      1.25   2         urban         no        5.0   0.5
/// B     30,000       20     28    [20, 37]  0.61       8      1.40   5         intermediate  no        3.0   1.8
/// C        400        0.144  0.24 [0, 1]    4.17       0.096  1.667  3         rural         no        2.0   0.2
/// D     80,000       60     69    [56, 83]  0.39       9      1.15   1         urban         no        6.0  −1.4
/// E     20,000       10     15    [9, 22]   0.87       5      1.50   unknown   unknown       yes       —     —
/// total 180,400
/// </code>
/// The intervals are exact Poisson 90% intervals (qpois(c(0.05, 0.95), μ)). C is the tiny commune with the
/// highest SIR and a tenth of an excess case; its interval is 4.17 times its mean, so it is too uncertain.
/// </remarks>
internal static class FiveCommunes
{
    public static IReadOnlyList<PlanningTerritory> All { get; } =
    [
        Make("A", 50_000, 40, 50, 39, 62, 2, "urban", false, 5.0, ("fdep", 0.5), ("pm25_annual", 12)),
        Make("B", 30_000, 20, 28, 20, 37, 5, "intermediate", false, 3.0, ("fdep", 1.8), ("pm25_annual", 9)),
        Make("C", 400, 0.144, 0.24, 0, 1, 3, "rural", false, 2.0, ("fdep", 0.2), ("pm25_annual", 6)),
        Make("D", 80_000, 60, 69, 56, 83, 1, "urban", false, 6.0, ("fdep", -1.4), ("pm25_annual", 14)),
        Make("E", 20_000, 10, 15, 9, 22, null, null, true, null),
    ];

    public static PlanningTerritory Make(
        string code, double population, double expected, double predicted, long low, long high,
        int? quintile = null, string? density = null, bool overseas = false, double? gp = null,
        params (string Key, double Value)[] factors) =>
        new(code, "Commune " + code, population, expected, predicted, low, high, quintile, density, overseas, gp,
            factors.ToDictionary(f => f.Key, f => f.Value));

    /// <summary>The same items in another order: reversed, then rotated by two.</summary>
    public static List<T> Shuffled<T>(IReadOnlyList<T> items)
    {
        var reversed = items.Reverse().ToList();
        return reversed.Skip(2).Concat(reversed.Take(2)).ToList();
    }

    /// <summary>Round-trip text of a number, for comparing results bit for bit.</summary>
    public static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
