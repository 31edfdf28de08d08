using Analytics.Models.Modelling;
using Analytics.Models.Planning;

namespace Analytics.Models.Tests.Planning;

public class PriorityRankingTests
{
    [Fact]
    public void communes_are_ranked_by_excess_cases_and_the_too_uncertain_one_comes_last_without_a_rank()
    {
        // Excess μ − E: A 10, D 9, B 8, E 5, C 0.096. C's interval [0, 1] is 1/0.24 = 4.17 times its mean (> 2):
        // unranked, after the others, although its SIR (1.67) is the highest of the five.
        var ranking = PriorityRanking.Rank(FiveCommunes.All);

        Assert.Equal(["A", "D", "B", "E", "C"], ranking.Select(r => r.Territory.Code));
        Assert.Equal([1, 2, 3, 4, null], ranking.Select(r => r.Rank));
        Assert.Equal([false, false, false, false, true], ranking.Select(r => r.TooUncertain));
    }

    [Fact]
    public void too_uncertain_territories_keep_the_excess_order_among_themselves()
    {
        // Both have intervals wider than twice μ; Y's excess (0.5) is above X's (0.1), so Y comes first.
        var territories = new[]
        {
            FiveCommunes.Make("X", 500, 0.2, 0.3, 0, 2),
            FiveCommunes.Make("Y", 900, 0.5, 1.0, 0, 3),
            FiveCommunes.Make("Z", 9_000, 8, 9, 4, 14),
        };

        var ranking = PriorityRanking.Rank(territories);

        Assert.Equal(["Z", "Y", "X"], ranking.Select(r => r.Territory.Code));
        Assert.Equal([1, null, null], ranking.Select(r => r.Rank));
    }

    [Fact]
    public void equal_excess_cases_are_ordered_by_code_compared_ordinally()
    {
        // Ordinal comparison: "X10" < "X2" < "x1" (digits, then upper case, then lower case).
        var territories = new[] { "x1", "X2", "X10" }.Select(c => FiveCommunes.Make(c, 10_000, 10, 12, 7, 18));

        Assert.Equal(["X10", "X2", "x1"], PriorityRanking.Rank(territories).Select(r => r.Territory.Code));
    }

    [Fact]
    public void for_a_poisson_count_the_limit_of_twice_the_mean_falls_at_about_two_and_a_half_predicted_cases()
    {
        // Poisson 90% intervals: μ = 2.4 → [0, 5] (P(Y ≤ 4) = 0.904 < 0.95 ≤ P(Y ≤ 5) = 0.964), width 5/2.4 = 2.08 > 2;
        // μ = 2.5 → [0, 5] (P(Y ≤ 4) = 0.891, P(Y ≤ 5) = 0.958), width 5/2.5 = 2.0, not above the limit;
        // μ = 3 → [1, 6], width 5/3 = 1.67.
        PlanningTerritory WithPoissonInterval(double mu)
        {
            var (low, high) = PredictionIntervals.Count(mu, mu);
            return FiveCommunes.Make("T", 1_000, 1, mu, low, high);
        }

        Assert.Equal((0L, 5L), PredictionIntervals.Count(2.4, 2.4));
        Assert.Equal((0L, 5L), PredictionIntervals.Count(2.5, 2.5));
        Assert.True(PriorityRanking.IsTooUncertain(WithPoissonInterval(2.4)));
        Assert.False(PriorityRanking.IsTooUncertain(WithPoissonInterval(2.5)));
        Assert.False(PriorityRanking.IsTooUncertain(WithPoissonInterval(3)));
    }

    [Fact]
    public void a_zero_prediction_with_a_nonzero_interval_is_too_uncertain_rather_than_a_division_by_zero()
    {
        Assert.True(PriorityRanking.IsTooUncertain(FiveCommunes.Make("T", 1_000, 1, 0, 0, 1)));
        Assert.False(PriorityRanking.IsTooUncertain(FiveCommunes.Make("T", 1_000, 1, 0, 0, 0)));
    }

    [Fact]
    public void the_rule_is_stated_in_one_french_and_one_english_sentence()
    {
        foreach (var sentence in new[] { PriorityRanking.RuleFr, PriorityRanking.RuleEn })
        {
            Assert.EndsWith(".", sentence, StringComparison.Ordinal);
            Assert.Single(sentence.Split(". ", StringSplitOptions.None));
        }
        Assert.Contains("excès", PriorityRanking.RuleFr, StringComparison.Ordinal);
        Assert.Contains("90 %", PriorityRanking.RuleFr, StringComparison.Ordinal);
        Assert.Contains("excess", PriorityRanking.RuleEn, StringComparison.Ordinal);
        Assert.Contains("90%", PriorityRanking.RuleEn, StringComparison.Ordinal);
    }

    [Fact]
    public void the_same_territories_in_another_order_give_the_same_ranking()
    {
        string Render(IEnumerable<PlanningTerritory> ts) =>
            string.Join(";", PriorityRanking.Rank(ts).Select(r => $"{r.Territory.Code}:{r.Rank}:{r.TooUncertain}"));

        Assert.Equal(Render(FiveCommunes.All), Render(FiveCommunes.Shuffled(FiveCommunes.All)));
    }

    [Fact]
    public void a_code_given_twice_is_refused_naming_it()
    {
        var twice = FiveCommunes.All.Append(FiveCommunes.Make("B", 1_000, 1, 1, 0, 3));

        var error = Assert.Throws<ArgumentException>(() => PriorityRanking.Rank(twice));
        Assert.Contains("'B' appears twice", error.Message, StringComparison.Ordinal);
    }
}
