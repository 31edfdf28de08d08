using Analytics.Models.Planning;

namespace Analytics.Models.Tests.Planning;

public class TargetingSimulatorTests
{
    private static readonly Dictionary<string, double> ExcessOnly = new() { ["excess"] = 1 };

    private static IEnumerable<string> Codes(TargetingResult result) => result.Selected.Select(t => t.Code);

    [Fact]
    public void with_two_territories_to_fund_each_rule_picks_its_own_pair()
    {
        // Scores (FiveCommunes):
        //   TopSir      C 1.667, E 1.5, B 1.4, A 1.25, D 1.15                         → C, E
        //   TopExcess   A 10, D 9, B 8, E 5, C 0.096                                   → A, D
        //   Equity      SIR × (1 + (q − 1)/4), rankable first: B 1.40 × 2 = 2.8, A 1.25 × 1.25 = 1.5625, E 1.5 × 1 (unknown), D 1.15, C too uncertain → B, A
        //   Access      median GP of (2, 3, 5, 6) = 4; A 10 × 4/5 = 8, B 8 × 4/3 = 10.67, C 0.096 × 2, D 9 × 4/6 = 6, E 5 × 1 → B, A
        var comparison = TargetingSimulator.Compare(FiveCommunes.All, TargetingBudget.Count(2));

        Assert.Equal(["C", "E"], Codes(comparison[AllocationRule.TopSir]));
        Assert.Equal(["A", "D"], Codes(comparison[AllocationRule.TopExcess]));
        Assert.Equal(["B", "A"], Codes(comparison[AllocationRule.EquityWeighted]));
        Assert.Equal(["B", "A"], Codes(comparison[AllocationRule.AccessWeighted]));
        Assert.Equal(4, comparison.Results.Count); // no planner weights, no planner rule
        Assert.All(comparison.Results, r => Assert.Equal(2, r.Count));
        // Population: C + E = 20,400; A + D = 130,000; B + A = 80,000.
        Assert.Equal([20_400, 130_000, 80_000, 80_000], comparison.Results.Select(r => r.PopulationCovered));
        // Only the SIR rule picks the too-uncertain commune C.
        Assert.Equal([1, 0, 0, 0], comparison.Results.Select(r => r.TooUncertain));
    }

    [Fact]
    public void with_a_quarter_of_the_population_each_rule_takes_territories_until_the_one_that_crosses_it()
    {
        // A quarter of 180,400 is 45,100 residents.
        //   TopExcess  A 50,000 ≥ 45,100                                    → A alone
        //   TopSir     C 400, + E = 20,400, + B = 50,400 ≥ 45,100           → C, E, B
        //   Equity     B 30,000, + A = 80,000                               → B, A
        var comparison = TargetingSimulator.Compare(FiveCommunes.All, TargetingBudget.Population(0.25));

        Assert.Equal(["A"], Codes(comparison[AllocationRule.TopExcess]));
        Assert.Equal(["C", "E", "B"], Codes(comparison[AllocationRule.TopSir]));
        Assert.Equal(["B", "A"], Codes(comparison[AllocationRule.EquityWeighted]));
        Assert.Equal(["B", "A"], Codes(comparison[AllocationRule.AccessWeighted]));
        Assert.Equal(50_400, comparison[AllocationRule.TopSir].PopulationCovered);
    }

    [Fact]
    public void a_share_reached_exactly_stops_there()
    {
        // TopExcess order A, D, …: A's 50,000 is exactly 50,000 / 180,400 of the population.
        var result = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.TopExcess, TargetingBudget.Population(50_000 / 180_400.0));

        Assert.Equal(["A"], Codes(result));
    }

    [Fact]
    public void the_excess_reached_is_the_predicted_minus_expected_cases_with_a_poisson_interval_of_the_sum()
    {
        // TopExcess, k = 2: A + D. Σμ = 50 + 69 = 119, ΣE = 40 + 60 = 100: 19 excess cases.
        // 90% interval of Poisson(119): P(Y ≤ 100) = 0.0421 < 0.05 ≤ P(Y ≤ 101) = 0.0515 → 101;
        // P(Y ≤ 136) = 0.9432 < 0.95 ≤ P(Y ≤ 137) = 0.9525 → 137. Minus 100: [1, 37].
        var result = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.TopExcess, TargetingBudget.Count(2));

        Assert.Equal(19, result.ExcessReached, 12);
        Assert.Equal(1, result.ExcessLow);
        Assert.Equal(37, result.ExcessHigh);
        Assert.InRange(result.ExcessReached, result.ExcessLow, result.ExcessHigh);
    }

    [Fact]
    public void the_lower_bound_matches_a_poisson_quantile_summed_by_hand()
    {
        // Independently of MathNet: the smallest k with P(Y ≤ k) ≥ 0.05 for Y ~ Poisson(119), by summing the
        // probability function P(0) = e^−119, P(k) = P(k − 1) · 119 / k.
        var pmf = Math.Exp(-119.0);
        var cdf = pmf;
        var k = 0;
        while (cdf < 0.05)
        {
            k++;
            pmf *= 119.0 / k;
            cdf += pmf;
        }

        var result = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.TopExcess, TargetingBudget.Count(2));

        Assert.Equal(101, k);
        Assert.Equal(k - 100, result.ExcessLow);
    }

    [Fact]
    public void over_dispersion_widens_the_interval_around_the_same_excess()
    {
        var poisson = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.TopExcess, TargetingBudget.Count(2));
        var overDispersed = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.TopExcess, TargetingBudget.Count(2), dispersion: 3);

        Assert.Equal(poisson.ExcessReached, overDispersed.ExcessReached);
        Assert.True(overDispersed.ExcessLow < poisson.ExcessLow && overDispersed.ExcessHigh > poisson.ExcessHigh,
            $"φ = 3 gives [{overDispersed.ExcessLow}, {overDispersed.ExcessHigh}], Poisson [{poisson.ExcessLow}, {poisson.ExcessHigh}]");
    }

    [Fact]
    public void who_the_selection_reaches_adds_up_to_the_population_covered_in_every_dimension()
    {
        foreach (var budget in new[] { TargetingBudget.Count(2), TargetingBudget.Population(0.25), TargetingBudget.Count(5) })
            foreach (var result in TargetingSimulator.Compare(FiveCommunes.All, budget, ExcessOnly).Results)
                foreach (var dimension in result.Reach.GroupBy(g => g.Dimension))
                {
                    Assert.Equal(1, dimension.Sum(g => g.ShareOfCovered), 12);
                    Assert.Equal(result.PopulationCovered, dimension.Sum(g => g.CoveredPopulation), 6);
                    Assert.Equal(1, dimension.Sum(g => g.ShareOfPopulation), 12);
                    Assert.Equal(180_400, dimension.Sum(g => g.GroupPopulation), 6);
                }
    }

    [Fact]
    public void the_excess_rule_reaches_the_least_deprived_urban_mainland_communes()
    {
        // TopExcess, k = 2: A (quintile 2, urban, 50,000) and D (quintile 1, urban, 80,000), 130,000 covered.
        // Quintile 1: 80,000 / 130,000 = 0.615 of the covered, against 80,000 / 180,400 = 0.443 of everyone;
        // quintile 5 (B, 30,000 / 180,400 = 0.166 of everyone) is not reached. Quintile 4 has no commune: no row.
        var reach = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.TopExcess, TargetingBudget.Count(2)).Reach;
        GroupReach Row(string dimension, string group) => Assert.Single(reach, g => g.Dimension == dimension && g.Group == group);

        Assert.Equal(["1", "2", "3", "5", "unknown"],
            reach.Where(g => g.Dimension == TargetingSimulator.DeprivationDimension).Select(g => g.Group));
        Assert.Equal(["intermediate", "rural", "urban", "unknown"],
            reach.Where(g => g.Dimension == TargetingSimulator.DensityDimension).Select(g => g.Group));
        Assert.Equal(["mainland", "overseas"],
            reach.Where(g => g.Dimension == TargetingSimulator.OverseasDimension).Select(g => g.Group));

        var q1 = Row(TargetingSimulator.DeprivationDimension, "1");
        Assert.Equal(80_000, q1.CoveredPopulation);
        Assert.Equal(80_000 / 130_000.0, q1.ShareOfCovered, 12);
        Assert.Equal(80_000 / 180_400.0, q1.ShareOfPopulation, 12);
        Assert.Equal(50_000 / 130_000.0, Row(TargetingSimulator.DeprivationDimension, "2").ShareOfCovered, 12);
        var q5 = Row(TargetingSimulator.DeprivationDimension, "5");
        Assert.Equal(0, q5.CoveredPopulation);
        Assert.Equal(30_000 / 180_400.0, q5.ShareOfPopulation, 12);
        Assert.Equal(1, Row(TargetingSimulator.DensityDimension, "urban").ShareOfCovered, 12);
        Assert.Equal(0, Row(TargetingSimulator.OverseasDimension, "overseas").ShareOfCovered);
        Assert.Equal(20_000 / 180_400.0, Row(TargetingSimulator.OverseasDimension, "overseas").ShareOfPopulation, 12);
    }

    [Fact]
    public void the_equity_weighted_rule_picks_a_most_deprived_commune_the_excess_rule_leaves_out()
    {
        // B (quintile 5) has SIR 1.40, weighted ×2 to 2.8: first under equity; third under excess (8 cases).
        var comparison = TargetingSimulator.Compare(FiveCommunes.All, TargetingBudget.Count(2));

        Assert.Contains("B", Codes(comparison[AllocationRule.EquityWeighted]));
        Assert.DoesNotContain("B", Codes(comparison[AllocationRule.TopExcess]));
        Assert.Equal(5, comparison[AllocationRule.EquityWeighted].Selected[0].DeprivationQuintile);
    }

    [Fact]
    public void overlaps_give_the_shared_communes_and_the_jaccard_index_of_every_pair()
    {
        // k = 2: TopSir {C, E}, TopExcess {A, D}, Equity {B, A}, Access {B, A}, Planner {excess: 1} {A, D}.
        //   TopSir–TopExcess: ∅, 0 / 4 = 0.   TopExcess–Equity: {A}, 1 / 3.   Equity–Access: {A, B}, 2 / 2 = 1.
        var comparison = TargetingSimulator.Compare(FiveCommunes.All, TargetingBudget.Count(2), ExcessOnly);
        RuleOverlap Pair(AllocationRule a, AllocationRule b) => Assert.Single(comparison.Overlaps, o => o.First == a && o.Second == b);

        Assert.Equal(10, comparison.Overlaps.Count); // 5 rules, 5 × 4 / 2 pairs
        Assert.Empty(Pair(AllocationRule.TopSir, AllocationRule.TopExcess).Shared);
        Assert.Equal(0, Pair(AllocationRule.TopSir, AllocationRule.TopExcess).Jaccard);
        Assert.Equal(["A"], Pair(AllocationRule.TopExcess, AllocationRule.EquityWeighted).Shared);
        Assert.Equal(1 / 3.0, Pair(AllocationRule.TopExcess, AllocationRule.EquityWeighted).Jaccard, 12);
        Assert.Equal(["A", "B"], Pair(AllocationRule.EquityWeighted, AllocationRule.AccessWeighted).Shared);
        Assert.Equal(1, Pair(AllocationRule.EquityWeighted, AllocationRule.AccessWeighted).Jaccard);
        Assert.Equal(1, Pair(AllocationRule.TopExcess, AllocationRule.PlannerWeighted).Jaccard);
    }

    [Fact]
    public void planner_weights_on_excess_alone_select_what_the_excess_rule_selects()
    {
        // A z-score is an increasing function of the column, so weight 1 on excess keeps its order.
        foreach (var budget in new[] { TargetingBudget.Count(2), TargetingBudget.Population(0.25), TargetingBudget.Count(5) })
        {
            var comparison = TargetingSimulator.Compare(FiveCommunes.All, budget, ExcessOnly);
            Assert.Equal(Codes(comparison[AllocationRule.TopExcess]), Codes(comparison[AllocationRule.PlannerWeighted]));
        }
    }

    [Fact]
    public void a_factor_missing_for_a_commune_scores_it_at_the_mean()
    {
        // fdep over A–D: 0.5, 1.8, 0.2, −1.4, mean 1.1 / 4 = 0.275; deviations A +0.225, B +1.525, C −0.075,
        // D −1.675. E has no fdep: z = 0, so it comes after A and before C: B, A, E, C, D.
        // (Reading the missing value as fdep = 0 would give E −0.275 and put C third instead.)
        var weights = new Dictionary<string, double> { ["fdep"] = 1 };

        var all = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.PlannerWeighted, TargetingBudget.Count(5), weights);
        var three = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.PlannerWeighted, TargetingBudget.Count(3), weights);

        Assert.Equal(["B", "A", "E", "C", "D"], Codes(all));
        Assert.Equal(["B", "A", "E"], Codes(three));
    }

    [Fact]
    public void planner_weights_combine_z_scores_of_several_columns()
    {
        // Weight −1 on excess reverses its order: excess A 10, B 8, C 0.096, D 9, E 5, so −z is highest where
        // the excess is lowest: C, E, B, D, A. A second column with weight 0 changes nothing.
        var weights = new Dictionary<string, double> { ["excess"] = -1, ["sir"] = 0 };

        var result = TargetingSimulator.Simulate(FiveCommunes.All, AllocationRule.PlannerWeighted, TargetingBudget.Count(5), weights);

        Assert.Equal(["C", "E", "B", "D", "A"], Codes(result));
    }

    [Fact]
    public void an_unknown_planner_column_is_refused_naming_it()
    {
        var weights = new Dictionary<string, double> { ["excess"] = 1, ["no2_annual"] = 0.5 };

        var error = Assert.Throws<ArgumentException>(() =>
            TargetingSimulator.Compare(FiveCommunes.All, TargetingBudget.Count(2), weights));
        Assert.Contains("'no2_annual'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_access_weight_is_the_median_over_own_accessibility_clamped_between_a_half_and_two()
    {
        // GP accessibility 1, 3, 12 (median 3) and two unknown. Weights: X1 3/1 = 3 → 2, X2 3/3 = 1,
        // X3 3/12 = 0.25 → 0.5, X4 and X5 unknown → 1.
        // Scores: X1 10 × 2 = 20, X2 10 × 1 = 10, X3 10 × 0.5 = 5, X4 25, X5 4 → X4, X1, X2, X3, X5.
        // Without the clamp X1 would score 30 (before X4) and X3 2.5 (after X5).
        var territories = new[]
        {
            FiveCommunes.Make("X1", 10_000, 10, 20, 13, 28, gp: 1),
            FiveCommunes.Make("X2", 10_000, 10, 20, 13, 28, gp: 3),
            FiveCommunes.Make("X3", 10_000, 10, 20, 13, 28, gp: 12),
            FiveCommunes.Make("X4", 10_000, 10, 35, 26, 45),
            FiveCommunes.Make("X5", 10_000, 10, 14, 8, 20),
        };

        var result = TargetingSimulator.Simulate(territories, AllocationRule.AccessWeighted, TargetingBudget.Count(5));

        Assert.Equal(["X4", "X1", "X2", "X3", "X5"], Codes(result));
    }

    [Fact]
    public void the_same_territories_in_another_order_give_identical_comparisons()
    {
        var weights = new Dictionary<string, double> { ["excess"] = 1, ["fdep"] = 0.7, ["pm25_annual"] = 0.3, ["population"] = -0.2 };
        string Render(IEnumerable<PlanningTerritory> ts, TargetingBudget budget)
        {
            var c = TargetingSimulator.Compare(ts, budget, weights, dispersion: 1.5);
            return string.Join("\n", c.Results.Select(r =>
                    $"{r.Rule} {string.Join(",", Codes(r))} {FiveCommunes.R(r.PopulationCovered)} {r.TooUncertain} " +
                    $"{FiveCommunes.R(r.ExcessReached)} {FiveCommunes.R(r.ExcessLow)} {FiveCommunes.R(r.ExcessHigh)} " +
                    string.Join(" ", r.Reach.Select(g => $"{g.Dimension}/{g.Group}={FiveCommunes.R(g.CoveredPopulation)}/{FiveCommunes.R(g.ShareOfCovered)}/{FiveCommunes.R(g.ShareOfPopulation)}")))
                .Concat(c.Overlaps.Select(o => $"{o.First}-{o.Second} {string.Join(",", o.Shared)} {FiveCommunes.R(o.Jaccard)}")));
        }

        foreach (var budget in new[] { TargetingBudget.Count(3), TargetingBudget.Population(0.4) })
            Assert.Equal(Render(FiveCommunes.All, budget), Render(FiveCommunes.Shuffled(FiveCommunes.All), budget));
    }
}
