using System.Globalization;
using System.Text.RegularExpressions;
using Analytics.Models.Fairness;
using NetTopologySuite.Geometries;
using ScottPlot;

namespace Analytics.Jobs.FairnessReports;

/// <summary>The report's charts, drawn by ScottPlot as SVG and made fit to inline in an HTML page.</summary>
internal static partial class FairnessCharts
{
    private const int Width = 760;

    /// <summary>Verdict colours, all at least 4.5:1 against white (WCAG 1.4.11 asks 3:1 for graphics).</summary>
    public static string ColourOf(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "#1a7f37",
        Verdict.Warn => "#8a5a00",
        Verdict.Fail => "#b3261e",
        Verdict.InsufficientEvidence => "#57606a",
        _ => "#0550ae",
    };

    /// <summary>One row of a dot-and-interval chart: a label, a point, its interval, and the verdict that colours it.</summary>
    public sealed record Row(string Label, double Value, double Lower, double Upper, Verdict Verdict);

    /// <summary>
    /// Points with horizontal intervals, one row per group, a dashed line at 1 and, when given, the tolerance band
    /// shaded behind.
    /// </summary>
    public static string Intervals(string id, string title, string axisLabel, IReadOnlyList<Row> rows, (double Lower, double Upper)? band)
    {
        using var plot = new Plot();
        if (band is { } b)
            plot.Add.HorizontalSpan(b.Lower, b.Upper, Color.FromHex("#1a7f37").WithAlpha(0.12));
        plot.Add.VerticalLine(1, 1.5f, Color.FromHex("#24292f"), LinePattern.Dashed);
        var ys = rows.Select((_, i) => -(double)i).ToArray();
        var bars = new ScottPlot.Plottables.ErrorBar(
            rows.Select(r => r.Value).ToArray(), ys,
            rows.Select(r => r.Upper - r.Value).ToArray(), rows.Select(r => r.Value - r.Lower).ToArray(),
            new double[rows.Count], new double[rows.Count])
        {
            Color = Color.FromHex("#24292f"),
            LineWidth = 1.5f,
        };
        plot.Add.Plottable(bars);
        foreach (var group in rows.Select((r, i) => (r, i)).GroupBy(x => x.r.Verdict))
            plot.Add.Markers(group.Select(x => x.r.Value).ToArray(), group.Select(x => ys[x.i]).ToArray(), MarkerShape.FilledCircle, 9, Color.FromHex(ColourOf(group.Key)));
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ys, rows.Select(r => r.Label).ToArray());
        plot.Axes.SetLimitsY(-(rows.Count - 1) - 0.8, 0.8);
        plot.Title(title);
        plot.XLabel(axisLabel);
        return Inline(plot.GetSvgXml(Width, 90 + 24 * Math.Max(rows.Count, 3)), id, title);
    }

    /// <summary>Territories filled by the class of their residual on a diverging scale, grey when withheld or without one (<see cref="ResidualMap"/>).</summary>
    public static string Map(string id, string title, ResidualMap map)
    {
        using var plot = new Plot();
        foreach (var (code, geometry) in map.Polygons.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var colour = map.Classes.TryGetValue(code, out var k) && k != ResidualMap.Withheld ? ResidualMap.Colours[k] : ResidualMap.NoValueColour;
            for (var g = 0; g < geometry.NumGeometries; g++)
                if (geometry.GetGeometryN(g) is Polygon polygon)
                {
                    var shape = plot.Add.Polygon(polygon.ExteriorRing.Coordinates.Select(c => new ScottPlot.Coordinates(c.X, c.Y)).ToArray());
                    shape.FillColor = Color.FromHex(colour);
                    shape.LineColor = Color.FromHex("#6e7781");
                    shape.LineWidth = 0.3f;
                }
        }
        plot.Axes.SquareUnits();
        plot.HideAxesAndGrid();
        plot.Title(title);
        return Inline(plot.GetSvgXml(Width, 640), id, title);
    }

    /// <summary>
    /// ScottPlot's SVG made fit for an HTML page: no XML declaration or namespace URLs (the HTML parser puts inline
    /// SVG in its namespace; the page must name no external address, even as a namespace), ids prefixed so that
    /// several charts' clip paths do not collide, a viewBox so that it scales, and a title for screen readers.
    /// </summary>
    private static string Inline(string svg, string id, string title)
    {
        svg = XmlDeclaration().Replace(svg, "");
        svg = NamespaceAttribute().Replace(svg, "");
        svg = IdAttribute().Replace(svg, m => $"id=\"{id}-{m.Groups[1].Value}\"");
        svg = svg.Replace("url(#", $"url(#{id}-", StringComparison.Ordinal);
        return RootWithSize().Replace(svg, m =>
            string.Create(CultureInfo.InvariantCulture,
                $"<svg width=\"{m.Groups[1].Value}\" height=\"{m.Groups[2].Value}\" viewBox=\"0 0 {m.Groups[1].Value} {m.Groups[2].Value}\" role=\"img\" aria-labelledby=\"{id}-titre\"><title id=\"{id}-titre\">{Html.Text(title)}</title>"),
            1);
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\s+xmlns(:\w+)?=""[^""]*""")]
    private static partial Regex NamespaceAttribute();

    [GeneratedRegex(@"\bid=""([^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"<svg\s+width=""(\d+)""\s+height=""(\d+)""\s*>")]
    private static partial Regex RootWithSize();
}
