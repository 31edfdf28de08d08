using System.Text.Json;
using Analytics.Models.Spatial;

namespace Analytics.Models.Tests.Spatial;

/// <summary>The North Carolina SIDS fixture (Cressie &amp; Read 1985), read once.</summary>
internal static class NorthCarolinaSids
{
    private static readonly Lazy<JsonElement> Root = new(() => GoldenFile.Read("Spatial/Golden/nc_sids.json"));

    public static JsonElement Expected => Root.Value.GetProperty("expected");

    public static JsonElement Spdep => Expected.GetProperty("spdep");

    private static IEnumerable<JsonElement> Counties => Root.Value.GetProperty("counties").EnumerateArray();

    public static long[] Deaths74 => Counties.Select(c => c.GetProperty("sid74").GetInt64()).ToArray();

    public static double[] Births74 => Counties.Select(c => c.GetProperty("bir74").GetDouble()).ToArray();

    public static long[] Deaths79 => Counties.Select(c => c.GetProperty("sid79").GetInt64()).ToArray();

    public static double[] Births79 => Counties.Select(c => c.GetProperty("bir79").GetDouble()).ToArray();

    /// <summary>Deaths per 1,000 births, 1974–78.</summary>
    public static double[] Rate74 => Deaths74.Zip(Births74, (d, b) => 1000 * d / b).ToArray();

    public static double[] GeoDaRate74 => Counties.Select(c => c.GetProperty("sidr74").GetDouble()).ToArray();

    public static SpatialWeights Queen(WeightStyle style) => Weights("queen", style);

    public static SpatialWeights GeoDaContiguity(WeightStyle style) => Weights("geoda_sids2", style);

    private static SpatialWeights Weights(string name, WeightStyle style) =>
        SpatialWeights.FromNeighbours(Root.Value.GetProperty(name).EnumerateArray().Select(l => (IReadOnlyList<int>)l.Ints()).ToArray(), style);
}
