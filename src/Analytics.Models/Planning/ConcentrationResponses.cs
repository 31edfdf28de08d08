namespace Analytics.Models.Planning;

/// <summary>
/// A published concentration–response function: the relative risk of <paramref name="Outcome"/> per increment of
/// <paramref name="Exposure"/> (a catalogue indicator code) with its 95% interval, and the publication it comes from.
/// </summary>
public sealed record PublishedConcentrationResponse(string Code, string Exposure, OutcomeWords Outcome, ConcentrationResponse Function, string Unit, string Source);

/// <summary>What a function was estimated for, in French and English: applying it to another outcome is a comparison, not an estimate.</summary>
public sealed record OutcomeWords(string Fr, string En);

/// <summary>
/// The functions a planner may compare the model's association with. Each was estimated for its own outcome (mostly
/// mortality, over the long term): applied to the model's hospital stays it shows how the model's association compares
/// with the literature's, it does not measure the health impact on stays.
/// </summary>
public static class ConcentrationResponses
{
    public static IReadOnlyList<PublishedConcentrationResponse> All { get; } =
    [
        new("pm25_mortality_spf2016", "pm25_annual",
            new("mortalité toutes causes, 30 ans et plus (exposition chronique)", "all-cause mortality, aged 30 and over (long-term exposure)"),
            new(1.15, 1.05, 1.25, 10), "µg/m³",
            "Pascal M. et al., Impacts de l'exposition chronique aux particules fines sur la mortalité en France continentale, Santé publique France, 2016 — relative risk used in Santé publique France's health impact assessments"),
        new("pm25_mortality_who2021", "pm25_annual",
            new("mortalité de causes naturelles (exposition chronique)", "natural-cause mortality (long-term exposure)"),
            new(1.08, 1.06, 1.09, 10), "µg/m³",
            "Chen J., Hoek G., Long-term exposure to PM and all-cause and cause-specific mortality: a systematic review and meta-analysis, Environment International 143 (2020) 105974 — basis of the WHO 2021 air-quality guidelines"),
        new("no2_mortality_who2021", "no2_annual",
            new("mortalité de causes naturelles (exposition chronique)", "natural-cause mortality (long-term exposure)"),
            new(1.02, 1.01, 1.04, 10), "µg/m³",
            "Huangfu P., Atkinson R., Long-term exposure to NO2 and O3 and all-cause and respiratory mortality: a systematic review and meta-analysis, Environment International 144 (2020) 105998 — basis of the WHO 2021 air-quality guidelines"),
    ];
}
