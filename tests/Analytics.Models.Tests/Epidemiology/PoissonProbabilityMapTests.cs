using Analytics.Models.Epidemiology;

namespace Analytics.Models.Tests.Epidemiology;

public class PoissonProbabilityMapTests
{
    [Fact]
    public void small_counts_match_the_exact_sums_worked_by_hand()
    {
        // X ~ Poisson(2), P(X = k) = e⁻²·2ᵏ/k!: 1, 2, 2, 4/3, 2/3 times e⁻² for k = 0..4.
        // O = 0 < E: P(X ≤ 0) = e⁻². O = 1 < E: P(X ≤ 1) = 3e⁻². O = 2 = E counts as an excess: P(X ≥ 2) = 1 − 3e⁻².
        // O = 5: P(X ≥ 5) = 1 − (1 + 2 + 2 + 4/3 + 2/3)e⁻² = 1 − 7e⁻².
        var e2 = Math.Exp(-2);

        var map = PoissonProbabilityMap.FromExpected([0, 1, 2, 5], [2, 2, 2, 2]);

        Assert.Equal([PoissonTail.Lower, PoissonTail.Lower, PoissonTail.Upper, PoissonTail.Upper], map.Select(a => a.Tail));
        Assert.Equal(e2, map[0].Probability, 1e-15);
        Assert.Equal(3 * e2, map[1].Probability, 1e-15);
        Assert.Equal(1 - 3 * e2, map[2].Probability, 1e-15);
        Assert.Equal(1 - 7 * e2, map[3].Probability, 1e-15);
    }

    [Fact]
    public void choynowski_from_populations_takes_the_overall_rate_as_spdep_does()
    {
        // 10 cases over 2,000 people: rate 1/200, so E = 5 in each area of 1,000.
        // O = 2 < 5: P(X ≤ 2) = e⁻⁵(1 + 5 + 12.5). O = 8 ≥ 5: P(X ≥ 8) = 1 − e⁻⁵ Σₖ₌₀⁷ 5ᵏ/k!.
        var e5 = Math.Exp(-5);
        var below8 = e5 * (1 + 5 + 25 / 2.0 + 125 / 6.0 + 625 / 24.0 + 3125 / 120.0 + 15625 / 720.0 + 78125 / 5040.0);

        var map = PoissonProbabilityMap.FromPopulation([2, 8], [1000, 1000]);

        Assert.Equal([5.0, 5.0], map.Select(a => a.Expected));
        Assert.Equal(PoissonTail.Lower, map[0].Tail);
        Assert.Equal(18.5 * e5, map[0].Probability, 1e-15);
        Assert.Equal(PoissonTail.Upper, map[1].Tail);
        Assert.Equal(1 - below8, map[1].Probability, 1e-14);
    }

    [Fact]
    public void the_scottish_districts_match_poisson_tails_summed_term_by_term()
    {
        var observed = ScotlandLipCancer.Observed;
        var expected = ScotlandLipCancer.ExpectedCases;

        var map = PoissonProbabilityMap.FromExpected(observed, expected);

        for (var i = 0; i < observed.Length; i++)
        {
            var tail = observed[i] < expected[i] ? PoissonTail.Lower : PoissonTail.Upper;
            var sum = tail == PoissonTail.Lower ? LowerTailBySum(observed[i], expected[i]) : UpperTailBySum(observed[i], expected[i]);
            Assert.Equal(tail, map[i].Tail);
            Assert.True(Math.Abs(map[i].Probability - sum) <= 1e-12 * sum, $"district {i + 1}: {map[i].Probability} vs {sum}");
        }
        // Clayton & Kaldor's districts run from high to low SMR: the first ones are excesses, the last deficits.
        Assert.Equal(PoissonTail.Upper, map[0].Tail);
        Assert.Equal(PoissonTail.Lower, map[^1].Tail);
    }

    [Fact]
    public void no_case_gives_the_lower_tail_e_to_the_minus_e()
    {
        var map = PoissonProbabilityMap.FromExpected([0, 0], [3.5, 1e-9]);

        Assert.All(map, a => Assert.Equal(PoissonTail.Lower, a.Tail));
        Assert.Equal(Math.Exp(-3.5), map[0].Probability, 1e-15);
        Assert.Equal(Math.Exp(-1e-9), map[1].Probability, 1e-15);
    }

    [Fact]
    public void a_case_where_almost_none_is_expected_keeps_its_small_probability_to_full_precision()
    {
        // P(X ≥ 1) = 1 − e^(−E) = −expm1(−E) = E − E²/2 + …; P(X ≥ 3) = e^(−E)(E³/6 + E⁴/24 + …) ≈ E³/6.
        // 1 − P(X ≤ 0) computed as a difference would keep only about 7 of these digits.
        const double e = 1e-9;

        var map = PoissonProbabilityMap.FromExpected([1, 3], [e, e]);

        Assert.All(map, a => Assert.Equal(PoissonTail.Upper, a.Tail));
        Assert.Equal(1, map[0].Probability / (e - e * e / 2), 12);
        Assert.Equal(1, map[1].Probability / (Math.Exp(-e) * (e * e * e / 6 + e * e * e * e / 24)), 12);
    }

    [Fact]
    public void one_tail_for_every_area_is_spdeps_probmap()
    {
        // probmap(alternative = "less") gives P(X ≤ O) even where O ≥ E: for O = 5, E = 2, (7 + 2⁵/5!)e⁻² = (7 + 4/15)e⁻².
        Assert.Equal((7 + 4.0 / 15) * Math.Exp(-2), PoissonProbabilityMap.Probability(5, 2, PoissonTail.Lower), 1e-15);
        Assert.Equal(1, PoissonProbabilityMap.Probability(0, 2, PoissonTail.Upper));
    }

    [Fact]
    public void impossible_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PoissonProbabilityMap.FromExpected([-1], [2]));
        Assert.Throws<ArgumentException>(() => PoissonProbabilityMap.FromExpected([1], [0]));
        Assert.Throws<ArgumentException>(() => PoissonProbabilityMap.FromExpected([1, 2], [2]));
        Assert.Throws<ArgumentException>(() => PoissonProbabilityMap.FromPopulation([0, 0], [10, 10]));
        Assert.Throws<ArgumentException>(() => PoissonProbabilityMap.FromPopulation([30, 0], [10, 10]));
    }

    /// <summary>P(X ≤ O) as Σₖ₌₀ᴼ e^(−E)Eᵏ/k!, each term from the last.</summary>
    private static double LowerTailBySum(long observed, double expected)
    {
        double term = Math.Exp(-expected), sum = term;
        for (var k = 1; k <= observed; k++)
        {
            term *= expected / k;
            sum += term;
        }
        return sum;
    }

    /// <summary>P(X ≥ O) as Σₖ≥ₒ e^(−E)Eᵏ/k!, from the O-th term (in logs) until the terms no longer count.</summary>
    private static double UpperTailBySum(long observed, double expected)
    {
        var logTerm = -expected;
        for (var k = 1; k <= observed; k++)
            logTerm += Math.Log(expected / k);
        double term = Math.Exp(logTerm), sum = 0;
        for (var k = observed + 1; term > 1e-18 * sum || k <= expected + 1; k++)
        {
            sum += term;
            term *= expected / k;
        }
        return sum;
    }
}
