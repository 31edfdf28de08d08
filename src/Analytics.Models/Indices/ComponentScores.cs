namespace Analytics.Models.Indices;

/// <summary>A territory's four component scores: the mean percentile of each component's indicators (0–100), or null when too few are present.</summary>
public sealed record ComponentScores(double? Exposures, double? EnvironmentalEffects, double? SensitivePopulations, double? SocioeconomicFactors)
{
    public double? Of(IndexComponent component) => component switch
    {
        IndexComponent.Exposures => Exposures,
        IndexComponent.EnvironmentalEffects => EnvironmentalEffects,
        IndexComponent.SensitivePopulations => SensitivePopulations,
        _ => SocioeconomicFactors,
    };

    /// <summary>Weighted mean of two components; null if either is missing.</summary>
    internal double? Mean(IndexComponent a, IndexComponent b, ComponentWeights weights) =>
        Of(a) is { } x && Of(b) is { } y
            ? (weights.Of(a) * x + weights.Of(b) * y) / (weights.Of(a) + weights.Of(b))
            : null;

    /// <summary>Pollution burden: weighted mean of exposures and environmental effects (0–100).</summary>
    internal double? Burden(ComponentWeights weights) => Mean(IndexComponent.Exposures, IndexComponent.EnvironmentalEffects, weights);

    /// <summary>Population characteristics: weighted mean of sensitive populations and socio-economic factors (0–100).</summary>
    internal double? Characteristics(ComponentWeights weights) => Mean(IndexComponent.SensitivePopulations, IndexComponent.SocioeconomicFactors, weights);
}
