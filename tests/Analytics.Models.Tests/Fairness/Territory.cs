using Analytics.Models.Fairness;

namespace Analytics.Models.Tests.Fairness;

/// <summary>Short-hand for building audit inputs in tests.</summary>
internal static class Territory
{
    /// <summary>Policy with every minimum at its floor, for hand cases where the arithmetic is the point.</summary>
    public static readonly FairnessPolicy NoMinimums = new()
    {
        MinimumTerritories = 1,
        MinimumObservedCases = 0,
        MinimumDenominator = 1,
        BootstrapResamples = 200,
        Intersections = [],
    };

    public static TerritoryOutcome In(
        string group, long observed, double predicted, double exposure = 100_000,
        bool selected = false, bool actual = false, double? upper = null, string dimension = "zone", string? code = null) =>
        new(code ?? Guid.NewGuid().ToString("N"), observed, predicted, exposure, selected, actual,
            new Dictionary<string, string> { [dimension] = group }, upper);

    /// <summary><paramref name="count"/> identical territories: every bootstrap resample of them has the same sums.</summary>
    public static IEnumerable<TerritoryOutcome> Copies(int count, string group, long observed, double predicted) =>
        Enumerable.Range(0, count).Select(_ => In(group, observed, predicted));
}
