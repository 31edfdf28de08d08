namespace Analytics.Models.Indices;

/// <summary>
/// The four components of a CalEnviroScreen-style index (OEHHA, CalEnviroScreen 4.0, 2021):
/// two make up pollution burden, two make up population characteristics.
/// </summary>
public enum IndexComponent
{
    /// <summary>Pollution people come into contact with (PM2.5, ozone, drinking-water contaminants…).</summary>
    Exposures,

    /// <summary>Pollution sources in or near the territory (contaminated sites, waste facilities…); weighted half in CES.</summary>
    EnvironmentalEffects,

    /// <summary>Health conditions that make people more vulnerable (asthma, cardiovascular disease, low birth weight…).</summary>
    SensitivePopulations,

    /// <summary>Living conditions that increase vulnerability (poverty, education, unemployment, housing burden…).</summary>
    SocioeconomicFactors,
}

/// <summary>One indicator of the index and which way is worse.</summary>
/// <param name="Code">Catalogue code of the indicator.</param>
/// <param name="Component">The component it counts towards.</param>
/// <param name="HigherIsWorse">False for indicators where a low value is the burden (median income): they are ranked reversed.</param>
public sealed record Indicator(string Code, IndexComponent Component, bool HigherIsWorse = true);
