using Analytics.Models.Secrecy;

namespace Analytics.Testing.Secrecy;

/// <summary>
/// What it means, for the tests, that a sensitive count is protected: the reader's feasibility
/// interval [L, U] of the cell (<see cref="FeasibilityIntervals"/>) is at least as wide as the
/// secrecy threshold, U − L ≥ threshold (11 by default) — unless the cell's own population is
/// below the threshold, in which case the tables must teach the reader nothing: [L, U] = [0, population].
/// </summary>
/// <remarks>
/// <para>This is the "sliding" protection interval of cell suppression with a total protection level
/// equal to the threshold: the interval a reader can compute must be at least p wide, wherever it
/// lies around the true value (Hundepool, Domingo-Ferrer, Franconi, Giessing, Schulte Nordholt,
/// Spicer, de Wolf, <i>Statistical Disclosure Control</i>, Wiley 2012, chapter 4 on magnitude
/// tables — feasibility intervals, upper and lower protection levels, sliding protection — and
/// chapter 5, which applies cell suppression to frequency tables such as counts of cases). A
/// sensitive cell is a count of 1 to threshold − 1 cases, or one whose complement population −
/// cases is (<see cref="SecrecyRule.PrimaryStatus"/>); the complement's interval has the same width,
/// so one test covers both.</para>
/// <para>It is at least as strict as what the product promises (docs/features.md, "Statistical
/// secrecy"; docs/methods-secrecy-and-index.md: no cell of 1 to 10 cases reachable directly or by
/// subtracting published totals, and no interval "narrower than the threshold and narrower than
/// the cell's own [0, population]"): it is the same criterion, applied to the exact interval a
/// linear program finds rather than to the possibly wider one bounds propagation finds. A cell
/// computable exactly has width 0 and fails.</para>
/// </remarks>
public static class ProtectionRequirement
{
    public static bool IsMet(FeasibleInterval interval, long? population, SecrecyRule rule) =>
        interval.Width >= rule.Threshold || (interval.Lower <= 0 && population is { } n && interval.Upper >= n);
}
