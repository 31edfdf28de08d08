using System.Text.RegularExpressions;
using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Analytics.Jobs.FairnessReports;
using Analytics.Models.Fairness;
using Analytics.Models.Randomness;
using Analytics.Models.Secrecy;
using NetTopologySuite.Geometries;

namespace Analytics.Jobs.Tests.FairnessReports;

public class FairnessReportWriterTests
{
    private static readonly string[] Densities = ["urban", "intermediate", "rural"];

    /// <summary>
    /// 400 territories on a 20 × 20 grid of 1 km squares (Lambert-93), random density and quintile, Poisson counts,
    /// rural × 5 thinned to 60%; a second model run ("after") with the thinning halved, for the comparison section.
    /// </summary>
    private static (FairnessReport Before, FairnessReport After, ResidualMap Map, List<TerritoryOutcome> Outcomes) Sample()
    {
        var random = new SeededRandom(7);
        var factory = new GeometryFactory(new PrecisionModel(), 2154);
        var before = new List<TerritoryOutcome>();
        var after = new List<TerritoryOutcome>();
        var polygons = new Dictionary<string, Geometry>();
        for (var i = 0; i < 400; i++)
        {
            var code = $"29{i:D3}";
            var density = Densities[random.NextInt(3)];
            var quintile = (1 + random.NextInt(5)).ToString(CultureInfo.InvariantCulture);
            var expected = random.NextDouble(20, 80);
            var targeted = density == "rural" && quintile == "5";
            var groups = new Dictionary<string, string> { [FairnessDimensions.DensityClass] = density, [FairnessDimensions.DeprivationQuintile] = quintile };
            // One territory with a count the secrecy rule protects, for the map's withheld class.
            var observed = i == 1 ? 4 : random.NextPoisson(expected * (targeted ? 0.6 : 1));
            before.Add(new TerritoryOutcome(code, observed, expected, expected * 200, random.NextBernoulli(0.2), random.NextBernoulli(0.2), groups));
            after.Add(new TerritoryOutcome(code, observed, targeted ? expected * 0.8 : expected, expected * 200, random.NextBernoulli(0.2), random.NextBernoulli(0.2), groups));
            double x = 300_000 + 1_000 * (i % 20), y = 6_800_000 + 1_000 * (i / 20);
            polygons[code] = factory.CreatePolygon([new(x, y), new(x + 1_000, y), new(x + 1_000, y + 1_000), new(x, y + 1_000), new(x, y)]);
        }
        var policy = new FairnessPolicy { BootstrapResamples = 200 };
        return (FairnessAudit.Run(before, policy), FairnessAudit.Run(after, policy),
            ResidualMap.Of(polygons, before.Where(t => t.Code != "29000"), SecrecyRule.Default), before);
    }

    private static XDocument Page(out string html)
    {
        var (before, after, map, _) = Sample();
        using var writer = new StringWriter();
        FairnessReportWriter.WriteHtml(FairnessView.Unrestricted(before), writer, map, FairnessComparison.Between(before, after));
        html = writer.ToString();
        // Strict XML parsing: the page is well-formed markup, which an HTML5 parser would accept without question.
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    [Fact]
    public void the_html_page_parses_is_french_and_references_nothing_outside_itself()
    {
        var page = Page(out var html);

        Assert.Equal("html", page.Root!.Name.LocalName);
        Assert.Equal("fr", page.Root.Attribute("lang")?.Value);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        var elements = page.Descendants().ToList();
        Assert.DoesNotContain(elements, e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object" or "embed" or "image" or "use");
        foreach (var attribute in elements.SelectMany(e => e.Attributes()))
        {
            Assert.False(attribute.Value.Contains("//", StringComparison.Ordinal), $"{attribute.Parent!.Name.LocalName}@{attribute.Name}: {attribute.Value}");
            Assert.DoesNotContain(attribute.Name.LocalName, new[] { "src", "srcset", "href", "action" });
        }
        // The only url() references are to clip paths inside the page.
        Assert.All(System.Text.RegularExpressions.Regex.Matches(html, @"url\(([^)]*)\)"), m => Assert.StartsWith("#", m.Groups[1].Value));
        Assert.Contains("Audit d’équité territoriale", page.Descendants().Single(e => e.Name.LocalName == "h1").Value);
    }

    [Fact]
    public void every_chart_is_an_inline_svg_with_a_title_a_caption_and_a_data_table()
    {
        var page = Page(out _);

        var figures = page.Descendants().Where(e => e.Name.LocalName == "figure").ToList();
        // Calibration, one disparity chart per metric with a defined ratio, and the map.
        Assert.True(figures.Count >= 8, $"{figures.Count} figures");
        foreach (var figure in figures)
        {
            var svg = Assert.Single(figure.Elements(), e => e.Name.LocalName == "svg");
            Assert.Equal("img", svg.Attribute("role")?.Value);
            var title = svg.Elements().First();
            Assert.Equal("title", title.Name.LocalName);
            Assert.Equal(svg.Attribute("aria-labelledby")?.Value, title.Attribute("id")?.Value);
            Assert.NotEmpty(figure.Elements().Single(e => e.Name.LocalName == "figcaption").Value);
            Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "path");
            // The data table follows the figure, in a region that scrolls on a phone.
            var region = figure.ElementsAfterSelf().First();
            Assert.Equal("region", region.Attribute("role")?.Value);
            var table = region.Elements().Single();
            Assert.Equal("table", table.Name.LocalName);
            Assert.NotEmpty(table.Elements().Single(e => e.Name.LocalName == "caption").Value);
            Assert.NotEmpty(table.Descendants().Where(e => e.Name.LocalName == "tbody").Single().Elements());
        }
        // Ids are unique across charts, so that each chart's clip paths are its own.
        var ids = page.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void the_map_colours_each_territory_by_its_residual_class_withholds_secret_counts_and_lists_no_residual()
    {
        var (before, _, map, outcomes) = Sample();
        using var writer = new StringWriter();

        FairnessReportWriter.WriteHtml(FairnessView.Unrestricted(before), writer, map);

        var html = writer.ToString();
        // 400 squares, 399 audited; the one without a class and those whose count is secret (29001 holds 4) are grey.
        Assert.Contains("#BDBDBD", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ResidualMap.Withheld, map.Classes["29001"]);
        var secret = outcomes.Where(t => t.Code != "29000" && SecrecyRule.Default.IsSmall(t.Observed)).Select(t => t.Code).Order(StringComparer.Ordinal);
        Assert.Equal(secret, map.Classes.Where(c => c.Value == ResidualMap.Withheld).Select(c => c.Key).Order(StringComparer.Ordinal));
        // Classes only: no territory's residual to two decimals (with the predicted count it would give the count back).
        foreach (var t in outcomes.Take(50))
            Assert.DoesNotContain($">{t.PearsonResidual.ToString("N2", CultureInfo.GetCultureInfo("fr-FR"))}<", html);
        Assert.DoesNotContain("<th scope=\"row\">29002</th>", html);
        Assert.Contains("Avant et après atténuation", FairnessPage(before, map, withComparison: true));
        Assert.DoesNotContain("Avant et après atténuation", html);
    }

    [Fact]
    public void the_published_page_and_csv_show_withheld_groups_as_insufficient_without_their_figures_and_refuse_a_map()
    {
        var (before, _, map, outcomes) = Sample();
        var published = PublishedFairness.Protect(before, outcomes, SecrecyRule.Default);
        var view = published.View(before);
        var withheld = view.Dimensions.SelectMany(d => d.Groups.Select(g => (d, g))).Where(x => x.g.Withheld != Withholding.None).ToList();
        Assert.NotEmpty(withheld);

        using var page = new StringWriter();
        FairnessReportWriter.WriteHtml(view, page);
        using var csvWriter = new StringWriter();
        FairnessReportWriter.WriteCsv(view, csvWriter);

        var html = page.ToString();
        Assert.Contains("effectif insuffisant", html);
        Assert.Contains("Forme publiée du rapport", html);
        Assert.DoesNotContain("Carte des résidus", html);
        var rows = csvWriter.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(';')).ToList();
        foreach (var (d, g) in withheld)
        {
            var groupRows = rows.Where(r => r[0] == d.Dimension && r[1] == g.Label).ToList();
            Assert.Equal(Enum.GetValues<FairnessMetric>().Length, groupRows.Count);
            Assert.All(groupRows, r => Assert.Equal("", r[3] + r[4] + r[5] + r[6] + r[7]));
            Assert.All(groupRows, r => Assert.Contains(r[10], new[] { "too_few_territories", "too_few_cases", "complementary" }));
            // Each withheld group's recorded count is nowhere on the page's group table.
            var observed = before.Group(d.Dimension, g.Label).Sums.Observed.ToString("N0", CultureInfo.GetCultureInfo("fr-FR"));
            Assert.DoesNotContain($"<td>{g.Territories}</td><td>{observed}</td>", html);
        }
        Assert.Throws<ArgumentException>(() => FairnessReportWriter.WriteHtml(view, new StringWriter(), map));
    }

    [Fact]
    public void the_csv_has_one_row_per_group_and_metric_and_reads_back_to_the_reports_numbers()
    {
        var (report, _, _, _) = Sample();
        using var writer = new StringWriter();

        FairnessReportWriter.WriteCsv(FairnessView.Unrestricted(report), writer);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(';', FairnessReportWriter.CsvColumns), lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(';')).ToList();
        var expected = report.Dimensions.SelectMany(d => d.Groups.SelectMany(g => g.Metrics.Select(m => (d, g, m)))).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (d, g, m) = expected[i];
            var row = rows[i];
            Assert.Equal(FairnessReportWriter.CsvColumns.Length, row.Length);
            Assert.Equal(d.Dimension, row[0]);
            Assert.Equal(g.Label, row[1]);
            Assert.Equal(m.Value, Read(row[3]));
            Assert.Equal(m.ReferenceValue, Read(row[4]));
            Assert.Equal(m.Ratio, Read(row[5]));
            Assert.Equal(m.RatioInterval?.Lower, Read(row[6]));
            Assert.Equal(m.RatioInterval?.Upper, Read(row[7]));
        }
        Assert.Contains(rows, r => r[1] == "rural × 5" && r[2] == "calibration" && r[8] == "fail");
        Assert.Contains(rows, r => r[8] == "not_judged");
    }

    [Fact]
    public void the_json_carries_every_verdict_the_policy_and_undefined_values_as_null()
    {
        var (report, _, _, _) = Sample();

        using var json = JsonDocument.Parse(FairnessReportWriter.ToJson(report));

        var root = json.RootElement;
        Assert.Equal("fail", root.GetProperty("overall").GetString());
        Assert.Equal(0.8, root.GetProperty("policy").GetProperty("lowerTolerance").GetDouble());
        var group = root.GetProperty("dimensions").EnumerateArray()
            .Single(d => d.GetProperty("dimension").GetString() == "density_class × deprivation_quintile")
            .GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("label").GetString() == "rural × 5");
        Assert.Equal("fail", group.GetProperty("overall").GetString());
        var calibration = group.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "calibration");
        Assert.Equal("fail", calibration.GetProperty("verdict").GetString());
        Assert.Equal(report.Group("density_class × deprivation_quintile", "rural × 5").Metric(FairnessMetric.Calibration).Ratio, calibration.GetProperty("ratio").GetDouble());
        var verdicts = root.GetProperty("dimensions").EnumerateArray().SelectMany(d => d.GetProperty("groups").EnumerateArray())
            .SelectMany(g => g.GetProperty("metrics").EnumerateArray()).Select(m => m.GetProperty("verdict").GetString()).ToList();
        Assert.Equal(report.Dimensions.Sum(d => d.Groups.Count) * Enum.GetValues<FairnessMetric>().Length, verdicts.Count);
        Assert.All(verdicts, v => Assert.Contains(v, new[] { "pass", "warn", "fail", "insufficient_evidence", "not_judged" }));
        var reference = root.GetProperty("dimensions")[0].GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("isReference").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reference.GetProperty("metrics")[0].GetProperty("ratioInterval").ValueKind);
    }

    [Fact]
    public void fairlearns_spreads_are_in_the_json_and_on_the_page_and_the_published_page_withholds_those_of_a_dimension_with_a_withheld_group()
    {
        var (before, _, _, outcomes) = Sample();
        var fr = CultureInfo.GetCultureInfo("fr-FR");

        using var json = JsonDocument.Parse(FairnessReportWriter.ToJson(before));
        var quintiles = before.Dimensions.Single(d => d.Dimension == FairnessDimensions.DeprivationQuintile);
        var selection = json.RootElement.GetProperty("dimensions").EnumerateArray()
            .Single(d => d.GetProperty("dimension").GetString() == FairnessDimensions.DeprivationQuintile)
            .GetProperty("spreads").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "selectionRate");
        Assert.Equal(quintiles.Spreads.DemographicParity().Difference, selection.GetProperty("betweenGroups").GetProperty("difference").GetDouble());

        using var writer = new StringWriter();
        FairnessReportWriter.WriteHtml(FairnessView.Unrestricted(before), writer);
        var page = XDocument.Parse(writer.ToString());
        var section = page.Descendants().Single(e => e.Name.LocalName == "section" && e.Attribute("aria-labelledby")?.Value == "ecarts");
        Assert.Equal(before.Dimensions.Count, section.Descendants().Count(e => e.Name.LocalName == "table"));
        var parity = section.Descendants().Where(e => e.Name.LocalName == "tr" && e.Elements().First().Value == "Parité démographique")
            .Select(r => r.Elements().Skip(1).Select(c => c.Value).ToList()).ToList();
        Assert.Equal(before.Dimensions.Count, parity.Count);
        Assert.Contains(parity, p => p[0] == quintiles.Spreads.DemographicParity().Difference!.Value.ToString("N3", fr)
            && p[1] == quintiles.Spreads.DemographicParity().Ratio!.Value.ToString("N3", fr));
        Assert.Equal(before.Dimensions.Count, section.Descendants().Count(e => e.Name.LocalName == "th" && e.Value == "Chances égalisées (equalized odds)"));

        var view = PublishedFairness.Protect(before, outcomes, SecrecyRule.Default).View(before);
        using var restricted = new StringWriter();
        FairnessReportWriter.WriteHtml(view, restricted);
        var withheld = view.Dimensions.Where(d => d.Groups.Any(g => g.Withheld != Withholding.None)).ToList();
        Assert.NotEmpty(withheld);
        Assert.All(withheld, d => Assert.Contains($"{d.Dimension.Replace("density_class", "classe de densité").Replace("deprivation_quintile", "quintile de défavorisation")} : écarts entre groupes — masqués", restricted.ToString()));
    }

    private static string FairnessPage(FairnessReport report, ResidualMap map, bool withComparison)
    {
        using var writer = new StringWriter();
        FairnessReportWriter.WriteHtml(FairnessView.Unrestricted(report), writer, map, withComparison ? FairnessComparison.Between(report, report) : null);
        return writer.ToString();
    }

    private static double? Read(string field) => field.Length == 0 ? null : double.Parse(field, CultureInfo.InvariantCulture);

    [Fact]
    public void the_page_opens_on_its_synthesis_folds_the_detail_names_colours_in_words_and_takes_its_heading_from_the_reader()
    {
        var (before, _, map, _) = Sample();
        using var writer = new StringWriter();
        FairnessReportWriter.WriteHtml(FairnessView.Unrestricted(before), writer, map);
        var html = writer.ToString();
        var page = XDocument.Parse(html);
        XNamespace x = page.Root!.Name.Namespace;
        var main = page.Descendants().Single(e => e.Name.LocalName == "main");

        // The synthesis comes before anything folded, and holds no folded content: the verdict per dimension, the failing groups.
        var blocks = main.Elements().ToList();
        var synthesis = blocks.First(e => e.Name.LocalName == "section");
        Assert.Equal("synthese", synthesis.Element(x + "h2")!.Attribute("id")!.Value);
        Assert.DoesNotContain(synthesis.Descendants(), e => e.Name.LocalName == "svg");
        Assert.Contains("Verdict par dimension", synthesis.Value);
        Assert.Equal(before.Dimensions.Count, synthesis.Descendants().First(e => e.Name.LocalName == "tbody").Elements().Count());
        var failing = before.Dimensions.Sum(d => d.Groups.Count(g => !g.IsReference && g.Overall == Verdict.Fail));
        Assert.Equal(failing, synthesis.Descendants().Where(e => e.Name.LocalName == "li").Count());
        // Every chart and every long table is folded; nothing shows a colour code as text.
        Assert.All(page.Descendants().Where(e => e.Name.LocalName == "figure"), f => Assert.Contains(f.Ancestors(), a => a.Name.LocalName == "details"));
        var text = string.Concat(main.DescendantNodes().OfType<System.Xml.Linq.XText>().Where(t => t.Parent!.Name.LocalName != "style").Select(t => t.Value));
        Assert.DoesNotMatch("#[0-9a-fA-F]{6}", text);
        Assert.Contains("rouge foncé", text);
        // Every scrollable region is named and reachable by keyboard.
        Assert.All(page.Descendants().Where(e => e.Attribute("role")?.Value == "region"), r =>
        {
            Assert.Equal("0", r.Attribute("tabindex")?.Value);
            Assert.False(string.IsNullOrWhiteSpace(r.Attribute("aria-label")?.Value));
        });

        // The reader names the model, the release and its date, and links back to the app.
        var headed = FairnessReportWriter.WithHeading(html, "Audit d’équité — Asthme (asthma_commune) — publication 12 du 3 décembre 2026 <&>", "/#/relecture/12", "Retour", "en");
        var headedPage = XDocument.Parse(headed);
        Assert.Equal("Audit d’équité — Asthme (asthma_commune) — publication 12 du 3 décembre 2026 <&>", headedPage.Descendants().First(e => e.Name.LocalName == "title").Value);
        Assert.Equal(headedPage.Descendants().First(e => e.Name.LocalName == "title").Value, headedPage.Descendants().Single(e => e.Name.LocalName == "h1").Value);
        Assert.Equal(["/#/relecture/12", "?lang=en"], headedPage.Descendants().Where(e => e.Name.LocalName == "a").Select(a => a.Attribute("href")!.Value));
        Assert.DoesNotContain(FairnessReportWriter.Title, headed);
    }

    [Fact]
    public void the_english_page_says_the_same_in_english_and_the_published_one_still_withholds()
    {
        var (before, _, map, outcomes) = Sample();
        using var writer = new StringWriter();
        FairnessReportWriter.WriteHtml(FairnessView.Unrestricted(before), writer, map, english: true);
        var html = writer.ToString();
        var page = XDocument.Parse(html);
        Assert.Equal("en", page.Root!.Attribute("lang")!.Value);
        Assert.Equal(FairnessReportWriter.TitleEn, page.Descendants().First(e => e.Name.LocalName == "title").Value);
        var text = string.Concat(page.Descendants().Single(e => e.Name.LocalName == "main").DescendantNodes().OfType<XText>().Select(t => t.Value));
        foreach (var english in new[] { "Overall verdict", "Verdict per dimension", "Failing groups", "Calibration per group", "Map of the residuals", "dark red", "Method" })
            Assert.Contains(english, text);
        foreach (var french in new[] { "Synthèse", "Verdict global", "Groupe", "non conforme", "rouge foncé", "Méthode", "territoires" })
            Assert.DoesNotContain(french, text);
        // The same numbers, written the English way: the French page's "0,938" is "0.938" here.
        Assert.DoesNotMatch(@"\d,\d{3}\b(?!,)", Regex.Replace(text, @"\d{1,3}(,\d{3})+(?!\d)", ""));

        var published = PublishedFairness.Protect(before, outcomes, SecrecyRule.Default);
        using var restricted = new StringWriter();
        FairnessReportWriter.WriteHtml(published.View(before), restricted, english: true);
        Assert.Contains("too small to report", restricted.ToString());
        Assert.Contains("Published form of the report", restricted.ToString());
        Assert.DoesNotContain("Map of the residuals", restricted.ToString());
    }
}
