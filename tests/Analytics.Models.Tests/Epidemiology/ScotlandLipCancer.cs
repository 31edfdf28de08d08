using System.Text.Json;
using Analytics.Models.Spatial;

namespace Analytics.Models.Tests.Epidemiology;

/// <summary>The Scottish lip cancer fixture (Clayton &amp; Kaldor 1987), read once.</summary>
internal static class ScotlandLipCancer
{
    private static readonly Lazy<JsonElement> Root = new(() => GoldenFile.Read("Epidemiology/Golden/scotland_lip_cancer.json"));

    public static JsonElement Expected => Root.Value.GetProperty("expected");

    private static IEnumerable<JsonElement> Districts => Root.Value.GetProperty("districts").EnumerateArray();

    public static long[] Observed => Districts.Select(d => d.GetProperty("observed").GetInt64()).ToArray();

    public static double[] ExpectedCases => Districts.Select(d => d.GetProperty("expected").GetDouble()).ToArray();

    public static double[] Population => Districts.Select(d => d.GetProperty("population").GetDouble()).ToArray();

    /// <summary>Percentage of the workforce in agriculture, fishing and forestry (AFF).</summary>
    public static double[] AffPercent => Districts.Select(d => d.GetProperty("aff_pct").GetDouble()).ToArray();

    public static ScanArea[] ScanAreas => Districts.Select(d => new ScanArea(
        d.GetProperty("x").GetDouble(), d.GetProperty("y").GetDouble(), d.GetProperty("observed").GetInt64(),
        d.GetProperty("expected").GetDouble(), d.GetProperty("population").GetDouble())).ToArray();

    /// <summary>Each district's neighbours, 0-based (empty for the three islands: 5, 7, 10).</summary>
    public static int[][] Neighbours => Districts.Select(d => d.GetProperty("neighbours").Ints()).ToArray();

    public static SpatialWeights Weights(WeightStyle style) =>
        SpatialWeights.FromNeighbours(Neighbours.Select(n => (IReadOnlyList<int>)n).ToArray(), style);
}
