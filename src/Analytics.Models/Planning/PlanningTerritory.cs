namespace Analytics.Models.Planning;

/// <summary>
/// One territory as a prevention planner sees it: what the approved risk model predicts there, and the
/// characteristics a targeting rule may weigh (deprivation, density, overseas, access to care, factors).
/// </summary>
/// <param name="Code">Territory code (e.g. INSEE commune code); unique in a list, it breaks every tie.</param>
/// <param name="Name">Name shown to the planner.</param>
/// <param name="Population">Residents (positive).</param>
/// <param name="ExpectedCases">Expected cases E at the reference rate (indirect standardisation); positive.</param>
/// <param name="PredictedCases">Cases μ predicted by the model; non-negative.</param>
/// <param name="IntervalLow">Lower limit of the model's 90% prediction interval of the count.</param>
/// <param name="IntervalHigh">Upper limit of the model's 90% prediction interval of the count.</param>
/// <param name="DeprivationQuintile">1 = least deprived … 5 = most deprived; null when unknown.</param>
/// <param name="DensityClass">Density class such as "urban", "intermediate", "rural"; null when unknown.</param>
/// <param name="Overseas">True for an overseas territory (DROM), false for mainland France.</param>
/// <param name="GpAccessibility">General-practitioner accessibility (consultations per inhabitant, higher = better); null when unknown.</param>
/// <param name="Factors">Named factor values (e.g. "fdep", "pm25_annual") the planner may weight; a missing key is a missing value.</param>
public sealed record PlanningTerritory(
    string Code,
    string Name,
    double Population,
    double ExpectedCases,
    double PredictedCases,
    long IntervalLow,
    long IntervalHigh,
    int? DeprivationQuintile,
    string? DensityClass,
    bool Overseas,
    double? GpAccessibility,
    IReadOnlyDictionary<string, double> Factors)
{
    /// <summary>Predicted standardised incidence ratio μ / E: a rate ratio, blind to how many cases it concerns.</summary>
    public double PredictedSir => PredictedCases / ExpectedCases;

    /// <summary>Expected excess cases μ − E: the cases above the reference rate a programme could address.</summary>
    public double ExcessCases => PredictedCases - ExpectedCases;

    /// <summary>
    /// Checks a list at the boundary of the planning methods and returns it in code order, so that every
    /// result depends on the territories given, not on the order they were given in.
    /// </summary>
    internal static IReadOnlyList<PlanningTerritory> Validated(IEnumerable<PlanningTerritory> territories)
    {
        ArgumentNullException.ThrowIfNull(territories);
        var list = territories.OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i] ?? throw new ArgumentException("a territory is null", nameof(territories));
            string? problem = null;
            if (string.IsNullOrEmpty(t.Code))
                problem = "has no code";
            else if (i > 0 && list[i - 1].Code == t.Code)
                problem = "appears twice";
            else if (!(t.Population > 0) || double.IsInfinity(t.Population))
                problem = $"has population {t.Population}: it must be positive";
            else if (!(t.ExpectedCases > 0) || double.IsInfinity(t.ExpectedCases))
                problem = $"has expected cases {t.ExpectedCases}: they must be positive";
            else if (!(t.PredictedCases >= 0) || double.IsInfinity(t.PredictedCases))
                problem = $"has predicted cases {t.PredictedCases}: they must be a non-negative number";
            else if (t.IntervalLow < 0 || t.IntervalHigh < t.IntervalLow)
                problem = $"has the prediction interval [{t.IntervalLow}, {t.IntervalHigh}]: it must satisfy 0 ≤ low ≤ high";
            else if (t.DeprivationQuintile is < 1 or > 5)
                problem = $"has deprivation quintile {t.DeprivationQuintile}: it must be 1 to 5 or unknown";
            else if (t.GpAccessibility is { } gp && (!(gp >= 0) || double.IsInfinity(gp)))
                problem = $"has GP accessibility {gp}: it must be a non-negative number or unknown";
            else if (t.Factors is null)
                problem = "has no factor dictionary (give an empty one)";
            else if (t.Factors.FirstOrDefault(f => !double.IsFinite(f.Value)) is { Key: not null } bad)
                problem = $"has factor '{bad.Key}' = {bad.Value}: factor values must be finite";
            if (problem is not null)
                throw new ArgumentException($"territory '{t.Code}' {problem}", nameof(territories));
        }
        return list;
    }
}
