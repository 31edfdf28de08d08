using Analytics.Models.Modelling;

namespace Analytics.Models.Planning;

/// <summary>
/// Simulates a prevention programme under a budget for each allocation rule: which territories each rule
/// picks, how many excess cases that reaches, who it reaches, and how far the rules agree.
/// </summary>
/// <remarks>
/// <para>Excess reached: the selection's cases Σ Yᵢ, with Yᵢ ~ Poisson(μᵢ) independent, have mean Σμ and
/// variance φΣμ (φ ≥ 1 for over-dispersion); the 90% interval is <see cref="PredictionIntervals.Count"/> of
/// that mean and variance (exact Poisson when φ = 1, negative binomial above), minus ΣE. It is the spread of
/// the cases given the model: the uncertainty of the model's coefficients is not included, so the interval
/// is too narrow by that much.</para>
/// <para>Too-uncertain territories are candidates like the others (the rule decides); each result counts
/// how many it selected. Every order breaks ties by code, and inputs are taken in code order, so the same
/// territories in any order give identical results.</para>
/// </remarks>
public static class TargetingSimulator
{
    /// <summary>Taken off the equity score of a territory too uncertain to rank: it comes after every rankable one.</summary>
    private const double Unrankable = 1e6;

    /// <summary>Level of the interval of the excess reached.</summary>
    public const double Level = 0.90;

    /// <summary>Reach dimension: deprivation quintile, groups "1" … "5" and "unknown".</summary>
    public const string DeprivationDimension = "deprivation_quintile";

    /// <summary>Reach dimension: density class, groups as given and "unknown".</summary>
    public const string DensityDimension = "density";

    /// <summary>Reach dimension: groups "mainland" and "overseas".</summary>
    public const string OverseasDimension = "overseas";

    /// <summary>Group of territories whose value is not known.</summary>
    public const string Unknown = "unknown";

    /// <summary>Planner column: expected excess cases μ − E.</summary>
    public const string ExcessColumn = "excess";

    /// <summary>Planner column: predicted SIR μ / E.</summary>
    public const string SirColumn = "sir";

    /// <summary>Planner column: population.</summary>
    public const string PopulationColumn = "population";

    /// <summary>
    /// Every rule side by side (<see cref="AllocationRule.PlannerWeighted"/> only when <paramref name="plannerWeights"/>
    /// is given), with the overlap of every pair.
    /// </summary>
    /// <param name="territories">The candidate territories (codes unique).</param>
    /// <param name="budget">What the programme can afford.</param>
    /// <param name="plannerWeights">Weight per column for <see cref="AllocationRule.PlannerWeighted"/> (see <see cref="Simulate"/>).</param>
    /// <param name="dispersion">φ ≥ 1: variance of the cases over their mean (1 = Poisson).</param>
    public static TargetingComparison Compare(
        IEnumerable<PlanningTerritory> territories,
        TargetingBudget budget,
        IReadOnlyDictionary<string, double>? plannerWeights = null,
        double dispersion = 1)
    {
        var list = Checked(territories, budget, dispersion);
        var rules = Enum.GetValues<AllocationRule>().Where(r => r != AllocationRule.PlannerWeighted || plannerWeights is not null);
        var results = rules.Select(r => Run(list, r, budget, plannerWeights, dispersion)).ToList();
        var overlaps = new List<RuleOverlap>();
        for (var i = 0; i < results.Count; i++)
            for (var j = i + 1; j < results.Count; j++)
            {
                var a = results[i].Selected.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
                var b = results[j].Selected.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
                var shared = a.Intersect(b).Order(StringComparer.Ordinal).ToList();
                overlaps.Add(new RuleOverlap(results[i].Rule, results[j].Rule, shared, shared.Count / (double)(a.Count + b.Count - shared.Count)));
            }
        return new TargetingComparison(results, overlaps);
    }

    /// <summary>One rule under a budget.</summary>
    /// <param name="territories">The candidate territories (codes unique).</param>
    /// <param name="rule">How to order them.</param>
    /// <param name="budget">What the programme can afford.</param>
    /// <param name="plannerWeights">
    /// For <see cref="AllocationRule.PlannerWeighted"/> (ignored by the other rules): weight per column, the
    /// columns being <see cref="ExcessColumn"/>, <see cref="SirColumn"/>, <see cref="PopulationColumn"/> or a key of
    /// <see cref="PlanningTerritory.Factors"/>. Each column becomes z-scores across the territories that have a
    /// value (mean and population standard deviation over them; all 0 when the column is constant), a missing
    /// value scores 0 (the mean), and the score is Σ weight × z. An unknown column is an <see cref="ArgumentException"/>.
    /// </param>
    /// <param name="dispersion">φ ≥ 1: variance of the cases over their mean (1 = Poisson).</param>
    public static TargetingResult Simulate(
        IEnumerable<PlanningTerritory> territories,
        AllocationRule rule,
        TargetingBudget budget,
        IReadOnlyDictionary<string, double>? plannerWeights = null,
        double dispersion = 1) =>
        Run(Checked(territories, budget, dispersion), rule, budget, plannerWeights, dispersion);

    private static IReadOnlyList<PlanningTerritory> Checked(IEnumerable<PlanningTerritory> territories, TargetingBudget budget, double dispersion)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (!(dispersion >= 1) || double.IsInfinity(dispersion))
            throw new ArgumentOutOfRangeException(nameof(dispersion), dispersion, "must be a finite number of at least 1 (1 = Poisson)");
        var list = PlanningTerritory.Validated(territories);
        if (list.Count == 0)
            throw new ArgumentException("there are no territories to target", nameof(territories));
        return list;
    }

    /// <summary><paramref name="territories"/> are validated and in code order.</summary>
    private static TargetingResult Run(
        IReadOnlyList<PlanningTerritory> territories, AllocationRule rule, TargetingBudget budget,
        IReadOnlyDictionary<string, double>? plannerWeights, double dispersion)
    {
        var scores = Scores(territories, rule, plannerWeights);
        var order = Enumerable.Range(0, territories.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => territories[i].Code, StringComparer.Ordinal)
            .Select(i => territories[i]);

        var totalPopulation = territories.Sum(t => t.Population);
        List<PlanningTerritory> selected;
        if (budget.Territories is { } k)
            selected = order.Take(k).ToList();
        else
        {
            // Relative slack: a share met exactly up to rounding is met.
            var threshold = budget.PopulationShare!.Value * totalPopulation * (1 - 1e-12);
            selected = [];
            var covered = 0.0;
            foreach (var t in order)
            {
                selected.Add(t);
                covered += t.Population;
                if (covered >= threshold)
                    break;
            }
        }

        var population = selected.Sum(t => t.Population);
        var mu = selected.Sum(t => t.PredictedCases);
        var expected = selected.Sum(t => t.ExpectedCases);
        var (low, high) = PredictionIntervals.Count(mu, dispersion * mu, Level);
        var reach = Reach(territories, selected, population, totalPopulation);
        return new TargetingResult(rule, selected, population, selected.Count(PriorityRanking.IsTooUncertain),
            mu - expected, low - expected, high - expected, reach);
    }

    private static double[] Scores(IReadOnlyList<PlanningTerritory> territories, AllocationRule rule, IReadOnlyDictionary<string, double>? plannerWeights)
    {
        switch (rule)
        {
            case AllocationRule.TopSir:
                return territories.Select(t => t.PredictedSir).ToArray();
            case AllocationRule.TopExcess:
                return territories.Select(t => t.ExcessCases).ToArray();
            case AllocationRule.EquityWeighted:
                // Risk × deprivation, among territories precise enough to rank: a ratio over a tiny denominator does not lead.
                return territories.Select(t => t.PredictedSir * (t.DeprivationQuintile is { } q ? 1 + (q - 1) / 4.0 : 1) - (PriorityRanking.IsTooUncertain(t) ? Unrankable : 0)).ToArray();
            case AllocationRule.AccessWeighted:
            {
                var known = territories.Where(t => t.GpAccessibility.HasValue).Select(t => t.GpAccessibility!.Value).Order().ToList();
                var median = known.Count == 0 ? 0 : known.Count % 2 == 1 ? known[known.Count / 2] : (known[known.Count / 2 - 1] + known[known.Count / 2]) / 2;
                return territories.Select(t => t.ExcessCases * AccessWeight(t.GpAccessibility, median)).ToArray();
            }
            case AllocationRule.PlannerWeighted:
                return PlannerScores(territories, plannerWeights
                    ?? throw new ArgumentException("the planner-weighted rule needs the planner's weights", nameof(plannerWeights)));
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown allocation rule");
        }
    }

    /// <summary>clamp(median / own, 0.5, 2); 1 when the territory's access is unknown.</summary>
    private static double AccessWeight(double? own, double median) => own switch
    {
        null => 1,
        > 0 => Math.Clamp(median / own.Value, 0.5, 2),
        _ => median > 0 ? 2 : 1, // no access at all: the most underserved, unless nobody has any
    };

    private static double[] PlannerScores(IReadOnlyList<PlanningTerritory> territories, IReadOnlyDictionary<string, double> weights)
    {
        if (weights.Count == 0)
            throw new ArgumentException("the planner-weighted rule needs at least one weighted column", nameof(weights));
        var scores = new double[territories.Count];
        // Columns in ordinal order, so that the floating-point sum does not depend on the dictionary's order.
        foreach (var (column, weight) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            if (!double.IsFinite(weight))
                throw new ArgumentException($"the weight of column '{column}' is {weight}: it must be finite", nameof(weights));
            Func<PlanningTerritory, double?> value = column switch
            {
                ExcessColumn => t => t.ExcessCases,
                SirColumn => t => t.PredictedSir,
                PopulationColumn => t => t.Population,
                _ when territories.Any(t => t.Factors.ContainsKey(column)) => t => t.Factors.TryGetValue(column, out var v) ? v : null,
                _ => throw new ArgumentException(
                    $"unknown column '{column}': use {ExcessColumn}, {SirColumn}, {PopulationColumn} or a factor of the territories", nameof(weights)),
            };
            var values = territories.Select(value).ToArray();
            var known = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
            var mean = known.Average();
            var sd = Math.Sqrt(known.Sum(v => (v - mean) * (v - mean)) / known.Count);
            for (var i = 0; i < scores.Length; i++)
                if (values[i] is { } v && sd > 0)
                    scores[i] += weight * (v - mean) / sd;
        }
        return scores;
    }

    private static List<GroupReach> Reach(IReadOnlyList<PlanningTerritory> all, List<PlanningTerritory> selected, double covered, double total)
    {
        var dimensions = new (string Name, Func<PlanningTerritory, string> Group)[]
        {
            (DeprivationDimension, t => t.DeprivationQuintile?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Unknown),
            (DensityDimension, t => t.DensityClass ?? Unknown),
            (OverseasDimension, t => t.Overseas ? "overseas" : "mainland"),
        };
        var reach = new List<GroupReach>();
        foreach (var (name, group) in dimensions)
        {
            // Every group present among all the territories, so that a group the selection misses shows as 0.
            var groups = all.Select(group).Distinct().OrderBy(g => g == Unknown).ThenBy(g => g, StringComparer.Ordinal);
            foreach (var g in groups)
            {
                var groupCovered = selected.Where(t => group(t) == g).Sum(t => t.Population);
                var groupPopulation = all.Where(t => group(t) == g).Sum(t => t.Population);
                reach.Add(new GroupReach(name, g, groupCovered, groupCovered / covered, groupPopulation, groupPopulation / total));
            }
        }
        return reach;
    }
}
