namespace Analytics.Jobs.FairnessReports;

/// <summary>Escaping for text and attribute values of the generated page (well-formed XML too, so tests can parse it strictly).</summary>
internal static class Html
{
    public static string Text(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);
}
