using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Analytics.Api.Ogc;

/// <summary>
/// The HTML encoding of the OGC API documents (<c>f=html</c>): the same document as the JSON one, for a person in a
/// browser — its title, links, collections, conformance classes, and features as a table of their properties (no
/// geometry, no script).
/// </summary>
internal static class OgcHtml
{
    public static string Page(JsonObject document)
    {
        var title = document["title"]?.GetValue<string>() ?? document["id"]?.GetValue<string>() ?? "OGC API – Features";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Text(title)).Append("</title><style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}")
            .Append("table{border-collapse:collapse}th,td{border:1px solid #8c959f;padding:.25rem .5rem;text-align:left}</style></head><body><main>")
            .Append("<h1>").Append(Text(title)).Append("</h1>");
        if (document["description"]?.GetValue<string>() is { } description)
            html.Append("<p>").Append(Text(description)).Append("</p>");
        if (document["numberMatched"] is { } matched)
            html.Append("<p>").Append(Text($"{document["numberReturned"]} / {matched} entités / features")).Append("</p>");
        if (document["conformsTo"] is JsonArray classes)
            List(html, "Classes de conformité / Conformance classes", classes.Select(c => Text(c!.GetValue<string>())));
        if (document["collections"] is JsonArray collections)
            List(html, "Collections", collections.Select(c => Anchor(c!["links"]!.AsArray().First(l => l!["rel"]!.GetValue<string>() == "items" && l["type"]!.GetValue<string>() == "text/html")!,
                c["title"]!.GetValue<string>())));
        if (document["features"] is JsonArray features)
            Table(html, features.Select(f => f!["properties"]!.AsObject()).ToList());
        else if (document["properties"] is JsonObject properties)
            Table(html, [properties]);
        if (document["links"] is JsonArray links)
            List(html, "Liens / Links", links.OfType<JsonNode>().Select(l => Anchor(l, $"{l["title"]} ({l["rel"]}, {l["type"]})")));
        return html.Append("</main></body></html>").ToString();
    }

    private static void List(StringBuilder html, string heading, IEnumerable<string> items)
    {
        html.Append("<h2>").Append(Text(heading)).Append("</h2><ul>");
        foreach (var item in items)
            html.Append("<li>").Append(item).Append("</li>");
        html.Append("</ul>");
    }

    private static void Table(StringBuilder html, IReadOnlyList<JsonObject> rows)
    {
        if (rows.Count == 0)
            return;
        var columns = rows[0].Select(p => p.Key).ToList();
        html.Append("<table><thead><tr>");
        foreach (var column in columns)
            html.Append("<th scope=\"col\">").Append(Text(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var column in columns)
                html.Append("<td>").Append(Text(row[column]?.ToString() ?? "")).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static string Anchor(JsonNode link, string label)
    {
        var href = link["href"]!.GetValue<string>();
        // A link to the HTML form of the same resource where the target has one.
        if (link["type"]?.GetValue<string>() != "text/html" && href.Contains("/ogc", StringComparison.Ordinal))
            href += (href.Contains('?') ? "&" : "?") + "f=html";
        return $"<a href=\"{Text(href)}\">{Text(label)}</a>";
    }

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
