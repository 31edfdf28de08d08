using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Jobs.Exports;
using Analytics.Models.Fairness;

namespace Analytics.Jobs.FairnessReports;

/// <summary>
/// Writes a fairness report three ways: JSON for programs and storage, CSV tables for spreadsheets and R/pandas, and
/// a self-contained French HTML page. CSV and HTML are written from a <see cref="FairnessView"/>: the whole report for
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

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// The stored page's title and heading: the release a run becomes is known only after the page is written, so the
    /// reader serving it names the model, the release and its date in their place (<see cref="WithHeading"/>).
    /// </summary>
    public const string Title = "Audit d’équité territoriale du modèle";

    /// <summary>The page with <paramref name="heading"/> as its title and first heading, and a link back to the app under it.</summary>
    public static string WithHeading(string html, string heading, string backHref, string backText) => html
        .Replace($"<title>{Title}</title>", $"<title>{Html.Text(heading)}</title>", StringComparison.Ordinal)
        .Replace($"<h1>{Title}</h1>", $"<p class=\"back\"><a href=\"{Html.Text(backHref)}\">{Html.Text(backText)}</a></p>\n<h1>{Html.Text(heading)}</h1>", StringComparison.Ordinal);

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
                    csv.Row(dimension.Dimension, group.Label, FrenchLabels.MetricId(m.Metric),
                        Number(m.Value), Number(m.ReferenceValue), Number(m.Ratio),
                        Number(m.RatioInterval?.Lower), Number(m.RatioInterval?.Upper),
                        Verdicts.Id(m.Verdict), FrenchLabels.ShortfallId(m.Shortfall), FrenchLabels.WithholdingId(group.Withheld));
    }

    /// <summary>The self-contained French HTML page.</summary>
    /// <param name="report">The audit as its audience may read it.</param>
    /// <param name="writer">Where the page goes (UTF-8 is the caller's encoding to choose; the page declares UTF-8).</param>
    /// <param name="map">Polygons and residual classes for the residual map (reviewers and auditors only); no map section without it.</param>
    /// <param name="comparison">Before / after mitigation (restricted like <paramref name="report"/>); no comparison section without it.</param>
    public static void WriteHtml(FairnessView report, TextWriter writer, ResidualMap? map = null, FairnessComparison? comparison = null)
    {
        if (report.Restricted && map is not null)
            throw new ArgumentException("the analyst-facing report carries no territory-level data: no residual map", nameof(map));
        var page = new StringBuilder();
        var policy = report.Policy;
        page.Append("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append("<title>").Append(Title).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Title).Append("</h1>\n");

        // One screen first: the verdict, what it asks of the reviewer, each dimension's verdict and the groups that fail.
        page.Append("<section aria-labelledby=\"synthese\">\n<h2 id=\"synthese\">Synthèse</h2>\n")
            .Append("<p class=\"verdict\">Verdict global : ").Append(Badge(report.Overall)).Append("</p>\n");
        if (report.Overall != Verdict.Pass)
            page.Append(report.Restricted
                ? "<p>Ce verdict n’étant pas « conforme », le relecteur qui a approuvé la publication l’a reconnu par écrit.</p>\n"
                : "<p><strong>À reconnaître :</strong> ce verdict n’étant pas « conforme », l’approbation de la publication demande une reconnaissance écrite du relecteur, qui dit ce qu’il a vérifié des groupes non conformes ci-dessous.</p>\n");
        page.Append(Table("Verdict par dimension (nombre de groupes par verdict, référence exclue)",
            ["Dimension", "Verdict", "Non conformes", "Preuves insuffisantes", "À surveiller", "Conformes"],
            report.Dimensions.Select(d =>
            {
                var judged = d.Groups.Where(g => !g.IsReference).ToList();
                string Count(Verdict v) => Integer(judged.Count(g => g.Overall == v));
                return new[]
                {
                    Html.Text(FrenchLabels.Dimension(d.Dimension)), Badge(Worst(judged.Select(g => g.Overall))),
                    Count(Verdict.Fail), Count(Verdict.InsufficientEvidence), Count(Verdict.Warn), Count(Verdict.Pass),
                };
            })));
        var failing = report.Dimensions.SelectMany(d => d.Groups.Where(g => !g.IsReference && g.Overall == Verdict.Fail).Select(g => (d, g))).ToList();
        if (failing.Count > 0)
        {
            page.Append("<h3>Groupes non conformes</h3>\n<ul>\n");
            foreach (var (d, g) in failing)
            {
                var metrics = g.Metrics.Where(m => m.Verdict == Verdict.Fail).Select(m => m.Ratio is { } r && m.RatioInterval is { } i
                    ? $"{FrenchLabels.Metric(m.Metric)} : ratio {Decimal(r, 2)} ({Decimal(i.Lower, 2)} – {Decimal(i.Upper, 2)})"
                    : FrenchLabels.Metric(m.Metric));
                page.Append("<li>").Append(Html.Text($"{FrenchLabels.Dimension(d.Dimension)} : {FrenchLabels.Group(g.Label)} — {string.Join(" ; ", metrics)}")).Append("</li>\n");
            }
            page.Append("</ul>\n");
        }
        if (report.Restricted)
            page.Append("<p class=\"note\">Forme publiée du rapport. Les groupes de moins de ").Append(Integer(policy.MinimumTerritories))
                .Append(" territoires ou de ").Append(Integer(policy.MinimumObservedCases))
                .Append(" cas observés sont signalés « effectif insuffisant » : leurs sommes et indicateurs sont masqués, leur verdict est conservé ; ")
                .Append("d’autres groupes peuvent être masqués pour qu’on ne puisse pas les retrouver par différence. ")
                .Append("Aucun résultat par territoire n’est publié ; la carte des résidus est réservée aux relecteurs et aux auditeurs.</p>\n");
        page.Append(Folded("Règles et paramètres de l’audit", new StringBuilder()
            .Append("<dl>\n")
            .Append(Term("Territoires audités", Integer(report.Territories)))
            .Append(Term("Cas observés", report.ObservedCases is { } observed ? Integer(observed) : "masqué (secret statistique)"))
            .Append(Term("Cas attendus (modèle)", Decimal(report.PredictedCases, 1)))
            .Append(Term("Tolérance des ratios", $"de {Decimal(policy.LowerTolerance, 2)} à {Decimal(policy.UpperTolerance, 2)}"))
            .Append(Term("Minimums par groupe", $"{Integer(policy.MinimumTerritories)} territoires, {Integer(policy.MinimumObservedCases)} cas observés, {Integer(policy.MinimumDenominator)} au dénominateur des indicateurs de liste prioritaire"))
            .Append(Term("Intervalles de confiance", $"{Decimal(policy.ConfidenceLevel * 100, 0)} %, bootstrap stratifié par groupe, {Integer(policy.BootstrapResamples)} rééchantillonnages, graine {policy.Seed.ToString(CultureInfo.InvariantCulture)}"))
            .Append(Term("Liste prioritaire", $"{Decimal(policy.PriorityShare * 100, 0)} % des territoires"))
            .Append("</dl>\n<p>Règle : un indicateur est <strong>conforme</strong> quand tout son intervalle de confiance est dans la tolérance, ")
            .Append("<strong>non conforme</strong> quand il en est entièrement sorti, <strong>à surveiller</strong> sinon ; ")
            .Append("<strong>preuves insuffisantes</strong> quand le groupe (ou sa référence) est sous un minimum — jamais conforme par défaut. ")
            .Append("Le verdict d’un groupe est le plus sévère de ses indicateurs : non conforme, puis preuves insuffisantes, puis à surveiller, puis conforme.</p>\n")
            .ToString()));
        var groupRows = report.Dimensions.Sum(d => d.Groups.Count);
        page.Append(Folded($"Verdict de chaque groupe ({Integer(groupRows)} lignes)", Table("Verdict par groupe", ["Dimension", "Groupe", "Territoires", "Cas observés", "Verdict"],
            report.Dimensions.SelectMany(d => d.Groups.Select(g => new[]
            {
                Html.Text(FrenchLabels.Dimension(d.Dimension)),
                Html.Text(FrenchLabels.Group(g.Label)) + (g.IsReference ? " (référence)" : ""),
                Integer(g.Territories), g.Sums is { } sums ? Integer(sums.Observed) : Withheld(g.Withheld),
                g.IsReference ? "Référence" : Badge(g.Overall),
            })))));
        page.Append("</section>\n");

        var chart = 0;
        page.Append("<section aria-labelledby=\"calibration\">\n<h2 id=\"calibration\">Calibration par groupe</h2>\n")
            .Append("<p>Rapport des cas observés aux cas attendus par le modèle (1 = calibré ; en dessous, le modèle prédit plus de cas qu’il n’en est enregistré). ")
            .Append("Les barres sont les intervalles de confiance bootstrap.</p>\n");
        var calibration = report.Dimensions.SelectMany(d => d.Groups.Select(g => (d, g, m: g.Metric(FairnessMetric.Calibration))))
            .Where(x => x.g.Sums is not null && x.m.Value is not null && x.m.ValueInterval is not null)
            .ToList();
        page.Append(Folded($"Graphique et tableau de la calibration ({Integer(calibration.Count)} groupes)", Figure(
            FairnessCharts.Intervals($"graphique-{++chart}", "Calibration observé / attendu par groupe", "observé / attendu",
                calibration.Select(x => new FairnessCharts.Row(RowLabel(x.d, x.g), x.m.Value!.Value, x.m.ValueInterval!.Value.Lower, x.m.ValueInterval!.Value.Upper, x.g.IsReference ? Verdict.NotJudged : x.m.Verdict)).ToList(),
                band: null),
            "Calibration observé / attendu par groupe, avec intervalles de confiance ; couleur du point : verdict de calibration du groupe (vert conforme, ocre à surveiller, rouge non conforme, gris preuves insuffisantes, bleu référence).",
            Table("Calibration par groupe (données du graphique)", ["Dimension", "Groupe", "Observés", "Attendus", "Observé / attendu", "IC bas", "IC haut", "Verdict"],
                calibration.Select(x => new[]
                {
                    Html.Text(FrenchLabels.Dimension(x.d.Dimension)), Html.Text(FrenchLabels.Group(x.g.Label)),
                    Integer(x.g.Sums!.Value.Observed), Decimal(x.g.Sums!.Value.Predicted, 1), Decimal(x.m.Value!.Value, 3),
                    Decimal(x.m.ValueInterval!.Value.Lower, 3), Decimal(x.m.ValueInterval!.Value.Upper, 3),
                    x.g.IsReference ? "Référence" : Badge(x.m.Verdict),
                })))));
        page.Append("</section>\n");

        page.Append("<section aria-labelledby=\"disparites\">\n<h2 id=\"disparites\">Ratios de disparité au groupe de référence</h2>\n")
            .Append("<p>Chaque indicateur du groupe divisé par celui du groupe de référence de sa dimension ; la bande verte est la tolérance. ")
            .Append("Le biais, une différence, est comparé par le ratio des rapports prédit / observé.</p>\n");
        foreach (var metric in Enum.GetValues<FairnessMetric>())
        {
            var rows = report.Dimensions.SelectMany(d => d.Groups.Where(g => !g.IsReference).Select(g => (d, g, m: g.Metric(metric)))).ToList();
            var drawn = rows.Where(x => x.m.Ratio is not null && x.m.RatioInterval is not null).ToList();
            var name = FrenchLabels.Metric(metric);
            var judged = policy.JudgedMetrics.Contains(metric) ? "" : " Cet indicateur est présenté sans verdict (voir la méthode).";
            var table = Table($"{name} : ratios au groupe de référence (données du graphique)",
                ["Dimension", "Groupe", "Valeur", "Référence", "Ratio", "IC bas", "IC haut", "Verdict", "Motif"],
                rows.Select(x => new[]
                {
                    Html.Text(FrenchLabels.Dimension(x.d.Dimension)), Html.Text(FrenchLabels.Group(x.g.Label)),
                    Decimal(x.m.Value, 3), Decimal(x.m.ReferenceValue, 3), Decimal(x.m.Ratio, 3),
                    Decimal(x.m.RatioInterval?.Lower, 3), Decimal(x.m.RatioInterval?.Upper, 3),
                    Badge(x.m.Verdict), Html.Text(string.Join(" ; ", new[] { FrenchLabels.Shortfall(x.m.Shortfall), FrenchLabels.Withholding(x.g.Withheld) }.Where(t => t.Length > 0))),
                }));
            page.Append("<h3>").Append(Html.Text(name)).Append("</h3>\n");
            var failed = rows.Count(x => x.m.Verdict == Verdict.Fail);
            page.Append(Folded($"{(failed > 0 ? $"{Integer(failed)} groupe(s) non conforme(s) — " : "")}graphique et tableau ({Integer(rows.Count)} groupes)", drawn.Count == 0
                ? table
                : Figure(
                    FairnessCharts.Intervals($"graphique-{++chart}", name, FrenchLabels.Compared(metric),
                        drawn.Select(x => new FairnessCharts.Row(RowLabel(x.d, x.g), x.m.Ratio!.Value, x.m.RatioInterval!.Value.Lower, x.m.RatioInterval!.Value.Upper, x.m.Verdict)).ToList(),
                        (policy.LowerTolerance, policy.UpperTolerance)),
                    $"{name} : ratio de chaque groupe à sa référence avec intervalle de confiance ; bande verte : tolérance de {Decimal(policy.LowerTolerance, 2)} à {Decimal(policy.UpperTolerance, 2)}.{judged}",
                    table)));
        }
        page.Append("</section>\n");

        if (map is not null)
            page.Append(MapSection(map, $"graphique-{++chart}"));
        if (comparison is not null)
            page.Append(ComparisonSection(comparison));
        if (report.ResidualAutocorrelation is { } moran)
            page.Append("<section aria-labelledby=\"moran\">\n<h2 id=\"moran\">Autocorrélation spatiale des résidus</h2>\n<p>Indice de Moran des résidus de Pearson : ")
                .Append(Decimal(moran.I, 3)).Append(" (attendu sans autocorrélation : ").Append(Decimal(moran.Expected, 3)).Append(")")
                .Append(moran.Permutation is { } test ? $", p = {Decimal(test.PseudoPValue, 3)} par {Integer(test.Permutations)} permutations" : "")
                .Append(". Des résidus regroupés dans l’espace signalent un facteur territorial que le modèle ne voit pas.</p>\n</section>\n");

        page.Append(MethodSection);
        page.Append("</main>\n</body>\n</html>\n");
        writer.Write(page.ToString());
    }

    private static string MapSection(ResidualMap map, string id)
    {
        var counts = new int[ResidualMap.Colours.Length];
        foreach (var k in map.Classes.Values.Where(k => k != ResidualMap.Withheld))
            counts[k]++;
        var title = "Carte des résidus de Pearson par territoire";
        var legend = Table("Légende et effectifs par classe de résidu",
            ["Couleur", "Résidu (observé − attendu) / √attendu", "Territoires"],
            ResidualMap.Colours.Select((c, k) => new[]
            {
                $"<span class=\"swatch\" style=\"background:{c}\"></span> {Html.Text(ResidualMap.ColourNames[k])}", Html.Text(ResidualMap.ClassLabels[k]), Integer(counts[k]),
            }).Append(
            [
                $"<span class=\"swatch\" style=\"background:{ResidualMap.NoValueColour}\"></span> gris",
                "masqué : nombre de cas couvert par le secret statistique", Integer(map.Classes.Values.Count(k => k == ResidualMap.Withheld)),
            ]));
        return new StringBuilder()
            .Append("<section aria-labelledby=\"carte\">\n<h2 id=\"carte\">Carte des résidus</h2>\n")
            .Append("<p>Résidu de Pearson (observé − attendu) / √attendu, en classes : en rouge, plus de cas que prévu (sous-prédiction) ; en bleu, moins. ")
            .Append("Au-delà de ±2, un écart est inhabituel pour le seul bruit de Poisson. Les résidus ne sont pas donnés territoire par territoire : ")
            .Append("avec le nombre de cas attendu, ils redonneraient le nombre de cas enregistré. En gris, les territoires dont le nombre de cas est couvert par le secret statistique. ")
            .Append("Carte réservée aux relecteurs et aux auditeurs.</p>\n")
            .Append(Folded($"Carte et légende ({Integer(map.Classes.Count)} territoires)", Figure(FairnessCharts.Map(id, title, map),
                $"{title} ; échelle divergente en sept classes, gris : territoire masqué ou sans résidu.",
                legend)))
            .Append("</section>\n")
            .ToString();
    }

    private static string ComparisonSection(FairnessComparison comparison) =>
        new StringBuilder()
            .Append("<section aria-labelledby=\"attenuation\">\n<h2 id=\"attenuation\">Avant et après atténuation</h2>\n")
            .Append("<p>Verdict global avant : ").Append(Badge(comparison.OverallBefore)).Append(" ; après : ").Append(Badge(comparison.OverallAfter))
            .Append(". Variation de l’écart à la parité |1 − ratio| : négative quand le groupe s’est rapproché de sa référence.</p>\n")
            .Append(Folded($"Tableau avant / après ({Integer(comparison.Changes.Count)} lignes)", Table("Comparaison avant / après repondération",
                ["Dimension", "Groupe", "Indicateur", "Ratio avant", "Ratio après", "Variation de |1 − ratio|", "Verdict avant", "Verdict après"],
                comparison.Changes.Select(c => new[]
                {
                    Html.Text(FrenchLabels.Dimension(c.Dimension)), Html.Text(FrenchLabels.Group(c.Group)), Html.Text(FrenchLabels.Metric(c.Metric)),
                    Decimal(c.RatioBefore, 3), Decimal(c.RatioAfter, 3), Decimal(c.DisparityChange, 3),
                    c.VerdictBefore is { } b ? Badge(b) : "—", c.VerdictAfter is { } a ? Badge(a) : "—",
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
        <dt>Indicateurs de liste prioritaire</dt><dd>Taux de sélection (part du groupe dans la liste du modèle), taux de vrais positifs (part des territoires réellement prioritaires que la liste retient), taux de faux positifs (part des autres qu’elle retient), précision (part de la liste réellement prioritaire). « Réellement prioritaire » : dans la liste tirée des taux observés.</dd>
        <dt>Intervalles</dt><dd>Bootstrap stratifié : les territoires de chaque groupe sont rééchantillonnés avec remise ; intervalle des percentiles. Il mesure le bruit d’échantillonnage, pas un biais commun à tous les groupes, comme un sous-enregistrement des cas partout.</dd>
        <dt>Groupe de référence</dt><dd>Le plus grand groupe de chaque dimension, sauf choix contraire de la politique.</dd>
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

    private static string RowLabel(DimensionView dimension, GroupView group) =>
        $"{FrenchLabels.ShortDimension(dimension.Dimension)} : {FrenchLabels.Group(group.Label)}";

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

    private static string Badge(Verdict verdict)
    {
        return $"<span class=\"badge {Verdicts.Id(verdict)}\">{Html.Text(FrenchLabels.Verdict(verdict))}</span>";
    }

    private static string Integer(long value) => value.ToString("N0", French);

    private static string Withheld(Withholding withholding) => $"<span class=\"withheld\">{Html.Text(FrenchLabels.Withholding(withholding))}</span>";

    private static string Decimal(double? value, int digits) => value is { } v ? v.ToString("N" + digits, French) : "—";

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
