using System.Globalization;

namespace Analytics.Models.Text;

/// <summary>
/// What a person really wrote in a free-text field (a justification, a reason, a comment): the
/// text without whitespace and invisible characters. Length rules count these visible characters,
/// so twenty zero-width spaces (U+200B) or a run of no-break spaces are no justification.
/// </summary>
public static class FreeText
{
    /// <summary>
    /// The visible characters of <paramref name="text"/>, in order: without separators (Unicode
    /// categories Zs, Zl, Zp), control characters (Cc), format characters (Cf — among them the
    /// zero-width space, joiners, word joiner and byte-order mark) and other whitespace.
    /// </summary>
    public static string Visible(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var visible = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
            if (!IsInvisible(c))
                visible.Append(c);
        return visible.ToString();
    }

    /// <summary>Whether <paramref name="text"/> holds at least <paramref name="minimumVisible"/> visible characters (see <see cref="Visible"/>).</summary>
    public static bool HasContent(string? text, int minimumVisible = 1)
    {
        if (string.IsNullOrEmpty(text))
            return minimumVisible <= 0;
        var count = 0;
        foreach (var c in text)
            if (!IsInvisible(c) && ++count >= minimumVisible)
                return true;
        return count >= minimumVisible;
    }

    /// <summary>Whitespace, separators, control and format characters; U+200B–U+200D, U+2060 and U+FEFF are format characters (Cf) already, named here for the reader.</summary>
    private static bool IsInvisible(char c) =>
        char.IsWhiteSpace(c)
        || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'
        || char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control or UnicodeCategory.Format;
}
