using Analytics.Models.Fairness;
using Analytics.Models.Secrecy;
using NetTopologySuite.Geometries;

namespace Analytics.Jobs.FairnessReports;

/// <summary>
/// What the reviewer's residual map needs: each territory's polygon (projected coordinates, e.g. Lambert-93, so that
/// the map keeps its shape with equal axis units) and the class of its Pearson residual (observed − predicted) /
/// √predicted, or <see cref="Withheld"/>, both keyed by territory code.
/// </summary>
/// <remarks>
/// Classes, not values: a residual to two decimals with the predicted count gives the recorded count back
/// (O = E + r√E). A territory whose recorded count is secret under the rule (1 to threshold − 1) has no class at all:
/// its class would bound the count to a few units. The map is drawn for reviewers and auditors only; the
/// analyst-facing report has none (<see cref="PublishedFairness"/>).
/// </remarks>
public sealed record ResidualMap(IReadOnlyDictionary<string, Geometry> Polygons, IReadOnlyDictionary<string, int> Classes)
{
    /// <summary>The class of a territory whose recorded count is secret: drawn grey, "secret statistique".</summary>
    public const int Withheld = -1;

    /// <summary>The map of <paramref name="outcomes"/>: each territory's class, or <see cref="Withheld"/> when its recorded count is secret under <paramref name="rule"/>.</summary>
    public static ResidualMap Of(IReadOnlyDictionary<string, Geometry> polygons, IEnumerable<TerritoryOutcome> outcomes, SecrecyRule rule) =>
        new(polygons, outcomes.ToDictionary(o => o.Code, o => rule.IsSmall(o.Observed) ? Withheld : ClassOf(o.PearsonResidual), StringComparer.Ordinal));

    /// <summary>
    /// Class bounds of the diverging scale, on the Pearson scale: beyond ±2 a residual is unusual for Poisson noise
    /// alone (about 5% of territories), beyond ±3 rare.
    /// </summary>
    internal static readonly double[] Breaks = [-3, -2, -1, 1, 2, 3];

    /// <summary>ColorBrewer RdBu, 7 classes (Brewer 2002), reversed: blue = over-predicted, red = under-predicted.</summary>
    internal static readonly string[] Colours = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];

    /// <summary>Colour for a territory with a polygon but no class (not audited, or <see cref="Withheld"/>).</summary>
    internal const string NoValueColour = "#bdbdbd";

    /// <summary>Index of the class of <paramref name="residual"/>: 0 for ≤ −3 … 6 for ≥ 3.</summary>
    internal static int ClassOf(double residual)
    {
        var k = 0;
        while (k < Breaks.Length && (k < 3 ? residual > Breaks[k] : residual >= Breaks[k]))
            k++;
        return k;
    }
}
