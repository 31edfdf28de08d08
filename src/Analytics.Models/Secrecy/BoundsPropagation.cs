namespace Analytics.Models.Secrecy;

/// <summary>
/// Interval constraint propagation over Σ aⱼ·xⱼ = b with integer unknowns in [lowerⱼ, upperⱼ]:
/// each equation bounds each of its unknowns by what the others can add up to, and this repeats
/// until nothing tightens (or a sweep limit is reached).
/// </summary>
/// <remarks>
/// Every bound found holds for every non-negative table consistent with the published figures, so
/// an interval found narrow here is truly that narrow (sound). It is not the tightest interval a
/// linear program would find (not complete): propagation looks at one equation at a time.
/// The equation that last tightened each bound is kept to explain it.
/// </remarks>
internal static class BoundsPropagation
{
    public sealed record Equation(int Origin, int[] Unknowns, long[] Coefficients, long Constant);

    public sealed record Result(double[] Lower, double[] Upper, int[] LowerReason, int[] UpperReason);

    private const int MaximumSweeps = 200;

    public static Result Run(IReadOnlyList<Equation> equations, double[] lower, double[] upper)
    {
        var lo = (double[])lower.Clone();
        var hi = (double[])upper.Clone();
        var loReason = Enumerable.Repeat(-1, lo.Length).ToArray();
        var hiReason = Enumerable.Repeat(-1, hi.Length).ToArray();
        for (var sweep = 0; sweep < MaximumSweeps; sweep++)
        {
            var changed = false;
            foreach (var e in equations)
            {
                // Range of Σ aⱼxⱼ, with infinite ends counted apart so one can be left out exactly.
                double minFinite = 0, maxFinite = 0;
                int minInfinite = 0, maxInfinite = 0;
                for (var k = 0; k < e.Unknowns.Length; k++)
                {
                    var (a, b) = TermRange(e.Coefficients[k], lo[e.Unknowns[k]], hi[e.Unknowns[k]]);
                    if (double.IsInfinity(a)) minInfinite++; else minFinite += a;
                    if (double.IsInfinity(b)) maxInfinite++; else maxFinite += b;
                }
                for (var k = 0; k < e.Unknowns.Length; k++)
                {
                    var u = e.Unknowns[k];
                    var c = e.Coefficients[k];
                    var (ownMin, ownMax) = TermRange(c, lo[u], hi[u]);
                    // Others' range: the whole range less this term's own contribution.
                    var othersMin = double.IsInfinity(ownMin) ? (minInfinite > 1 ? double.NegativeInfinity : minFinite)
                        : (minInfinite > 0 ? double.NegativeInfinity : minFinite - ownMin);
                    var othersMax = double.IsInfinity(ownMax) ? (maxInfinite > 1 ? double.PositiveInfinity : maxFinite)
                        : (maxInfinite > 0 ? double.PositiveInfinity : maxFinite - ownMax);
                    // c·x = b − others  ⇒  c·x ∈ [b − othersMax, b − othersMin].
                    var termLow = e.Constant - othersMax;
                    var termHigh = e.Constant - othersMin;
                    var (xLow, xHigh) = c > 0 ? (termLow / c, termHigh / c) : (termHigh / c, termLow / c);
                    xLow = Math.Ceiling(xLow - 1e-9);
                    xHigh = Math.Floor(xHigh + 1e-9);
                    if (xLow > lo[u])
                    {
                        lo[u] = xLow;
                        loReason[u] = e.Origin;
                        changed = true;
                    }
                    if (xHigh < hi[u])
                    {
                        hi[u] = xHigh;
                        hiReason[u] = e.Origin;
                        changed = true;
                    }
                }
            }
            if (!changed)
                break;
        }
        return new Result(lo, hi, loReason, hiReason);
    }

    private static (double Min, double Max) TermRange(long coefficient, double lower, double upper) =>
        coefficient > 0 ? (coefficient * lower, coefficient * upper) : (coefficient * upper, coefficient * lower);
}
