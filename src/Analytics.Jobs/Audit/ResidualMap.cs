using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Audit;

/// <summary>
/// What the report's residual map needs: each territory's polygon (projected coordinates, e.g. Lambert-93, so that
/// the map keeps its shape with equal axis units) and its Pearson residual (observed − predicted) / √predicted
/// (<see cref="Models.Fairness.TerritoryOutcome.PearsonResidual"/>), both keyed by territory code.
/// </summary>
public sealed record ResidualMap(IReadOnlyDictionary<string, Geometry> Polygons, IReadOnlyDictionary<string, double> Residuals)
{
    /// <summary>
    /// Class bounds of the diverging scale, on the Pearson scale: beyond ±2 a residual is unusual for Poisson noise
    /// alone (about 5% of territories), beyond ±3 rare.
    /// </summary>
    internal static readonly double[] Breaks = [-3, -2, -1, 1, 2, 3];

    /// <summary>ColorBrewer RdBu, 7 classes (Brewer 2002), reversed: blue = over-predicted, red = under-predicted.</summary>
    internal static readonly string[] Colours = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];

    /// <summary>Colour for a territory with a polygon but no residual.</summary>
    internal const string NoValueColour = "#bdbdbd";

    /// <summary>Index of the class of <paramref name="residual"/>: 0 for ≤ −3 … 6 for ≥ 3.</summary>
    internal static int ClassOf(double residual)
    {
        var k = 0;
        while (k < Breaks.Length && (k < 3 ? residual > Breaks[k] : residual >= Breaks[k]))
            k++;
        return k;
    }

    /// <summary>Legend text of each class, in order.</summary>
    internal static readonly string[] ClassLabels = ["≤ −3", "de −3 à −2", "de −2 à −1", "de −1 à 1", "de 1 à 2", "de 2 à 3", "≥ 3"];
}
