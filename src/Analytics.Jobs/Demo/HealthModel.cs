namespace Analytics.Jobs.Demo;

/// <summary>A health condition of the demo world and its true rate model.</summary>
/// <param name="Key">Short stable key (asthma, copd, …).</param>
/// <param name="Code">CIM-10 (ICD-10) code or range, as written in health files.</param>
/// <param name="LabelFr">Label in French, as the web app shows it.</param>
/// <param name="LabelEn">Label in English.</param>
/// <param name="BaselinePer100k">Yearly rate per 100,000 at reference exposures, [sex, age band].</param>
/// <param name="Coefficients">Log rate ratio per unit of each covariate (see <see cref="HealthModel.Covariates"/>).</param>
public sealed record DemoCondition(string Key, string Code, string LabelFr, string LabelEn, double[,] BaselinePer100k, IReadOnlyDictionary<string, double> Coefficients);

/// <summary>A covariate of the rate model: its name, unit and the value it is centred on.</summary>
public sealed record DemoCovariate(string Name, string Unit, double Centre, string Description);

/// <summary>
/// The known truth of the demo world's health data:
/// <c>log E[true cases] = log(population) + log(baseline[sex, age]/100,000) + Σ β·(x − centre) + u(commune)</c>,
/// true cases ~ Poisson, and recorded cases = binomial thinning of true cases with probability
/// <see cref="UnderAscertainment"/> in rural communes of deprivation quintile 5 (1 elsewhere).
/// </summary>
public static class HealthModel
{
    /// <summary>Standard deviation of the spatially structured commune effect u (log scale).</summary>
    public const double SpatialEffectSd = 0.10;

    /// <summary>Share of true cases recorded in the targeted group (rural × most deprived quintile).</summary>
    public const double UnderAscertainment = 0.60;

    public static IReadOnlyList<DemoCovariate> Covariates { get; } =
    [
        new("pm25", "µg/m³", 10, "annual mean PM2.5, commune mean of the 1 km grid cells, minus 10"),
        new("no2", "µg/m³", 20, "annual mean NO2, commune mean of the 1 km grid cells, minus 20"),
        new("heatwave_days", "days", 0, "heat-wave days in the year, commune mean of the grid cells"),
        new("tick_class", "class", 1, "Lyme (tick) risk class of the commune (1–3), minus 1"),
        new("deprivation", "sd", 0, "FDep-like deprivation index (standardised over communes)"),
    ];

    /// <summary>True when the commune's cases are under-recorded (the planted bias).</summary>
    public static bool IsUnderAscertained(DemoCommune commune) =>
        commune.DensityClass == DensityClass.Rural && commune.DeprivationQuintile == 5;

    // Rows: M, F; columns: 0-14, 15-44, 45-64, 65-74, 75+. Orders of magnitude of French
    // hospital-stay (PMSI) rates for J45-J46, J44, I20-I25, T67; Sentinelles-like incidence for Lyme.
    public static IReadOnlyList<DemoCondition> Conditions { get; } =
    [
        new("asthma", "J45-J46", "Asthme", "Asthma",
            new double[,] { { 180, 40, 35, 45, 70 }, { 120, 55, 60, 75, 100 } },
            new Dictionary<string, double> { ["pm25"] = 0.030, ["no2"] = 0.012, ["deprivation"] = 0.15 }),
        new("copd", "J44", "Bronchopneumopathie chronique obstructive (BPCO)", "Chronic obstructive pulmonary disease (COPD)",
            new double[,] { { 0.5, 5, 90, 420, 900 }, { 0.5, 4, 60, 260, 520 } },
            new Dictionary<string, double> { ["pm25"] = 0.025, ["deprivation"] = 0.20 }),
        new("ihd", "I20-I25", "Cardiopathies ischémiques", "Ischaemic heart disease",
            new double[,] { { 0.3, 25, 420, 1100, 1800 }, { 0.2, 6, 110, 380, 1000 } },
            new Dictionary<string, double> { ["pm25"] = 0.015, ["deprivation"] = 0.10 }),
        new("lyme", "A69.2", "Borréliose de Lyme", "Lyme borreliosis",
            new double[,] { { 45, 40, 70, 85, 60 }, { 40, 40, 65, 80, 55 } },
            new Dictionary<string, double> { ["tick_class"] = 0.55, ["deprivation"] = -0.05 }),
        new("heat", "T67", "Effets de la chaleur", "Effects of heat and light",
            new double[,] { { 3, 2, 2.5, 5, 18 }, { 3, 1.5, 2, 5, 22 } },
            new Dictionary<string, double> { ["heatwave_days"] = 0.09, ["deprivation"] = 0.12 }),
    ];

    /// <summary>Value of a covariate, centred, for a commune in a year.</summary>
    public static double CovariateValue(string name, DemoCommune commune, int year, DemoEnvironment environment, DemoOneHealth oneHealth) => name switch
    {
        "pm25" => environment.CommunePm25[commune.Index, year] - 10,
        "no2" => environment.CommuneNo2[commune.Index, year] - 20,
        "heatwave_days" => environment.CommuneHeatwaveDays[commune.Index, year],
        "tick_class" => oneHealth.TickRiskClass[commune.Index] - 1,
        "deprivation" => commune.Deprivation,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a covariate of the demo health model"),
    };
}
