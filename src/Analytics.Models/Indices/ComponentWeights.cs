namespace Analytics.Models.Indices;

/// <summary>
/// Weights of the four components: pollution burden is the weighted mean of exposures and
/// environmental effects, population characteristics that of sensitive populations and
/// socio-economic factors; a geometric-mean aggregation uses all four as exponents.
/// </summary>
public sealed record ComponentWeights(double Exposures, double EnvironmentalEffects, double SensitivePopulations, double SocioeconomicFactors)
{
    /// <summary>CalEnviroScreen 4.0: environmental effects count half as much as exposures.</summary>
    public static ComponentWeights CalEnviroScreen { get; } = new(1, 0.5, 1, 1);

    public static ComponentWeights Equal { get; } = new(1, 1, 1, 1);

    public double Of(IndexComponent component) => component switch
    {
        IndexComponent.Exposures => Exposures,
        IndexComponent.EnvironmentalEffects => EnvironmentalEffects,
        IndexComponent.SensitivePopulations => SensitivePopulations,
        _ => SocioeconomicFactors,
    };
}
