namespace Analytics.Models.Indices;

/// <summary>How the component scores become one score.</summary>
public enum Combination
{
    /// <summary>Burden score × characteristics score (CES): a territory must be high on both.</summary>
    Product,

    /// <summary>Burden score + characteristics score: one extreme side can make up for the other.</summary>
    Sum,

    /// <summary>Weighted geometric mean of the four components: a component at zero pulls the score to zero.</summary>
    GeometricMean,
}

/// <summary>One way of aggregating the index, for the robustness view.</summary>
public sealed record Aggregation(string Name, ComponentWeights Weights, Combination Combination)
{
    public static Aggregation CalEnviroScreen { get; } =
        new("CalEnviroScreen 4.0: burden × characteristics", ComponentWeights.CalEnviroScreen, Combination.Product);

    /// <summary>CES and the usual alternatives: additive, equal component weights, geometric mean.</summary>
    public static IReadOnlyList<Aggregation> Standard { get; } =
    [
        CalEnviroScreen,
        new("additive: burden + characteristics", ComponentWeights.CalEnviroScreen, Combination.Sum),
        new("equal component weights: burden × characteristics", ComponentWeights.Equal, Combination.Product),
        new("geometric mean of the four components", ComponentWeights.Equal, Combination.GeometricMean),
    ];

    /// <summary>Scores of every territory under this aggregation (null where a component is missing).</summary>
    internal double?[] Scores(ComponentScores[] components)
    {
        switch (Combination)
        {
            case Combination.GeometricMean:
                return components.Select(GeometricMean).ToArray();
            default:
                var burden = IndexCore.ScaleToTen(components.Select(c => c.Burden(Weights)).ToArray());
                var characteristics = IndexCore.ScaleToTen(components.Select(c => c.Characteristics(Weights)).ToArray());
                return burden.Zip(characteristics, (b, c) => Combination == Combination.Product ? b * c : b + c).ToArray();
        }
    }

    private double? GeometricMean(ComponentScores scores)
    {
        double logSum = 0, weightSum = 0;
        foreach (var component in Enum.GetValues<IndexComponent>())
        {
            var w = Weights.Of(component);
            if (w == 0)
                continue;
            if (scores.Of(component) is not { } value)
                return null;
            if (value <= 0)
                return 0;
            logSum += w * Math.Log(value);
            weightSum += w;
        }
        return Math.Exp(logSum / weightSum);
    }
}
