using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Jobs.Exports;
using Analytics.Models.Fairness;

namespace Analytics.Jobs.FairnessReports;

/// <summary>
/// Writes a fairness report three ways: JSON for programs and storage, CSV tables for spreadsheets and R/pandas, and
/// a self-contained HTML page in French or English. CSV and HTML are written from a <see cref="FairnessView"/>: the whole report for
/// reviewers and auditors (<see cref="FairnessView.Unrestricted"/>, with the residual map in classes), or the
/// analyst-facing one (<see cref="PublishedFairness"/>: withheld groups shown as "effectif insuffisant", no
/// territory-level data).
/// </summary>
/// <remarks>
/// The HTML page loads nothing: no script, font, style sheet or image from anywhere — charts are inline SVG drawn
/// by ScottPlot — so it can be archived with a release and opened offline (DESIGN §2, sovereignty). Every chart has
/// a caption and a data table with the same numbers (RGAA / WCAG 2.1 AA: text alternatives). The markup is also
/// well-formed XML.
/// </remarks>
public static class FairnessReportWriter
{
    /// <summary>CSV separator: <c>;</c>, the French habit and the demo data's; numbers use the invariant <c>.</c>.</summary>
    public const char CsvSeparator = CsvCell.Separator;

    /// <summary>Header of <see cref="WriteCsv"/>: one row per dimension × group × metric.</summary>
    public static readonly string[] CsvColumns =
        ["dimension", "group", "metric", "value", "reference_value", "ratio", "ci_low", "ci_high", "verdict", "shortfall", "withheld"];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Moran's z-scores are NaN when the residuals have no variance; keep them readable rather than fail.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Verdicts by their one identifier (before the general enum converter, which would otherwise win).
        Converters = { new VerdictJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// The stored page's title and heading: the release a run becomes is known only after the page is written, so the
    /// reader serving it names the model, the release and its date in their place (<see cref="WithHeading"/>).
    /// </summary>
    public const string Title = "Audit d’équité territoriale du modèle";

    /// <summary>The English page's title placeholder (see <see cref="Title"/>).</summary>
    public const string TitleEn = "Territorial fairness audit of the model";

    /// <summary>
    /// The page with <paramref name="heading"/> as its title and first heading, a link back to the app and one to the
    /// page in the other language (<paramref name="otherLanguage"/>: "en" on a French page, "fr" on an English one).
    /// </summary>
    public static string WithHeading(string html, string heading, string backHref, string backText, string otherLanguage)
    {
        var other = otherLanguage == "en" ? "English" : "Français";
        var links = $"<p class=\"back\"><a href=\"{Html.Text(backHref)}\">{Html.Text(backText)}</a> · <a href=\"?lang={otherLanguage}\" lang=\"{otherLanguage}\" hreflang=\"{otherLanguage}\">{other}</a></p>";
        foreach (var placeholder in new[] { Title, TitleEn })
            html = html.Replace($"<title>{placeholder}</title>", $"<title>{Html.Text(heading)}</title>", StringComparison.Ordinal)
                .Replace($"<h1>{placeholder}</h1>", $"{links}\n<h1>{Html.Text(heading)}</h1>", StringComparison.Ordinal);
        return html;
    }

    /// <summary>
    /// The report as JSON: camelCase names in declaration order of the records (so the order is stable), enums as
    /// camelCase strings (<c>"calibration"</c>) except verdicts, written as their identifier (<c>"insufficient_evidence"</c>), undefined values as null.
    /// </summary>
    public static string ToJson(FairnessReport report) => JsonSerializer.Serialize(report, JsonOptions);

    /// <summary>A view of a report as JSON, with the same conventions; withheld figures are null.</summary>
    public static string ToJson(FairnessView view) => JsonSerializer.Serialize(view, JsonOptions);

    /// <summary>A before / after comparison as JSON, with the same conventions as <see cref="ToJson(FairnessReport)"/>.</summary>
    public static string ToJson(FairnessComparison comparison) => JsonSerializer.Serialize(comparison, JsonOptions);

    /// <summary>
    /// One row per dimension × group × metric (<see cref="CsvColumns"/>): metric and verdict as English identifiers
    /// (<c>calibration</c>, <c>insufficient_evidence</c>), numbers round-trippable, empty fields for undefined values;
    /// <c>ci_low</c>/<c>ci_high</c> are the ratio's interval; <c>withheld</c> says why a group's figures are withheld
    /// (<c>too_few_territories</c>, <c>too_few_cases</c>, <c>complementary</c>; empty when shown). Written by
    /// <see cref="CsvWriter"/> (formula-like labels neutralised).
    /// </summary>
    public static void WriteCsv(FairnessView report, TextWriter writer)
    {
        var csv = new CsvWriter(writer);
        csv.Row(CsvColumns);
        foreach (var dimension in report.Dimensions)
            foreach (var group in dimension.Groups)
                foreach (var m in group.Metrics)
                    csv.Row(dimension.Dimension, group.Label, ReportWords.MetricId(m.Metric),
                        Number(m.Value), Number(m.ReferenceValue), Number(m.Ratio),
                        Number(m.RatioInterval?.Lower), Number(m.RatioInterval?.Upper),
                        Verdicts.Id(m.Verdict), ReportWords.ShortfallId(m.Shortfall), ReportWords.WithholdingId(group.Withheld));
    }

    /// <summary>The self-contained HTML page, in French or in English.</summary>
    /// <param name="report">The audit as its audience may read it.</param>
    /// <param name="writer">Where the page goes (UTF-8 is the caller's encoding to choose; the page declares UTF-8).</param>
    /// <param name="map">Polygons and residual classes for the residual map (reviewers and auditors only); no map section without it.</param>
    /// <param name="comparison">Before / after mitigation (restricted like <paramref name="report"/>); no comparison section without it.</param>
    /// <param name="english">The English page instead of the French one; the stored English page's title placeholder is <see cref="TitleEn"/>.</param>
    public static void WriteHtml(FairnessView report, TextWriter writer, ResidualMap? map = null, FairnessComparison? comparison = null, bool english = false)
    {
        if (report.Restricted && map is not null)
            throw new ArgumentException("the analyst-facing report carries no territory-level data: no residual map", nameof(map));
        var w = english ? ReportWords.English : ReportWords.French;
        var title = english ? TitleEn : Title;
        var page = new StringBuilder();
        var policy = report.Policy;
        page.Append($"<!DOCTYPE html>\n<html lang=\"{w.Language}\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<title>").Append(title).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(title).Append("</h1>\n");

        // One screen first: the verdict, what it asks of the reviewer, each dimension's verdict and the groups that fail.
        page.Append($"<section aria-labelledby=\"synthese\">\n<h2 id=\"synthese\">{w.T("Synthèse", "Summary")}</h2>\n")
            .Append($"<p class=\"verdict\">{w.T("Verdict global : ", "Overall verdict: ")}").Append(Badge(w, report.Overall)).Append("</p>\n");
        if (report.Overall != Verdict.Pass)
            page.Append(report.Restricted
                ? w.T("<p>Ce verdict n’étant pas « conforme », le relecteur qui a approuvé la publication l’a reconnu par écrit.</p>\n",
                    "<p>As this verdict is not “pass”, the reviewer who approved the release acknowledged it in writing.</p>\n")
                : w.T("<p><strong>À reconnaître :</strong> ce verdict n’étant pas « conforme », l’approbation de la publication demande une reconnaissance écrite du relecteur, qui dit ce qu’il a vérifié des groupes non conformes ci-dessous.</p>\n",
                    "<p><strong>To acknowledge:</strong> as this verdict is not “pass”, approving the release needs the reviewer’s written acknowledgement, saying what they checked of the failing groups below.</p>\n"));
        page.Append(Table(w.T("Verdict par dimension (nombre de groupes par verdict, référence exclue)", "Verdict per dimension (number of groups per verdict, reference left out)"),
            [w.T("Dimension", "Dimension"), w.T("Verdict", "Verdict"), w.T("Non conformes", "Fail"), w.T("Preuves insuffisantes", "Insufficient evidence"), w.T("À surveiller", "Watch"), w.T("Conformes", "Pass")],
            report.Dimensions.Select(d =>
            {
                var judged = d.Groups.Where(g => !g.IsReference).ToList();
                string Count(Verdict v) => w.Integer(judged.Count(g => g.Overall == v));
                return new[]
                {
                    Html.Text(w.Dimension(d.Dimension)), Badge(w, Worst(judged.Select(g => g.Overall))),
                    Count(Verdict.Fail), Count(Verdict.InsufficientEvidence), Count(Verdict.Warn), Count(Verdict.Pass),
                };
            })));
        var failing = report.Dimensions.SelectMany(d => d.Groups.Where(g => !g.IsReference && g.Overall == Verdict.Fail).Select(g => (d, g))).ToList();
        if (failing.Count > 0)
        {
            page.Append($"<h3>{w.T("Groupes non conformes", "Failing groups")}</h3>\n<ul>\n");
            foreach (var (d, g) in failing)
            {
                var metrics = g.Metrics.Where(m => m.Verdict == Verdict.Fail).Select(m => m.Ratio is { } r && m.RatioInterval is { } i
                    ? $"{w.Metric(m.Metric)}{w.T(" : ", ": ")}ratio {w.Decimal(r, 2)} ({w.Decimal(i.Lower, 2)} – {w.Decimal(i.Upper, 2)})"
                    : w.Metric(m.Metric));
                page.Append("<li>").Append(Html.Text($"{w.Dimension(d.Dimension)}{w.T(" : ", ": ")}{w.Group(g.Label)} — {string.Join("; ", metrics)}")).Append("</li>\n");
            }
            page.Append("</ul>\n");
        }
        if (report.Restricted)
            page.Append("<p class=\"note\">").Append(w.T(
                $"Forme publiée du rapport. Les groupes de moins de {w.Integer(policy.MinimumTerritories)} territoires ou de {w.Integer(policy.MinimumObservedCases)} cas observés sont signalés « effectif insuffisant » : leurs sommes et indicateurs sont masqués, leur verdict est conservé ; d’autres groupes peuvent être masqués pour qu’on ne puisse pas les retrouver par différence. Aucun résultat par territoire n’est publié ; la carte des résidus est réservée aux relecteurs et aux auditeurs.",
                $"Published form of the report. Groups of fewer than {w.Integer(policy.MinimumTerritories)} territories or {w.Integer(policy.MinimumObservedCases)} observed cases are marked “too small to report”: their sums and metrics are withheld, their verdict kept; other groups may be withheld so that they cannot be derived by difference. No result per territory is published; the residual map is for reviewers and auditors only."))
                .Append("</p>\n");
        page.Append(Folded(w.T("Règles et paramètres de l’audit", "Rules and parameters of the audit"), new StringBuilder()
            .Append("<dl>\n")
            .Append(Term(w.T("Territoires audités", "Territories audited"), w.Integer(report.Territories)))
            .Append(Term(w.T("Cas observés", "Observed cases"), report.ObservedCases is { } observed ? w.Integer(observed) : w.T("masqué (secret statistique)", "withheld (statistical secrecy)")))
            .Append(Term(w.T("Cas attendus (modèle)", "Expected cases (model)"), w.Decimal(report.PredictedCases, 1)))
            .Append(Term(w.T("Tolérance des ratios", "Tolerance of the ratios"), w.T($"de {w.Decimal(policy.LowerTolerance, 2)} à {w.Decimal(policy.UpperTolerance, 2)}", $"from {w.Decimal(policy.LowerTolerance, 2)} to {w.Decimal(policy.UpperTolerance, 2)}")))
            .Append(Term(w.T("Minimums par groupe", "Minimums per group"), w.T(
                $"{w.Integer(policy.MinimumTerritories)} territoires, {w.Integer(policy.MinimumObservedCases)} cas observés, {w.Integer(policy.MinimumDenominator)} au dénominateur des indicateurs de liste prioritaire",
                $"{w.Integer(policy.MinimumTerritories)} territories, {w.Integer(policy.MinimumObservedCases)} observed cases, {w.Integer(policy.MinimumDenominator)} in the denominator of the priority-list metrics")))
            .Append(Term(w.T("Intervalles de confiance", "Confidence intervals"), w.T(
                $"{w.Decimal(policy.ConfidenceLevel * 100, 0)} %, bootstrap stratifié par groupe, {w.Integer(policy.BootstrapResamples)} rééchantillonnages, graine {policy.Seed.ToString(CultureInfo.InvariantCulture)}",
                $"{w.Decimal(policy.ConfidenceLevel * 100, 0)}%, bootstrap stratified by group, {w.Integer(policy.BootstrapResamples)} resamples, seed {policy.Seed.ToString(CultureInfo.InvariantCulture)}")))
            .Append(Term(w.T("Liste prioritaire", "Priority list"), w.T($"{w.Decimal(policy.PriorityShare * 100, 0)} % des territoires", $"{w.Decimal(policy.PriorityShare * 100, 0)}% of the territories")))
            .Append("</dl>\n<p>").Append(w.T(
                "Règle : un indicateur est <strong>conforme</strong> quand tout son intervalle de confiance est dans la tolérance, <strong>non conforme</strong> quand il en est entièrement sorti, <strong>à surveiller</strong> sinon ; <strong>preuves insuffisantes</strong> quand le groupe (ou sa référence) est sous un minimum — jamais conforme par défaut. Le verdict d’un groupe est le plus sévère de ses indicateurs : non conforme, puis preuves insuffisantes, puis à surveiller, puis conforme.",
                "Rule: a metric <strong>passes</strong> when its whole confidence interval lies within the tolerance, <strong>fails</strong> when it lies wholly outside, and is to <strong>watch</strong> otherwise; <strong>insufficient evidence</strong> when the group (or its reference) is under a minimum — never a pass by default. A group’s verdict is the most severe of its metrics: fail, then insufficient evidence, then watch, then pass."))
            .Append("</p>\n")
            .ToString()));
        var groupRows = report.Dimensions.Sum(d => d.Groups.Count);
        page.Append(Folded(w.T($"Verdict de chaque groupe ({w.Integer(groupRows)} lignes)", $"Verdict of every group ({w.Integer(groupRows)} rows)"),
            Table(w.T("Verdict par groupe", "Verdict per group"), ["Dimension", w.T("Groupe", "Group"), w.T("Territoires", "Territories"), w.T("Cas observés", "Observed cases"), "Verdict"],
            report.Dimensions.SelectMany(d => d.Groups.Select(g => new[]
            {
                Html.Text(w.Dimension(d.Dimension)),
                Html.Text(w.Group(g.Label)) + (g.IsReference ? w.T(" (référence)", " (reference)") : ""),
                w.Integer(g.Territories), g.Sums is { } sums ? w.Integer(sums.Observed) : Withheld(w, g.Withheld),
                g.IsReference ? w.T("Référence", "Reference") : Badge(w, g.Overall),
            })))));
        page.Append("</section>\n");

        var chart = 0;
        page.Append($"<section aria-labelledby=\"calibration\">\n<h2 id=\"calibration\">{w.T("Calibration par groupe", "Calibration per group")}</h2>\n<p>")
            .Append(w.T("Rapport des cas observés aux cas attendus par le modèle (1 = calibré ; en dessous, le modèle prédit plus de cas qu’il n’en est enregistré). Les barres sont les intervalles de confiance bootstrap.",
                "Observed cases over the cases the model expects (1 = calibrated; below 1, the model predicts more cases than are recorded). The bars are the bootstrap confidence intervals."))
            .Append("</p>\n");
        var calibration = report.Dimensions.SelectMany(d => d.Groups.Select(g => (d, g, m: g.Metric(FairnessMetric.Calibration))))
            .Where(x => x.g.Sums is not null && x.m.Value is not null && x.m.ValueInterval is not null)
            .ToList();
        page.Append(Folded(w.T($"Graphique et tableau de la calibration ({w.Integer(calibration.Count)} groupes)", $"Chart and table of the calibration ({w.Integer(calibration.Count)} groups)"), Figure(
            FairnessCharts.Intervals($"graphique-{++chart}", w.T("Calibration observé / attendu par groupe", "Calibration observed / expected per group"), w.T("observé / attendu", "observed / expected"),
                calibration.Select(x => new FairnessCharts.Row(RowLabel(w, x.d, x.g), x.m.Value!.Value, x.m.ValueInterval!.Value.Lower, x.m.ValueInterval!.Value.Upper, x.g.IsReference ? Verdict.NotJudged : x.m.Verdict)).ToList(),
                band: null),
            w.T("Calibration observé / attendu par groupe, avec intervalles de confiance ; couleur du point : verdict de calibration du groupe (vert conforme, ocre à surveiller, rouge non conforme, gris preuves insuffisantes, bleu référence).",
                "Calibration observed / expected per group, with confidence intervals; colour of the point: the group’s calibration verdict (green pass, ochre watch, red fail, grey insufficient evidence, blue reference)."),
            Table(w.T("Calibration par groupe (données du graphique)", "Calibration per group (the chart’s data)"),
                ["Dimension", w.T("Groupe", "Group"), w.T("Observés", "Observed"), w.T("Attendus", "Expected"), w.T("Observé / attendu", "Observed / expected"), w.T("IC bas", "CI low"), w.T("IC haut", "CI high"), "Verdict"],
                calibration.Select(x => new[]
                {
                    Html.Text(w.Dimension(x.d.Dimension)), Html.Text(w.Group(x.g.Label)),
                    w.Integer(x.g.Sums!.Value.Observed), w.Decimal(x.g.Sums!.Value.Predicted, 1), w.Decimal(x.m.Value!.Value, 3),
                    w.Decimal(x.m.ValueInterval!.Value.Lower, 3), w.Decimal(x.m.ValueInterval!.Value.Upper, 3),
                    x.g.IsReference ? w.T("Référence", "Reference") : Badge(w, x.m.Verdict),
                })))));
        page.Append("</section>\n");

        page.Append($"<section aria-labelledby=\"disparites\">\n<h2 id=\"disparites\">{w.T("Ratios de disparité au groupe de référence", "Disparity ratios to the reference group")}</h2>\n<p>")
            .Append(w.T("Chaque indicateur du groupe divisé par celui du groupe de référence de sa dimension ; la bande verte est la tolérance. Le biais, une différence, est comparé par le ratio des rapports prédit / observé.",
                "Each metric of the group divided by that of its dimension’s reference group; the green band is the tolerance. Bias, a difference, is compared through the ratio of predicted / observed."))
            .Append("</p>\n");
        foreach (var metric in Enum.GetValues<FairnessMetric>())
        {
            var rows = report.Dimensions.SelectMany(d => d.Groups.Where(g => !g.IsReference).Select(g => (d, g, m: g.Metric(metric)))).ToList();
            var drawn = rows.Where(x => x.m.Ratio is not null && x.m.RatioInterval is not null).ToList();
            var name = w.Metric(metric);
            var judged = policy.JudgedMetrics.Contains(metric) ? "" : w.T(" Cet indicateur est présenté sans verdict (voir la méthode).", " This metric is shown without a verdict (see the method).");
            var table = Table(w.T($"{name} : ratios au groupe de référence (données du graphique)", $"{name}: ratios to the reference group (the chart’s data)"),
                ["Dimension", w.T("Groupe", "Group"), w.T("Valeur", "Value"), w.T("Référence", "Reference"), "Ratio", w.T("IC bas", "CI low"), w.T("IC haut", "CI high"), "Verdict", w.T("Motif", "Reason")],
                rows.Select(x => new[]
                {
                    Html.Text(w.Dimension(x.d.Dimension)), Html.Text(w.Group(x.g.Label)),
                    w.Decimal(x.m.Value, 3), w.Decimal(x.m.ReferenceValue, 3), w.Decimal(x.m.Ratio, 3),
                    w.Decimal(x.m.RatioInterval?.Lower, 3), w.Decimal(x.m.RatioInterval?.Upper, 3),
                    Badge(w, x.m.Verdict), Html.Text(string.Join("; ", new[] { w.Shortfall(x.m.Shortfall), w.Withholding(x.g.Withheld) }.Where(t => t.Length > 0))),
                }));
            page.Append("<h3>").Append(Html.Text(name)).Append("</h3>\n");
            var failed = rows.Count(x => x.m.Verdict == Verdict.Fail);
            var summary = w.T($"graphique et tableau ({w.Integer(rows.Count)} groupes)", $"chart and table ({w.Integer(rows.Count)} groups)");
            page.Append(Folded(failed > 0 ? w.T($"{w.Integer(failed)} groupe(s) non conforme(s) — {summary}", $"{w.Integer(failed)} failing group(s) — {summary}") : summary, drawn.Count == 0
                ? table
                : Figure(
                    FairnessCharts.Intervals($"graphique-{++chart}", name, w.Compared(metric),
                        drawn.Select(x => new FairnessCharts.Row(RowLabel(w, x.d, x.g), x.m.Ratio!.Value, x.m.RatioInterval!.Value.Lower, x.m.RatioInterval!.Value.Upper, x.m.Verdict)).ToList(),
                        (policy.LowerTolerance, policy.UpperTolerance)),
                    w.T($"{name} : ratio de chaque groupe à sa référence avec intervalle de confiance ; bande verte : tolérance de {w.Decimal(policy.LowerTolerance, 2)} à {w.Decimal(policy.UpperTolerance, 2)}.{judged}",
                        $"{name}: ratio of each group to its reference with its confidence interval; green band: tolerance from {w.Decimal(policy.LowerTolerance, 2)} to {w.Decimal(policy.UpperTolerance, 2)}.{judged}"),
                    table)));
        }
        page.Append("</section>\n");
        page.Append(SpreadsSection(w, report));

        if (map is not null)
            page.Append(MapSection(w, map, $"graphique-{++chart}"));
        if (comparison is not null)
            page.Append(ComparisonSection(w, comparison));
        if (report.ResidualAutocorrelation is { } moran)
        {
            var permutations = moran.Permutation is { } test ? w.T($", p = {w.Decimal(test.PseudoPValue, 3)} par {w.Integer(test.Permutations)} permutations", $", p = {w.Decimal(test.PseudoPValue, 3)} by {w.Integer(test.Permutations)} permutations") : "";
            page.Append($"<section aria-labelledby=\"moran\">\n<h2 id=\"moran\">{w.T("Autocorrélation spatiale des résidus", "Spatial autocorrelation of the residuals")}</h2>\n<p>")
                .Append(w.T($"Indice de Moran des résidus de Pearson : {w.Decimal(moran.I, 3)} (attendu sans autocorrélation : {w.Decimal(moran.Expected, 3)}){permutations}. Des résidus regroupés dans l’espace signalent un facteur territorial que le modèle ne voit pas.",
                    $"Moran’s I of the Pearson residuals: {w.Decimal(moran.I, 3)} (expected without autocorrelation: {w.Decimal(moran.Expected, 3)}){permutations}. Residuals clustered in space point to a territorial factor the model does not see."))
                .Append("</p>\n</section>\n");
        }

        page.Append(w.IsEnglish ? MethodSectionEn : MethodSection);
        page.Append("</main>\n</body>\n</html>\n");
        writer.Write(page.ToString());
    }

    private static string MapSection(ReportWords w, ResidualMap map, string id)
    {
        var counts = new int[ResidualMap.Colours.Length];
        foreach (var k in map.Classes.Values.Where(k => k != ResidualMap.Withheld))
            counts[k]++;
        var title = w.T("Carte des résidus de Pearson par territoire", "Map of the Pearson residuals by territory");
        var legend = Table(w.T("Légende et effectifs par classe de résidu", "Legend and counts per residual class"),
            [w.T("Couleur", "Colour"), w.T("Résidu (observé − attendu) / √attendu", "Residual (observed − expected) / √expected"), w.T("Territoires", "Territories")],
            ResidualMap.Colours.Select((c, k) => new[]
            {
                $"<span class=\"swatch\" style=\"background:{c}\"></span> {Html.Text(w.ColourName(k))}", Html.Text(w.ClassLabel(k)), w.Integer(counts[k]),
            }).Append(
            [
                $"<span class=\"swatch\" style=\"background:{ResidualMap.NoValueColour}\"></span> {w.T("gris", "grey")}",
                w.T("masqué : nombre de cas couvert par le secret statistique", "withheld: count covered by statistical secrecy"), w.Integer(map.Classes.Values.Count(k => k == ResidualMap.Withheld)),
            ]));
        return new StringBuilder()
            .Append($"<section aria-labelledby=\"carte\">\n<h2 id=\"carte\">{w.T("Carte des résidus", "Map of the residuals")}</h2>\n<p>")
            .Append(w.T("Résidu de Pearson (observé − attendu) / √attendu, en classes : en rouge, plus de cas que prévu (sous-prédiction) ; en bleu, moins. Au-delà de ±2, un écart est inhabituel pour le seul bruit de Poisson. Les résidus ne sont pas donnés territoire par territoire : avec le nombre de cas attendu, ils redonneraient le nombre de cas enregistré. En gris, les territoires dont le nombre de cas est couvert par le secret statistique. Carte réservée aux relecteurs et aux auditeurs.",
                "Pearson residual (observed − expected) / √expected, in classes: red, more cases than expected (under-prediction); blue, fewer. Beyond ±2 a gap is unusual for Poisson noise alone. Residuals are not given territory by territory: with the expected count they would give the recorded count back. Grey: territories whose count is covered by statistical secrecy. Map for reviewers and auditors only."))
            .Append("</p>\n")
            .Append(Folded(w.T($"Carte et légende ({w.Integer(map.Classes.Count)} territoires)", $"Map and legend ({w.Integer(map.Classes.Count)} territories)"), Figure(FairnessCharts.Map(id, title, map),
                w.T($"{title} ; échelle divergente en sept classes, gris : territoire masqué ou sans résidu.", $"{title}; diverging scale in seven classes, grey: territory withheld or without a residual."),
                legend)))
            .Append("</section>\n")
            .ToString();
    }

    /// <summary>Fairlearn's summaries of each dimension: point values beside the verdicts, which they do not change.</summary>
    private static string SpreadsSection(ReportWords w, FairnessView report)
    {
        var tables = new StringBuilder();
        foreach (var d in report.Dimensions)
        {
            var caption = w.T($"{w.Dimension(d.Dimension)} : écarts entre groupes", $"{w.Dimension(d.Dimension)}: spreads between groups");
            if (d.Spreads is not { } spreads)
            {
                tables.Append("<p>").Append(Html.Text(caption)).Append(w.T(" — masqués, un groupe de la dimension l’étant.", " — withheld, as a group of the dimension is.")).Append("</p>\n");
                continue;
            }
            string[] Row(string name, GroupSpread between, GroupSpread overall) =>
                [Html.Text(name), w.Decimal(between.Difference, 3), w.Decimal(between.Ratio, 3), w.Decimal(overall.Difference, 3), w.Decimal(overall.Ratio, 3)];
            tables.Append(Table(caption,
                [w.T("Indicateur", "Metric"), w.T("Différence entre groupes", "Difference between groups"), w.T("Ratio entre groupes", "Ratio between groups"),
                 w.T("Différence à l’ensemble", "Difference to overall"), w.T("Ratio à l’ensemble", "Ratio to overall")],
                spreads.Metrics.Select(m => Row(w.Metric(m.Metric), m.BetweenGroups, m.ToOverall))
                    .Append(Row(w.T("Parité démographique", "Demographic parity"), spreads.DemographicParity(), spreads.DemographicParity(SpreadMethod.ToOverall)))
                    .Append(Row(w.T("Chances égalisées (equalized odds)", "Equalised odds"), spreads.EqualisedOdds(), spreads.EqualisedOdds(SpreadMethod.ToOverall)))));
        }
        return new StringBuilder()
            .Append($"<section aria-labelledby=\"ecarts\">\n<h2 id=\"ecarts\">{w.T("Écarts entre groupes", "Spreads between groups")}</h2>\n<p>")
            .Append(w.T("Les résumés de Fairlearn, par dimension : la différence entre le plus grand et le plus petit groupe et le ratio du plus petit au plus grand, puis les mêmes de chaque groupe à l’ensemble de la dimension. Valeurs ponctuelles, sans intervalle ni verdict : les verdicts restent ceux des ratios au groupe de référence.",
                "Fairlearn’s summaries, per dimension: the difference between the largest and the smallest group and the ratio of the smallest to the largest, then the same of each group to the whole dimension. Point values, without an interval or a verdict: the verdicts remain those of the ratios to the reference group."))
            .Append("</p>\n")
            .Append(Folded(w.T($"Tableaux des écarts ({w.Integer(report.Dimensions.Count)} dimensions)", $"Tables of the spreads ({w.Integer(report.Dimensions.Count)} dimensions)"), tables.ToString()))
            .Append("</section>\n")
            .ToString();
    }

    private static string ComparisonSection(ReportWords w, FairnessComparison comparison) =>
        new StringBuilder()
            .Append($"<section aria-labelledby=\"attenuation\">\n<h2 id=\"attenuation\">{w.T("Avant et après atténuation", "Before and after mitigation")}</h2>\n<p>")
            .Append(w.T("Verdict global avant : ", "Overall verdict before: ")).Append(Badge(w, comparison.OverallBefore)).Append(w.T(" ; après : ", "; after: ")).Append(Badge(w, comparison.OverallAfter))
            .Append(w.T(". Variation de l’écart à la parité |1 − ratio| : négative quand le groupe s’est rapproché de sa référence.</p>\n", ". Change of the gap to parity |1 − ratio|: negative when the group came closer to its reference.</p>\n"))
            .Append(Folded(w.T($"Tableau avant / après ({w.Integer(comparison.Changes.Count)} lignes)", $"Before / after table ({w.Integer(comparison.Changes.Count)} rows)"),
                Table(w.T("Comparaison avant / après repondération", "Comparison before / after reweighting"),
                ["Dimension", w.T("Groupe", "Group"), w.T("Indicateur", "Metric"), w.T("Ratio avant", "Ratio before"), w.T("Ratio après", "Ratio after"),
                 w.T("Variation de |1 − ratio|", "Change of |1 − ratio|"), w.T("Verdict avant", "Verdict before"), w.T("Verdict après", "Verdict after")],
                comparison.Changes.Select(c => new[]
                {
                    Html.Text(w.Dimension(c.Dimension)), Html.Text(w.Group(c.Group)), Html.Text(w.Metric(c.Metric)),
                    w.Decimal(c.RatioBefore, 3), w.Decimal(c.RatioAfter, 3), w.Decimal(c.DisparityChange, 3),
                    c.VerdictBefore is { } b ? Badge(w, b) : "—", c.VerdictAfter is { } a ? Badge(w, a) : "—",
                }))))
            .Append("</section>\n")
            .ToString();

    private const string MethodSection = """
        <section aria-labelledby="methode">
        <h2 id="methode">Méthode</h2>
        <dl>
        <dt>Erreur absolue moyenne</dt><dd>Σ|observés − attendus| / Σpopulation × 100 000, moyenne pondérée par la population. Présentée sans verdict par défaut : le bruit de Poisson suffit à la rendre plus grande dans les groupes de petits territoires, même pour un modèle parfait.</dd>
        <dt>Biais moyen</dt><dd>(Σattendus − Σobservés) / Σpopulation × 100 000 ; négatif quand le modèle sous-prédit le groupe. Comparé à la référence par le ratio des rapports attendus / observés.</dd>
        <dt>Calibration</dt><dd>Σobservés / Σattendus (rapport observé / attendu, comme un ICM).</dd>
        <dt>Part de territoires sous-prédits</dt><dd>Part des territoires dont les cas observés dépassent la borne haute de l’intervalle de prédiction, ou la prédiction quand le modèle n’en donne pas.</dd>
        <dt>Indicateurs de liste prioritaire</dt><dd>Taux de sélection (part du groupe dans la liste du modèle), taux de vrais positifs (part des territoires réellement prioritaires que la liste retient), taux de faux positifs (part des autres qu’elle retient), précision (part de la liste réellement prioritaire). Présentés sans verdict par défaut, les taux de la matrice de confusion qu’Aequitas donne en plus : faux négatifs (part des territoires réellement prioritaires que la liste laisse), vrais négatifs (part des autres qu’elle laisse), fausses découvertes (part de la liste non réellement prioritaire), fausses omissions (part des territoires hors liste réellement prioritaires) et valeur prédictive négative (part des territoires hors liste non réellement prioritaires). « Réellement prioritaire » : dans la liste tirée des taux observés.</dd>
        <dt>Écarts entre groupes</dt><dd>Comme Fairlearn : différence = plus grande valeur de groupe − plus petite, ratio = plus petite / plus grande ; « à l’ensemble » : plus grand écart |groupe − ensemble| et plus petit des min(groupe / ensemble, ensemble / groupe). Parité démographique : écarts des taux de sélection ; chances égalisées : le pire des écarts des taux de vrais et de faux positifs. Un groupe sans valeur est ignoré.</dd>
        <dt>Intervalles</dt><dd>Bootstrap stratifié : les territoires de chaque groupe sont rééchantillonnés avec remise ; intervalle des percentiles. Il mesure le bruit d’échantillonnage, pas un biais commun à tous les groupes, comme un sous-enregistrement des cas partout.</dd>
        <dt>Groupe de référence</dt><dd>Le plus grand groupe de chaque dimension, sauf choix contraire de la politique.</dd>
        </dl>
        </section>

        """;

    private const string MethodSectionEn = """
        <section aria-labelledby="methode">
        <h2 id="methode">Method</h2>
        <dl>
        <dt>Mean absolute error</dt><dd>Σ|observed − expected| / Σpopulation × 100,000, population-weighted. Shown without a verdict by default: Poisson noise alone makes it larger in groups of small territories, even for a perfect model.</dd>
        <dt>Mean bias</dt><dd>(Σexpected − Σobserved) / Σpopulation × 100,000; negative when the model under-predicts the group. Compared to the reference through the ratio of expected / observed.</dd>
        <dt>Calibration</dt><dd>Σobserved / Σexpected (observed over expected, like an SIR).</dd>
        <dt>Share of territories under-predicted</dt><dd>Share of the territories whose observed cases exceed the upper limit of the prediction interval, or the prediction when the model gives none.</dd>
        <dt>Priority-list metrics</dt><dd>Selection rate (share of the group in the model’s list), true positive rate (share of the truly priority territories the list keeps), false positive rate (share of the others it keeps), precision (share of the list truly priority). Shown without a verdict by default, the confusion matrix’s other rates Aequitas gives: false negative (share of the truly priority territories the list leaves out), true negative (share of the others it leaves out), false discovery (share of the list not truly priority), false omission (share of the territories left out that are truly priority) rates and negative predictive value (share of the territories left out that are not). “Truly priority”: in the list drawn from the observed rates.</dd>
        <dt>Spreads between groups</dt><dd>As Fairlearn computes them: difference = largest group value − smallest, ratio = smallest / largest; “to overall”: the largest |group − overall| and the smallest min(group / overall, overall / group). Demographic parity: the spreads of the selection rates; equalised odds: the worse of the true and false positive rates’ spreads. A group without a value is left out.</dd>
        <dt>Intervals</dt><dd>Stratified bootstrap: each group’s territories are resampled with replacement; percentile interval. It measures sampling noise, not a bias common to every group, such as under-recording of cases everywhere.</dd>
        <dt>Reference group</dt><dd>The largest group of each dimension, unless the policy chooses otherwise.</dd>
        </dl>
        </section>

        """;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;background:#fff;line-height:1.5;margin:0}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        table{border-collapse:collapse;margin:0.5rem 0 1.5rem;font-size:0.9rem}
        caption{text-align:left;font-weight:600;padding:0.25rem 0}
        th,td{border:1px solid #8c959f;padding:0.2rem 0.5rem;text-align:left}
        td.n{text-align:right}
        figure{margin:1rem 0}
        figcaption{font-size:0.9rem;color:#1f2328}
        svg{max-width:100%;height:auto}
        .badge{font-weight:600}
        .pass{color:#1a7f37}.warn{color:#8a5a00}.fail{color:#b3261e}.insufficient_evidence{color:#57606a}.not_judged{color:#0550ae}
        .withheld{font-style:italic;color:#57606a}.note{border-left:4px solid #0550ae;padding-left:0.5rem}
        .swatch{display:inline-block;width:1em;height:1em;border:1px solid #57606a;vertical-align:middle}
        dt{font-weight:600}
        .table-wrap{overflow-x:auto;max-width:100%}
        details{margin:0.5rem 0 1rem}summary{cursor:pointer;font-weight:600;padding:0.25rem 0}
        .back{margin:0 0 0.5rem}a{color:#0550ae}
        @media (max-width:40rem){main{padding:0.5rem}table{font-size:0.8rem}h1{font-size:1.4rem}}
        """;

    private static string RowLabel(ReportWords w, DimensionView dimension, GroupView group) =>
        $"{w.ShortDimension(dimension.Dimension)}{w.T(" : ", ": ")}{w.Group(group.Label)}";

    /// <summary>Long content folded under a one-line summary: the page opens on its synthesis, the detail a click away.</summary>
    private static string Folded(string summary, string content) =>
        $"<details>\n<summary>{Html.Text(summary)}</summary>\n{content}</details>\n";

    /// <summary>The most severe of verdicts: fail, then insufficient evidence, then warn, then pass.</summary>
    private static Verdict Worst(IEnumerable<Verdict> verdicts)
    {
        var all = verdicts.ToList();
        foreach (var v in new[] { Verdict.Fail, Verdict.InsufficientEvidence, Verdict.Warn, Verdict.Pass })
            if (all.Contains(v))
                return v;
        return Verdict.NotJudged;
    }

    private static string Figure(string svg, string caption, string table) =>
        $"<figure>\n{svg}\n<figcaption>{Html.Text(caption)}</figcaption>\n</figure>\n{table}";

    private static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        // A wide table scrolls inside its own region on a phone; the region takes the keyboard focus and is named.
        var table = new StringBuilder("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"").Append(Html.Text(caption))
            .Append("\">\n<table>\n<caption>").Append(Html.Text(caption)).Append("</caption>\n<thead><tr>");
        foreach (var h in headers)
            table.Append("<th scope=\"col\">").Append(Html.Text(h)).Append("</th>");
        table.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            table.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
                table.Append(i == 0 ? "<th scope=\"row\">" : "<td>").Append(row[i]).Append(i == 0 ? "</th>" : "</td>");
            table.Append("</tr>\n");
        }
        return table.Append("</tbody>\n</table>\n</div>\n").ToString();
    }

    private static string Term(string term, string definition) => $"<dt>{Html.Text(term)}</dt><dd>{Html.Text(definition)}</dd>\n";

    private static string Badge(ReportWords w, Verdict verdict) => $"<span class=\"badge {Verdicts.Id(verdict)}\">{Html.Text(w.Verdict(verdict))}</span>";

    private static string Withheld(ReportWords w, Withholding withholding) => $"<span class=\"withheld\">{Html.Text(w.Withholding(withholding))}</span>";

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
