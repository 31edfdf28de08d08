using System.Globalization;
using System.Security;
using Analytics.Jobs.Ingest;
using Analytics.Models.Epidemiology;
using Analytics.Models.Secrecy;
using ScottPlot;

namespace Analytics.Jobs.Features;

/// <summary>A chart as the API serves it: the image's bytes and its media type.</summary>
public sealed record ChartImage(byte[] Bytes, string ContentType);

/// <summary>One territory's point on a funnel plot: its published SIR and expected cases.</summary>
public sealed record FunnelPoint(string Code, string Name, double Expected, double Sir);

/// <summary>
/// Charts where a picture beats a table, drawn by ScottPlot from published figures only (withheld ones are
/// counted in a caption, never drawn), labelled in French or English, as SVG or PNG.
/// </summary>
public static class IndicatorCharts
{
    private const int Width = 800, Height = 480;
    private static readonly string[] Palette = ["#0550ae", "#8a5a00", "#6639ba", "#1a7f37", "#57606a"];
    private const string Highlight = "#b3261e";

    /// <summary>A territory's figure period by period beside its ancestors' (<see cref="PublishedFigures.CompareAsync"/>), each with its 95% interval.</summary>
    public static ChartImage Series(IReadOnlyList<ComparedFigure> rows, HealthStatistic statistic, string conditionLabel, bool english, bool png)
    {
        var periods = rows.Select(r => r.Period).Distinct().Order(StringComparer.Ordinal).ToArray();
        using var plot = new Plot();
        foreach (var (line, i) in rows.GroupBy(r => r.Depth).OrderBy(g => g.Key).Select((g, i) => (g.ToList(), i)))
        {
            var colour = Color.FromHex(i == 0 ? Highlight : Palette[(i - 1) % Palette.Length]);
            var shown = line.Where(r => r.Value is not null).ToList();
            var xs = shown.Select(r => (double)Array.IndexOf(periods, r.Period) + (i * 0.06)).ToArray();
            var scatter = plot.Add.Scatter(xs, shown.Select(r => r.Value!.Value).ToArray(), colour);
            scatter.LineWidth = i == 0 ? 2.5f : 1.5f;
            scatter.MarkerSize = 7;
            var withheld = line.Count(r => r.Value is null);
            scatter.LegendText = (line[0].Level == Levels.Whole ? Text(english, "Ensemble des territoires", "All territories") : $"{line[0].Name} ({line[0].Level})") + (withheld > 0 ? Text(english, $" — {withheld} période(s) masquée(s)", $" — {withheld} period(s) withheld") : "");
            var intervals = shown.Where(r => r.Low is not null && r.High is not null).ToList();
            if (intervals.Count > 0)
                plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(
                    intervals.Select(r => (double)Array.IndexOf(periods, r.Period) + (i * 0.06)).ToArray(), intervals.Select(r => r.Value!.Value).ToArray(),
                    new double[intervals.Count], new double[intervals.Count],
                    intervals.Select(r => r.Value!.Value - r.Low!.Value).ToArray(), intervals.Select(r => r.High!.Value - r.Value!.Value).ToArray())
                { Color = colour, LineWidth = 1.2f });
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(periods.Select((_, i) => (double)i).ToArray(), periods);
        plot.Axes.SetLimitsX(-0.5, periods.Length - 0.5);
        plot.Title($"{conditionLabel} — {Label(statistic, english)}");
        plot.YLabel(Label(statistic, english));
        plot.XLabel(Text(english, "Période (intervalles à 95 %)", "Period (95% intervals)"));
        plot.ShowLegend(Alignment.UpperLeft);
        return Render(plot, png);
    }

    /// <summary>The published values of a level for one period as a histogram, the territory's value marked (or said withheld).</summary>
    public static ChartImage Distribution(IReadOnlyList<LevelFigure> level, LevelFigure? territory, HealthStatistic statistic, string conditionLabel, bool english, bool png)
    {
        var values = level.Where(f => f.Value is not null).Select(f => f.Value!.Value).ToArray();
        using var plot = new Plot();
        if (values.Length > 0)
        {
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(Math.Clamp((int)Math.Ceiling(Math.Sqrt(values.Length)), 5, 40), values);
            var bars = plot.Add.Bars(histogram.Bins, histogram.Counts.Select(c => (double)c).ToArray());
            bars.Color = Color.FromHex(Palette[0]).WithAlpha(0.6);
            foreach (var bar in bars.Bars)
                bar.Size = histogram.FirstBinSize * 0.95;
        }
        var withheld = level.Count(f => f.Value is null);
        if (territory?.Value is { } value)
        {
            var line = plot.Add.VerticalLine(value, 2.5f, Color.FromHex(Highlight));
            line.LegendText = $"{territory.Name} : {Number(value)}";
        }
        plot.Title($"{conditionLabel} — {Label(statistic, english)} ({territory?.Period ?? level.FirstOrDefault()?.Period})");
        plot.XLabel(Label(statistic, english));
        plot.YLabel(Text(english, "Territoires", "Territories"));
        var caption = Text(english, $"{values.Length} territoires publiés, {withheld} masqués ou manquants", $"{values.Length} territories published, {withheld} withheld or missing");
        if (territory is { Value: null })
            caption += Text(english, $" ; {territory.Name} : {PublicationStates.Label(territory.State).Fr}", $"; {territory.Name}: {PublicationStates.Label(territory.State).En}");
        plot.Axes.Bottom.Label.Text += $"\n{caption}";
        if (territory?.Value is not null)
            plot.ShowLegend(Alignment.UpperRight);
        return Render(plot, png);
    }

    /// <summary>
    /// Published SIRs against expected cases with Spiegelhalter's 95% and 99.8% control limits around 1
    /// (<see cref="FunnelLimits"/>); a territory outside the funnel differs from the reference beyond chance.
    /// </summary>
    public static ChartImage Funnel(IReadOnlyList<FunnelPoint> points, string? markedCode, int withheld, string conditionLabel, string period, bool english, bool png)
    {
        using var plot = new Plot();
        if (points.Count > 0)
        {
            var (min, max) = (Math.Max(0.5, points.Min(p => p.Expected) * 0.8), points.Max(p => p.Expected) * 1.2);
            var xs = Enumerable.Range(0, 200).Select(i => min * Math.Pow(max / min, i / 199.0)).ToArray();
            foreach (var (coverage, pattern, name) in new[] { (0.95, LinePattern.Dashed, "95 %"), (0.998, LinePattern.Dotted, "99,8 %") })
            {
                var limits = xs.Select(e => FunnelLimits.For(e, coverage)).ToArray();
                var upper = plot.Add.ScatterLine(xs, limits.Select(l => l.Upper).ToArray(), Color.FromHex("#24292f"));
                upper.LinePattern = pattern;
                upper.LegendText = Text(english, $"limites de contrôle {name}", $"{name.Replace(',', '.')} control limits");
                var lower = plot.Add.ScatterLine(xs, limits.Select(l => l.Lower).ToArray(), Color.FromHex("#24292f"));
                lower.LinePattern = pattern;
            }
            plot.Add.HorizontalLine(1, 1, Color.FromHex("#57606a"));
            var others = points.Where(p => p.Code != markedCode).ToList();
            plot.Add.Markers(others.Select(p => p.Expected).ToArray(), others.Select(p => p.Sir).ToArray(), MarkerShape.FilledCircle, 5, Color.FromHex(Palette[0]).WithAlpha(0.7));
            if (points.FirstOrDefault(p => p.Code == markedCode) is { } marked)
            {
                var mark = plot.Add.Markers(new[] { marked.Expected }, new[] { marked.Sir }, MarkerShape.FilledDiamond, 12, Color.FromHex(Highlight));
                mark.LegendText = $"{marked.Name} : SIR {Number(marked.Sir)}";
            }
            plot.ShowLegend(Alignment.UpperRight);
        }
        plot.Title($"{conditionLabel} — {Text(english, "graphique en entonnoir", "funnel plot")} ({period})");
        plot.XLabel(Text(english, $"Cas attendus — {points.Count} territoires publiés, {withheld} masqués ou manquants",
            $"Expected cases — {points.Count} territories published, {withheld} withheld or missing"));
        plot.YLabel(Label(HealthStatistics.Sir, english));
        return Render(plot, png);
    }

    private static ChartImage Render(Plot plot, bool png)
    {
        if (png)
            return new ChartImage(plot.GetImageBytes(Width, Height, ImageFormat.Png), "image/png");
        var svg = plot.GetSvgXml(Width, Height);
        // A title as the root's first child: what a screen reader announces for the image.
        var root = svg.IndexOf('>', svg.IndexOf("<svg", StringComparison.Ordinal)) + 1;
        svg = svg.Insert(root, $"<title>{SecurityElement.Escape(plot.Axes.Title.Label.Text)}</title>");
        return new ChartImage(System.Text.Encoding.UTF8.GetBytes(svg), "image/svg+xml");
    }

    private static string Label(HealthStatistic statistic, bool english) => english ? statistic.En : statistic.Fr;

    private static string Text(bool english, string fr, string en) => english ? en : fr;

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
