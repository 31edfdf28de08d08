using Analytics.Models.Randomness;

namespace Analytics.Models.Modelling;

/// <summary>
/// Global permutation importance (Breiman 2001, "Random forests", Machine Learning 45:5–32; Fisher,
/// Rudin &amp; Dominici 2019, JMLR 20(177)): how much the mean Poisson deviance on held-out rows rises
/// when one feature's values are shuffled among those rows, breaking its link with the outcome while
/// keeping its distribution. Seeded: the same model, data and seed give the same numbers.
/// </summary>
public static class PermutationImportance
{
    /// <summary>Importance of every feature of a model on held-out rows.</summary>
    /// <param name="model">A trained model.</param>
    /// <param name="heldOut">Rows the model was not trained on.</param>
    /// <param name="repeats">Shuffles per feature; the result is their mean, with their standard deviation.</param>
    /// <param name="seed">Seed of the shuffles.</param>
    public static IReadOnlyList<FeatureImportance> Compute(IRiskModel model, ModelDataset heldOut, int repeats, ulong seed)
    {
        var increases = TotalIncreases(model, heldOut, repeats, seed, "permutation");
        return Summarise(model.FeatureNames, increases, heldOut.Count);
    }

    /// <summary>Increase of the total deviance, [feature][repeat], each shuffle drawn from the stream "<paramref name="stream"/>/feature/repeat".</summary>
    internal static double[][] TotalIncreases(IRiskModel model, ModelDataset heldOut, int repeats, ulong seed, string stream)
    {
        if (repeats < 1)
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "needs at least one shuffle per feature");
        var observed = heldOut.Rows.Select(r => r.Cases).ToArray();
        var baseline = ModelMetrics.MeanDeviance(observed, model.ExpectedCases(heldOut)) * heldOut.Count;
        var increases = new double[model.FeatureNames.Count][];
        for (var j = 0; j < increases.Length; j++)
        {
            increases[j] = new double[repeats];
            for (var r = 0; r < repeats; r++)
            {
                var values = heldOut.Rows.Select(row => row.Features[j]).ToArray();
                SeededRandom.Derive(seed, FormattableString.Invariant($"{stream}/{j}/{r}")).Shuffle(values);
                var permuted = heldOut.WithFeature(j, values);
                increases[j][r] = ModelMetrics.MeanDeviance(observed, model.ExpectedCases(permuted)) * heldOut.Count - baseline;
            }
        }
        return increases;
    }

    /// <summary>Per feature: mean and standard deviation over repeats of the total increase divided by <paramref name="rows"/>.</summary>
    internal static IReadOnlyList<FeatureImportance> Summarise(IReadOnlyList<string> names, double[][] totalIncreases, int rows) =>
        names.Select((name, j) =>
        {
            var perRow = totalIncreases[j].Select(v => v / rows).ToArray();
            var mean = perRow.Average();
            var sd = perRow.Length > 1 ? Math.Sqrt(perRow.Sum(v => (v - mean) * (v - mean)) / (perRow.Length - 1)) : double.NaN;
            return new FeatureImportance(name, mean, sd);
        }).ToArray();
}

/// <summary>A feature's permutation importance.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="DevianceIncrease">Mean rise of the mean Poisson deviance when the feature is shuffled (≈ 0: the model does not use it).</param>
/// <param name="StandardDeviation">Standard deviation of that rise over the shuffles (NaN with one shuffle).</param>
public sealed record FeatureImportance(string Feature, double DevianceIncrease, double StandardDeviation);
