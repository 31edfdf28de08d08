using MathNet.Numerics;

namespace Analytics.Models.Epidemiology;

/// <summary>Which tail of Poisson(E) a probability-map value measures.</summary>
public enum PoissonTail
{
    /// <summary>P(X ≤ O): the observed count is below the expected one, a possible deficit (spdep's <c>type = TRUE</c>).</summary>
    Lower,

    /// <summary>P(X ≥ O): the observed count is at or above the expected one, a possible excess (spdep's <c>type = FALSE</c>).</summary>
    Upper,
}

/// <summary>One area of a probability map.</summary>
/// <param name="Observed">O, the recorded count.</param>
/// <param name="Expected">E, the mean of the count under the reference rates.</param>
/// <param name="Probability">The probability, under X ~ Poisson(E), of a count at least as far from E as O on O's side: P(X ≤ O) or P(X ≥ O).</param>
/// <param name="Tail">Which of the two it is.</param>
public sealed record PoissonMapArea(long Observed, double Expected, double Probability, PoissonTail Tail);

/// <summary>
/// Choynowski's probability map (Choynowski 1959, "Maps based on probabilities", JASA 54:385–388), also called
/// the Poisson probability map: each area's count judged against Poisson(E) by the one tail on its own side, so
/// that a small probability marks an unusual area whatever its size — unlike an SIR, which is extreme in small
/// areas by chance alone. Equals <c>spdep::choynowski</c> (<c>pmap</c>, its logical <c>type</c> being
/// <see cref="PoissonTail.Lower"/>); <c>spdep::probmap</c> instead applies one tail, chosen by its
/// <c>alternative</c>, to every area: <see cref="Probability"/> of that tail.
/// </summary>
/// <remarks>
/// The probabilities are one-tailed and not corrected for the many areas tested: a map of them shows where to
/// look, not which areas differ.
/// </remarks>
public static class PoissonProbabilityMap
{
    /// <summary>
    /// Each area against its expected count (from indirect standardisation, say): P(X ≥ O) when O ≥ E,
    /// P(X ≤ O) when O &lt; E, X ~ Poisson(E).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a count is negative, or an expected count is not positive and finite.</exception>
    public static PoissonMapArea[] FromExpected(IReadOnlyList<long> observed, IReadOnlyList<double> expected)
    {
        if (observed.Count != expected.Count)
            throw new ArgumentException($"{observed.Count} observed counts for {expected.Count} expected ones");
        var map = new PoissonMapArea[observed.Count];
        for (var i = 0; i < map.Length; i++)
        {
            if (observed[i] < 0)
                throw new ArgumentException($"area {i}: observed count {observed[i]} is negative");
            if (!(expected[i] > 0) || !double.IsFinite(expected[i]))
                throw new ArgumentException($"area {i}: expected count {expected[i]} must be positive and finite");
            var tail = observed[i] < expected[i] ? PoissonTail.Lower : PoissonTail.Upper;
            map[i] = new PoissonMapArea(observed[i], expected[i], Probability(observed[i], expected[i], tail), tail);
        }
        return map;
    }

    /// <summary>
    /// Each area against the overall crude rate, as <c>spdep::choynowski(n, x)</c>: Eᵢ = xᵢ Σn / Σx, then
    /// <see cref="FromExpected"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a count is negative, a population is not positive, no case at all, or more cases than people at risk.</exception>
    public static PoissonMapArea[] FromPopulation(IReadOnlyList<long> cases, IReadOnlyList<double> population)
    {
        if (cases.Count != population.Count)
            throw new ArgumentException($"{cases.Count} counts for {population.Count} populations");
        if (population.Any(p => !(p > 0) || !double.IsFinite(p)))
            throw new ArgumentException("every population at risk must be positive and finite");
        var rate = cases.Sum() / population.Sum();
        if (!(rate > 0))
            throw new ArgumentException("no case anywhere: every expected count would be 0");
        if (rate > 1)
            throw new ArgumentException("more cases than people at risk: are cases and population swapped?");
        return FromExpected(cases, population.Select(p => p * rate).ToArray());
    }

    /// <summary>P(X ≤ <paramref name="observed"/>) or P(X ≥ <paramref name="observed"/>) for X ~ Poisson(<paramref name="expected"/>).</summary>
    /// <remarks>
    /// Both tails come from the regularised incomplete gamma function, P(X ≤ O) = Q(O + 1, E) and
    /// P(X ≥ O) = P(O, E), rather than 1 − P(X ≤ O − 1) as spdep writes the upper tail: the difference of
    /// nearly equal numbers loses the digits of a small probability (at E = 10⁻⁹, P(X ≥ 1) ≈ 10⁻⁹ would keep 7).
    /// </remarks>
    public static double Probability(long observed, double expected, PoissonTail tail) => tail switch
    {
        PoissonTail.Lower => SpecialFunctions.GammaUpperRegularized(observed + 1, expected),
        PoissonTail.Upper => observed == 0 ? 1 : SpecialFunctions.GammaLowerRegularized(observed, expected),
        _ => throw new ArgumentOutOfRangeException(nameof(tail), tail, "unknown tail"),
    };
}
