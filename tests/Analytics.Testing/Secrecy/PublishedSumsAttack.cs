using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Models.Secrecy;

namespace Analytics.Testing.Secrecy;

/// <summary>
/// The reader who wants recorded counts back from a published fairness report, with what the product
/// publishes besides: each territory's groups (deprivation quintile, density class, overseas: public) and its
/// predicted count E (the territory route). Two derivations:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>Residuals.</b> Any territory code followed closely by a decimal number in an artefact is read as its
/// Pearson residual r, and the count estimated as Ô = E + r√E. A count of 1 to threshold − 1 is breached when the
/// truth lies within ± (threshold − 1) / 2 of the estimate: the reader holds an interval narrower than the
/// threshold around it.</item>
/// <item><b>Sums.</b> Every group sum the report gives (directly, or as calibration × predicted), the total, and
/// the fact that each group and the total are sums of their territories' counts: one linear system whose unknowns
/// are the territories' counts and the withheld groups. Differences between a margin and its shown groups, between
/// dimensions, between the total and any union of groups (a zone such as the overseas territories, or the territories
/// left after an exclusion) are all combinations of these equations, so the linear-programming oracle
/// (<see cref="SecrecyOracle.Breaches"/>) gives the narrowest interval any of them reaches for each sensitive count —
/// a territory's or a group's of 1 to threshold − 1 — and reports those narrower than the protection interval
/// (<see cref="ProtectionRequirement"/>).</item>
/// </list>
/// </remarks>
public static class PublishedSumsAttack
{
    /// <summary>A territory as the reader knows it, with its true recorded count (for judging, never used by the derivations).</summary>
    /// <param name="Code">Territory code.</param>
    /// <param name="Groups">Its label in each raw dimension (public).</param>
    /// <param name="Predicted">E, the predicted count over the audited period as the territory route gives it; null when it answers nothing (an excluded territory).</param>
    /// <param name="Truth">The recorded count over the audited period.</param>
    public sealed record Territory(string Code, IReadOnlyDictionary<string, string> Groups, double? Predicted, long Truth);

    /// <summary>Group sums of recorded cases a report gives away, keyed by (dimension, label); "" / "all" for the total.</summary>
    public static Dictionary<(string Dimension, string Label), long> SumsIn(JsonElement report)
    {
        var sums = new Dictionary<(string, string), long>();
        if (report.TryGetProperty("observedCases", out var total) && total.ValueKind == JsonValueKind.Number)
            sums[("", "all")] = total.GetInt64();
        foreach (var dimension in report.GetProperty("dimensions").EnumerateArray())
            foreach (var group in dimension.GetProperty("groups").EnumerateArray())
            {
                var key = (dimension.GetProperty("dimension").GetString()!, group.GetProperty("label").GetString()!);
                if (group.TryGetProperty("sums", out var s) && s.ValueKind == JsonValueKind.Object)
                {
                    sums[key] = s.GetProperty("observed").GetInt64();
                    continue;
                }
                // No sums: the calibration O/E times a predicted total the report would give elsewhere is the same leak.
                var calibration = group.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "calibration");
                if (calibration.GetProperty("value").ValueKind == JsonValueKind.Number)
                    throw new InvalidOperationException($"{key}: a calibration without its sums is shown — the reader would multiply it by the group's predicted count");
            }
        return sums;
    }

    /// <summary>Territory codes in <paramref name="text"/> followed within a few characters by a decimal number: what the reader takes for residuals.</summary>
    public static Dictionary<string, double> ResidualsIn(string text, IEnumerable<string> codes)
    {
        var found = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            var match = Regex.Match(text, $@"(?<![0-9A-Za-z.,]){Regex.Escape(code)}(?![0-9A-Za-z])[^0-9\-−]{{0,40}}([\-−]?[0-9]+[.,][0-9]+)");
            if (match.Success)
                found[code] = double.Parse(match.Groups[1].Value.Replace('−', '-').Replace(',', '.'), CultureInfo.InvariantCulture);
        }
        return found;
    }

    /// <summary>Codes of <paramref name="codes"/> that appear as a code (not inside a longer token) in <paramref name="text"/>.</summary>
    public static List<string> CodesIn(string text, IEnumerable<string> codes) =>
        codes.Where(code => Regex.IsMatch(text, $@"(?<![0-9A-Za-z.,]){Regex.Escape(code)}(?![0-9A-Za-z])")).ToList();

    /// <summary>Counts of 1 to threshold − 1 that O = E + r√E estimates to within ± (threshold − 1) / 2, as "code (true count O): estimate Ô".</summary>
    public static List<string> ResidualBreaches(IReadOnlyDictionary<string, double> residuals, IReadOnlyList<Territory> territories, SecrecyRule rule)
    {
        var breaches = new List<string>();
        foreach (var t in territories)
            if (residuals.TryGetValue(t.Code, out var r) && t.Predicted is { } e && rule.IsSmall(t.Truth))
            {
                var estimate = e + r * Math.Sqrt(e);
                if (Math.Abs(estimate - t.Truth) <= (rule.Threshold - 1) / 2.0)
                    breaches.Add($"{t.Code} (true count {t.Truth}): estimate {estimate:F1}");
            }
        return breaches;
    }

    /// <summary>
    /// The sensitive counts — territories' and groups' — that the published sums pin within their protection interval,
    /// as the oracle words them. <paramref name="groups"/> lists every group of the report with its dimension; an
    /// intersection's name is "first × second" and its labels "a × b".
    /// </summary>
    public static IReadOnlyList<string> DifferencingBreaches(
        IReadOnlyList<Territory> territories, IReadOnlyList<(string Dimension, string Label)> groups,
        IReadOnlyDictionary<(string Dimension, string Label), long> published, SecrecyRule rule)
    {
        var cells = territories.Select(t => new DisclosureCell($"territory {t.Code}", Published<long>.Suppressed)).ToList();
        var truth = territories.Select(t => t.Truth).ToList();
        var relations = new List<LinearRelation>();
        var all = Enumerable.Range(0, territories.Count).ToList();
        foreach (var (dimension, label) in groups.Prepend(("", "all")))
        {
            var members = dimension == "" ? all : all.Where(i => LabelOf(territories[i], dimension) == label).ToList();
            var value = members.Sum(i => territories[i].Truth);
            cells.Add(new DisclosureCell(dimension == "" ? "all territories" : $"{dimension} = {label}",
                published.TryGetValue((dimension, label), out var shown) ? Published.Of(shown) : Published<long>.Suppressed));
            truth.Add(value);
            relations.Add(LinearRelation.Sum($"{cells[^1].Label} = Σ territories", cells.Count - 1, members));
        }
        return SecrecyOracle.Breaches(cells, relations, truth, rule);
    }

    /// <summary>The territory's label in a raw dimension or an intersection ("a × b"), or null.</summary>
    public static string? LabelOf(Territory territory, string dimension)
    {
        var parts = dimension.Split(" × ");
        var labels = parts.Select(p => territory.Groups.GetValueOrDefault(p)).ToList();
        return labels.Any(l => l is null) ? null : string.Join(" × ", labels);
    }
}
